/**
 * A snapshot of the graph as of one version: newline-separated JSON records. The first line is a
 * header; then batches of creates (nodes before relationships), in the ChangeSet format, so
 * restoring reuses the applier. Taken from a ReadView, so writes go on while it is written.
 */
import { assert } from '../assert.js';
import type { ChangeSet, NodeChange, RelChange } from './changeset.js';
import { encodeProperty } from './property-codec.js';
import type { ReadView } from './read-view.js';
import { GraphStore } from './store.js';

const BATCH_ENTITIES = 5000;
const FORMAT = 'quiver-graph-snapshot/1';

export interface SnapshotHeader {
  format: string;
  version: number;
  nextNodeId: number;
  nextRelId: number;
  system: unknown[];
}

export function* writeSnapshot(
  store: GraphStore, view: ReadView, system: unknown[] = [],
): Generator<Uint8Array> {
  const header: SnapshotHeader = { format: FORMAT, version: view.version,
    nextNodeId: store.nextNodeId, nextRelId: store.nextRelId, system };
  yield line({ header });
  yield line({ nodes: [], rels: [], schema: [
    ...view.indexes().filter((ix) => ix.owningConstraint === null)
      .map((index) => ({ op: 'createIndex' as const, index })),
    ...view.constraints().map((constraint) => ({ op: 'createConstraint' as const, constraint })),
  ] });
  let nodes: NodeChange[] = [];
  for (const id of view.allNodes()) {
    nodes.push({ op: 'create', id, labels: [...view.nodeLabels(id)],
      props: [...view.nodeProperties(id)].map(([k, v]) => [k, encodeProperty(v)]) });
    if (nodes.length === BATCH_ENTITIES) yield line({ nodes, rels: [], schema: [] }), nodes = [];
  }
  if (nodes.length > 0) yield line({ nodes, rels: [], schema: [] });
  let rels: RelChange[] = [];
  for (const id of view.allRelationships()) {
    rels.push({ op: 'create', id, type: view.relType(id), start: view.relStart(id),
      end: view.relEnd(id),
      props: [...view.relProperties(id)].map(([k, v]) => [k, encodeProperty(v)]) });
    if (rels.length === BATCH_ENTITIES) yield line({ nodes: [], rels, schema: [] }), rels = [];
  }
  if (rels.length > 0) yield line({ nodes: [], rels, schema: [] });
}

function line(record: unknown): Uint8Array {
  return Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
}

/** Rebuilds a store from snapshot bytes; throws on a malformed snapshot. */
export function readSnapshot(bytes: Uint8Array): { store: GraphStore; header: SnapshotHeader } {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const lines = text.split('\n').filter((l) => l.length > 0);
  const first = JSON.parse(lines[0] ?? 'null') as { header?: SnapshotHeader } | null;
  const header = first?.header;
  if (!header || header.format !== FORMAT) throw new Error('not a QuiverDB graph snapshot');
  const store = new GraphStore();
  for (const l of lines.slice(1)) store.restore(JSON.parse(l) as ChangeSet, header.version);
  store.version = header.version;
  store.nextNodeId = Math.max(store.nextNodeId, header.nextNodeId);
  store.nextRelId = Math.max(store.nextRelId, header.nextRelId);
  assert(store.version === header.version, 'readSnapshot: version mismatch');
  return { store, header };
}
