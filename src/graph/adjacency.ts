/**
 * One node's relationships in one direction, kept by type, so an expansion that names types reads
 * only relationships of those types.
 *
 * Most nodes have relationships of one type in a direction; they keep a plain array of ids, whose
 * type is that of its first entry (a relationship's type never changes and is kept after it is
 * deleted). A node with several types keeps a chain of RelsOfType, one link and one array per
 * type: two small objects cost less than an object holding two arrays of types and of lists.
 * No list is ever empty. Readers are never disturbed by the applier: a short list grows by a copy
 * that replaces it, a long one and the chains grow only in place, and a removal replaces the list
 * it shortens (or the chain, when a type goes).
 */
import { assert } from '../assert.js';
import type { RelColumns } from './rel-columns.js';

/** The relationships of one type, in a chain of the node's types (two or more). */
export class RelsOfType {
  constructor(readonly type: number, public list: number[], public next: RelsOfType | null) {}
}

export type NodeRels = number[] | RelsOfType;
/** Node id -> its relationships in one direction. */
export type AdjacencyLists = (NodeRels | undefined)[];

/** The relationship ids of one type list: `slot` itself or one link of its chain. */
export function relsOf(list: NodeRels): readonly number[] {
  return Array.isArray(list) ? list : list.list;
}

/** The type of one type list. */
export function typeOf(list: NodeRels, relType: ArrayLike<number>): number {
  return Array.isArray(list) ? (relType[list[0] ?? -1] ?? -1) : list.type;
}

/** The type list after `list`, or null. */
export function nextOf(list: NodeRels): NodeRels | null {
  return Array.isArray(list) ? null : list.next;
}

/**
 * Adds relationships `rels[from..to)`, all of type `type`, to `slot`; returns what the node's
 * entry must now be (the same object unless its shape changed).
 */
export function withRels(slot: NodeRels | undefined, type: number, run: RelRun,
  relType: ArrayLike<number>): NodeRels {
  assert(run.to > run.from, 'withRels: an empty run');
  if (slot === undefined) return newList(run);
  if (Array.isArray(slot)) {
    assert(slot.length > 0, 'withRels: an empty list, whose type is unknown');
    const own = relType[slot[0] ?? -1] ?? -1;
    if (own !== type) return new RelsOfType(own, slot, new RelsOfType(type, newList(run), null));
    return appended(slot, run);
  }
  let last = slot;
  for (let c: RelsOfType | null = slot; c !== null; c = c.next) {
    if (c.type === type) {
      c.list = appended(c.list, run);
      return slot;
    }
    last = c;
  }
  // In place: a reader that sees the new type finds only relationships newer than its view.
  last.next = new RelsOfType(type, newList(run), null);
  return slot;
}

interface RelRun {
  readonly rels: ArrayLike<number>;
  readonly from: number;
  readonly to: number;
}

/**
 * A list of exactly the run's length: one grown by push keeps room for 16 more entries, which
 * for the usual short list costs more than its entries (V8 then reads it with a hole check).
 */
function newList(run: RelRun): number[] {
  const list = new Array<number>(run.to - run.from);
  for (let i = run.from; i < run.to; i++) list[i - run.from] = run.rels[i] ?? -1;
  return list;
}

/**
 * Lists up to this length grow by an exact copy: `push` would leave room for half as many
 * again plus 16, about 7 unused entries (56 bytes) on the typical list of 10 that a load one
 * relationship at a time builds. Longer lists take `push`, so a hub's growth stays amortised.
 */
const EXACT_LIST_LENGTH_MAX = 64;

/** `list` with the run appended: a new list when it is short, else `list` grown in place. */
function appended(list: number[], run: RelRun): number[] {
  const length = list.length + run.to - run.from;
  if (length > EXACT_LIST_LENGTH_MAX) {
    for (let i = run.from; i < run.to; i++) list.push(run.rels[i] ?? -1);
    return list;
  }
  const grown = new Array<number>(length);
  for (let i = 0; i < list.length; i++) grown[i] = list[i] ?? -1;
  for (let i = run.from; i < run.to; i++) grown[list.length + i - run.from] = run.rels[i] ?? -1;
  return grown;
}

/** `slot` without relationship `rel`, replacing what it shortens (see the file comment). */
export function withoutRel(slot: NodeRels | undefined, rel: number,
  relType: ArrayLike<number>): NodeRels | undefined {
  if (slot === undefined) return undefined;
  if (Array.isArray(slot)) {
    const kept = slot.filter((x) => x !== rel);
    return kept.length === 0 ? undefined : kept;
  }
  const type = relType[rel] ?? -1;
  let c: RelsOfType | null = slot;
  while (c !== null && c.type !== type) c = c.next;
  if (c === null) return slot;
  const kept = c.list.filter((x) => x !== rel);
  if (kept.length > 0) {
    c.list = kept;
    return slot;
  }
  // A type goes: a new chain, so a reader walking the old one is not disturbed.
  const rest: RelsOfType[] = [];
  for (let d: RelsOfType | null = slot; d !== null; d = d.next) if (d !== c) rest.push(d);
  const [only] = rest;
  if (rest.length === 1 && only !== undefined) return only.list;
  return rest.reduceRight<RelsOfType | null>((next, d) => new RelsOfType(d.type, d.list, next),
    null) ?? undefined;
}

/** Every relationship id in `slot`, whatever its type (for checks, not for queries). */
export function* allRels(slot: NodeRels | undefined): Iterable<number> {
  for (let c: NodeRels | null = slot ?? null; c !== null; c = nextOf(c)) yield* relsOf(c);
}

/**
 * Appends each relationship created in [from, rels.count) to the lists of its node in `ends`
 * (rels.start or rels.end): a counting sort by node, then one sequential pass over the nodes that
 * adds each run of one type at once. Types are gathered in the sorting pass, which reads them in
 * order, not at random.
 */
export function appendAdjacency(lists: AdjacencyLists, rels: RelColumns, ends: Int32Array,
  from: number): void {
  const { count, type: relType } = rels;
  const starts = new Int32Array(lists.length + 1);
  for (let rel = from; rel < count; rel++) {
    // An id never created has no ends (-1); reading that, not `from`, spares a column's reads.
    const node = ends[rel] as number;
    if (node < 0) continue;
    starts[node + 1] = (starts[node + 1] ?? 0) + 1;
  }
  for (let node = 0; node < lists.length; node++) {
    starts[node + 1] = (starts[node + 1] ?? 0) + (starts[node] ?? 0);
  }
  const next = starts.slice(0, lists.length);
  const sorted = new Int32Array(starts[lists.length] ?? 0);
  const types = new Int32Array(sorted.length);
  for (let rel = from; rel < count; rel++) {
    const node = ends[rel] as number;
    if (node < 0) continue;
    const at = next[node] ?? 0;
    sorted[at] = rel;
    types[at] = relType[rel] ?? -1;
    next[node] = at + 1;
  }
  for (let node = 0; node < lists.length; node++) {
    const end = starts[node + 1] ?? 0;
    let first = starts[node] ?? 0;
    while (first < end) {
      const type = types[first] ?? -1;
      let to = first + 1;
      while (to < end && types[to] === type) to++;
      lists[node] = withRels(lists[node], type, { rels: sorted, from: first, to }, relType);
      first = to;
    }
  }
}
