/**
 * The node ids a property index holds under one key (GraphStore.propertyIndexes). A single id
 * needs no Set, and most keys of a large index (every key of a unique one) have one node: a Set
 * per key was about 150 bytes of each indexed node. Entries may hold stale ids; readers recheck.
 */
import type { NodeId } from './types.js';

export type IndexEntry = NodeId | Set<NodeId>;

export function entryIds(entry: IndexEntry | undefined): Iterable<NodeId> {
  if (entry === undefined) return [];
  return typeof entry === 'number' ? [entry] : entry;
}

export function entryHas(entry: IndexEntry | undefined, id: NodeId): boolean {
  return typeof entry === 'number' ? entry === id : entry?.has(id) === true;
}

/**
 * `entry` with `id` added. A Set grows in place; a single id is replaced by a new Set, so a
 * reader iterating the entry it read is not disturbed.
 */
export function entryWith(entry: IndexEntry | undefined, id: NodeId): IndexEntry {
  if (entry === undefined) return id;
  if (typeof entry !== 'number') return entry.add(id);
  return entry === id ? entry : new Set([entry, id]);
}
