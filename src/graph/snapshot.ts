/**
 * A snapshot of the graph as of one version, taken from a ReadView, so writes go on while it is
 * written. Format 2: one JSON line (header: version, id allocators, system records, the
 * interned names and the schema), then blocks of binary entity records (snapshot-codec.ts),
 * nodes before relationships:
 *
 *   u8 kind ('N' or 'R')  u32 entity count  u32 payload bytes  payload
 *   node: u32 id, u32 label count, u32 label ids, properties
 *   rel:  u32 id, u32 type id, u32 start, u32 end, properties
 *
 * Name ids in the records are the header's list positions, which are the writing store's
 * interned ids, so loading interns the lists in order and uses the ids as they are. Format 1
 * (JSON lines of ChangeSets, written before) is still read. See docs/decisions/0005.
 */
import { assert } from '../assert.js';
import type { ChangeSet, SchemaChange } from './changeset.js';
import type { ReadView } from './read-view.js';
import { NO_PROPS_AT } from './rel-columns.js';
import {
  ByteReader, ByteWriter, skipProps, writeProps,
} from './snapshot-codec.js';
import { GraphStore } from './store.js';

/** Entities per block; the backup server's progress estimate counts on it (backup-server.ts). */
const BATCH_ENTITIES = 5000;
const FORMAT_JSON_LINES = 'quiver-graph-snapshot/1';
export const FORMAT_BINARY = 'quiver-graph-snapshot/2';
export const NODE_BLOCK = 0x4e;
export const REL_BLOCK = 0x52;
export const BLOCK_HEADER_BYTES = 9;
export const NEWLINE = 0x0a;

export interface SnapshotHeader {
  format: string;
  version: number;
  nextNodeId: number;
  nextRelId: number;
  system: unknown[];
  /** Format 2: interned names, in id order, and the schema. */
  labels?: string[];
  types?: string[];
  keys?: string[];
  schema?: SchemaChange[];
}

export function* writeSnapshot(
  store: GraphStore, view: ReadView, system: unknown[] = [],
): Generator<Uint8Array> {
  const schema: SchemaChange[] = [
    ...view.indexes().filter((ix) => ix.owningConstraint === null)
      .map((index) => ({ op: 'createIndex' as const, index })),
    ...view.constraints().map((constraint) => ({ op: 'createConstraint' as const, constraint })),
  ];
  const header: SnapshotHeader = { format: FORMAT_BINARY, version: view.version,
    nextNodeId: store.nextNodeId, nextRelId: store.nextRelId, system,
    labels: [...store.labels.all()], types: [...store.types.all()], keys: [...store.keys.all()],
    schema };
  yield Buffer.from(`${JSON.stringify({ header })}\n`, 'utf8');
  const w = new ByteWriter();
  let count = 0;
  for (const id of view.allNodes()) {
    const node = view.node(id);
    assert(node !== null, 'writeSnapshot: a listed node is visible');
    w.u32(id);
    w.u32(node.labels.length);
    for (const l of node.labels) w.u32(l);
    // Properties as created are copied as they are, with no Map made on the way.
    if (typeof node.props === 'number') store.nodePropArena.copyTo(node.props, w);
    else writeProps(w, node.props);
    if (++count === BATCH_ENTITIES) yield block(NODE_BLOCK, count, w), count = 0;
  }
  if (count > 0) yield block(NODE_BLOCK, count, w), count = 0;
  for (const id of view.allRelationships()) {
    w.u32(id);
    w.u32(store.rels.type[id] ?? -1);
    w.u32(store.rels.start[id] ?? -1);
    w.u32(store.rels.end[id] ?? -1);
    const at = store.rels.propsAt[id] ?? NO_PROPS_AT;
    if (at !== NO_PROPS_AT) store.relPropArena.copyTo(at, w);
    else writeProps(w, view.relPropsMap(id));
    if (++count === BATCH_ENTITIES) yield block(REL_BLOCK, count, w), count = 0;
  }
  if (count > 0) yield block(REL_BLOCK, count, w);
}

