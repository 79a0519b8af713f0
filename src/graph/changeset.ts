/**
 * The replicated unit: the physical effect of one committed write transaction. Every id was
 * allocated by the leader at write time, and every changed node or relationship carries its full
 * final state, so applying a ChangeSet is deterministic on every member and idempotent on replay.
 */
import { ChangeSetFrame, CorruptChangeSet, FRAME_FORMAT, parseFrame } from './changeset-frame.js';
import { ChangeSetWriter } from './changeset-writer.js';
import type { ConstraintDescriptor, IndexDescriptor, NodeId, RelId } from './types.js';
import { decodeProperty, type EncodedProperty } from './property-codec.js';
import type { PropertyValue } from './values.js';

export type EncodedProps = [key: string, value: EncodedProperty][];

export type NodeChange =
  | { op: 'create' | 'update'; id: NodeId; labels: string[]; props: EncodedProps }
  | { op: 'delete'; id: NodeId };

export type RelChange =
  | { op: 'create'; id: RelId; type: string; start: NodeId; end: NodeId; props: EncodedProps }
  | { op: 'update'; id: RelId; props: EncodedProps }
  | { op: 'delete'; id: RelId };

export type SchemaChange =
  | { op: 'createIndex'; index: IndexDescriptor }
  | { op: 'dropIndex'; name: string }
  | { op: 'createConstraint'; constraint: ConstraintDescriptor }
  | { op: 'dropConstraint'; name: string };

export interface ChangeSet {
  nodes: NodeChange[];
  rels: RelChange[];
  schema: SchemaChange[];
  /** Opaque records for layers above the graph (users and roles), applied by their owners. */
  system?: unknown[];
}

export function isEmptyChangeSet(cs: ChangeSet): boolean {
  // A frame's counts, not its `nodes` and `rels`, which would decode it into objects.
  const entities = cs instanceof ChangeSetFrame ? cs.parts.nodeCount + cs.parts.relCount
    : cs.nodes.length + cs.rels.length;
  return entities === 0 && cs.schema.length === 0 && (cs.system?.length ?? 0) === 0;
}

/**
 * The bytes of a log entry: a binary frame (docs/decisions/0042). A write transaction's
 * ChangeSet is one already (WriteTx.toChangeSet), so this costs nothing on the commit path;
 * a ChangeSet of objects (a test, a snapshot of format 1) is written change by change.
 */
export function encodeChangeSet(cs: ChangeSet): Uint8Array {
  if (cs instanceof ChangeSetFrame) return cs.bytes;
  const out = new ChangeSetWriter();
  for (const c of cs.nodes) {
    if (c.op === 'delete') out.nodeDelete(c.id);
    else {
      out.node({ created: c.op === 'create', id: c.id, labels: c.labels,
        labelCount: c.labels.length, props: decodedProps(c.props) });
    }
  }
  for (const c of cs.rels) {
    if (c.op === 'delete') out.relDelete(c.id);
    else if (c.op === 'update') out.relUpdate(c.id, decodedProps(c.props));
    else out.relCreate({ ...c, props: decodedProps(c.props) });
  }
  return out.finish(cs.schema, cs.system).bytes;
}

function decodedProps(props: EncodedProps): Map<string, PropertyValue> {
  const out = new Map<string, PropertyValue>();
  for (const [key, value] of props) out.set(key, decodeProperty(value));
  return out;
}

/** The first byte of a ChangeSet written as JSON, before format 1. */
const JSON_OPEN_BRACE = 0x7b;

/**
 * A log entry's ChangeSet. A binary one is checked whole (every length, name number and id)
 * and then read in place by the applier; a JSON one is what logs written before hold. Bytes
 * that are neither throw CorruptChangeSet, before anything is applied.
 */
export function decodeChangeSet(bytes: Uint8Array): ChangeSet {
  const buffer = Buffer.isBuffer(bytes) ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer[0] === FRAME_FORMAT) return parseFrame(buffer);
  if (buffer[0] !== JSON_OPEN_BRACE) {
    throw new CorruptChangeSet(`corrupt ChangeSet: unknown format ${String(buffer[0])}`);
  }
  return parseJsonChangeSet(buffer);
}

function parseJsonChangeSet(buffer: Buffer): ChangeSet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(buffer.toString('utf8'));
  } catch (thrown) {
    throw new CorruptChangeSet(`corrupt ChangeSet: ${(thrown as Error).message}`);
  }
  const cs = parsed as Partial<ChangeSet> | null;
  if (cs === null || !Array.isArray(cs.nodes) || !Array.isArray(cs.rels) ||
    !Array.isArray(cs.schema)) {
    throw new CorruptChangeSet('corrupt ChangeSet: JSON without nodes, rels and schema');
  }
  return cs as ChangeSet;
}
