/**
 * One node's relationships in one direction, kept by type, so an expansion that names types reads
 * only relationships of those types.
 *
 * Most nodes have relationships of one type in a direction; they keep a plain array of ids, whose
 * type is that of its first entry (a relationship's type never changes and is kept after it is
 * deleted). A node with several types keeps a chain of RelsOfType, one link and one array per
 * type except the last, whose bare array ends the chain: a Person with KNOWS and one LIVES_IN
 * costs one link (48 bytes) besides its two arrays, where a link for each type cost two.
 * No list is ever empty. Readers are never disturbed by the applier: a short list grows by a copy
 * that replaces it, a long one and the chains grow only in place, and a removal replaces the
 * chain it shortens.
 */
import { assert } from '../assert.js';
import type { RelColumns } from './rel-columns.js';

/**
 * The relationships of one type, in a chain of the node's types (two or more): `next` is the
 * next link, or the last type's array.
 */
export class RelsOfType {
  constructor(readonly type: number, public list: number[], public next: NodeRels) {}
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
    const own = listType(slot, relType);
    return own === type ? appended(slot, run) : new RelsOfType(own, slot, newList(run));
  }
  let link = slot;
  for (;;) {
    if (link.type === type) {
      link.list = appended(link.list, run);
      return slot;
    }
    const next = link.next;
    if (!Array.isArray(next)) {
      link = next;
      continue;
    }
    // The last type's array: grown, or given a link so that the new type's array ends the
    // chain. In place either way: a reader sees the old array or the new, both hold its view.
    const own = listType(next, relType);
    link.next = own === type ? appended(next, run) : new RelsOfType(own, next, newList(run));
    return slot;
  }
}

function listType(list: readonly number[], relType: ArrayLike<number>): number {
  assert(list.length > 0, 'adjacency: an empty list, whose type is unknown');
  return relType[list[0] ?? -1] ?? -1;
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

/**
 * `slot` without relationship `rel`. A chain is made again (removals are rare, a chain short),
 * so a reader walking the old one is not disturbed.
 */
export function withoutRel(slot: NodeRels | undefined, rel: number,
  relType: ArrayLike<number>): NodeRels | undefined {
  if (slot === undefined) return undefined;
  if (Array.isArray(slot)) {
    const kept = slot.filter((x) => x !== rel);
    return kept.length === 0 ? undefined : kept;
  }
  const type = relType[rel] ?? -1;
  const lists: number[][] = [];
  for (let c: NodeRels | null = slot; c !== null; c = nextOf(c)) {
    const list = relsOf(c) as number[];
    const kept = typeOf(c, relType) === type ? list.filter((x) => x !== rel) : list;
    if (kept.length > 0) lists.push(kept);
  }
  let chain: NodeRels | undefined = lists.pop();
  for (let i = lists.length - 1; i >= 0 && chain !== undefined; i--) {
    const list = lists[i] as number[];
    chain = new RelsOfType(listType(list, relType), list, chain);
  }
  return chain;
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