function block(kind: number, count: number, w: ByteWriter): Buffer {
  const payload = w.take();
  const head = Buffer.allocUnsafe(BLOCK_HEADER_BYTES);
  head[0] = kind;
  head.writeUInt32LE(count, 1);
  head.writeUInt32LE(payload.length, 5);
  return Buffer.concat([head, payload]);
}

/** Rebuilds a store from snapshot bytes; throws on a malformed snapshot. */
export function readSnapshot(bytes: Uint8Array): { store: GraphStore; header: SnapshotHeader } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const firstLineEnd = buffer.indexOf(NEWLINE);
  const first = parseHeaderLine(buffer.toString('utf8', 0, firstLineEnd < 0 ? buffer.length
    : firstLineEnd));
  const header = first?.header;
  if (header?.format === FORMAT_BINARY) return readBinary(buffer, firstLineEnd + 1, header);
  if (header?.format === FORMAT_JSON_LINES) return readJsonLines(buffer, header);
  throw new Error('not a QuiverDB graph snapshot');
}

function parseHeaderLine(text: string): { header?: SnapshotHeader } | null {
  try {
    return JSON.parse(text) as { header?: SnapshotHeader } | null;
  } catch {
    return null;
  }
}

function readBinary(buffer: Buffer, offset: number, header: SnapshotHeader):
  { store: GraphStore; header: SnapshotHeader } {
  const store = new GraphStore();
  for (const l of header.labels ?? []) store.labels.intern(l);
  for (const t of header.types ?? []) store.types.intern(t);
  for (const k of header.keys ?? []) store.keys.intern(k);
  store.restore({ nodes: [], rels: [], schema: header.schema ?? [] }, header.version);
  const r = new ByteReader(buffer);
  r.at = offset;
  while (!r.done) {
    const kind = r.u8();
    const count = r.u32();
    const end = r.u32() + r.at;
    if (kind === NODE_BLOCK) readNodes(r, count, store, header.version);
    else if (kind === REL_BLOCK) readRels(r, count, store, header.version);
    else throw new Error(`snapshot: unknown block kind ${kind}`);
    if (r.at !== end) throw new Error('snapshot: a block does not end where its length says');
  }
  store.buildAdjacency(0);
  return finish(store, header);
}

function readNodes(r: ByteReader, count: number, store: GraphStore, version: number): void {
  for (let i = 0; i < count; i++) {
    const id = r.u32();
    const labels = new Array<number>(r.u32());
    for (let l = 0; l < labels.length; l++) labels[l] = r.u32();
    const from = skipProps(r);
    store.loadNode({ id, labels, props: { bytes: r.bytes, start: from, end: r.at }, version });
  }
}

function readRels(r: ByteReader, count: number, store: GraphStore, version: number): void {
  for (let i = 0; i < count; i++) {
    const id = r.u32();
    const type = r.u32();
    const start = r.u32();
    const end = r.u32();
    const from = skipProps(r);
    store.loadRel({ id, type, start, end, props: { bytes: r.bytes, start: from, end: r.at },
      version, deferAdjacency: true });
  }
}

/** Format 1: JSON lines, each a ChangeSet of creates applied through the applier. */
function readJsonLines(buffer: Buffer, header: SnapshotHeader):
  { store: GraphStore; header: SnapshotHeader } {
  const lines = buffer.toString('utf8').split('\n').filter((l) => l.length > 0);
  const store = new GraphStore();
  for (const l of lines.slice(1)) store.restore(JSON.parse(l) as ChangeSet, header.version);
  return finish(store, header);
}

function finish(store: GraphStore, header: SnapshotHeader):
  { store: GraphStore; header: SnapshotHeader } {
  store.version = header.version;
  store.nextNodeId = Math.max(store.nextNodeId, header.nextNodeId);
  store.nextRelId = Math.max(store.nextRelId, header.nextRelId);
  assert(store.version === header.version, 'readSnapshot: version mismatch');
  return { store, header };
}
