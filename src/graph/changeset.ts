/**
 * The replicated unit: the physical effect of one committed write transaction. Every id was
 * allocated by the leader at write time, and every changed node or relationship carries its full
 * final state, so applying a ChangeSet is deterministic on every member and idempotent on replay.
 */
import type { ConstraintDescriptor, IndexDescriptor, NodeId, RelId } from './types.js';
import type { EncodedProperty } from './property-codec.js';

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
  return cs.nodes.length === 0 && cs.rels.length === 0 && cs.schema.length === 0 &&
    (cs.system?.length ?? 0) === 0;
}

export function encodeChangeSet(cs: ChangeSet): Uint8Array {
  return Buffer.from(JSON.stringify(cs), 'utf8');
}

export function decodeChangeSet(bytes: Uint8Array): ChangeSet {
  return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as ChangeSet;
}
