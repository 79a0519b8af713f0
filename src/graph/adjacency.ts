/**
 * One direction of every node's relationships, pooled in typed arrays: each node's list is a run
 * of (relationship id, type id) pairs in a chunk of an Int32Array pool, with per-node columns for
 * where the run is, its length and its capacity. A JS array per node cost about 20 bytes of heap
 * an entry (8 for the id, the rest the array, its element store and the chain links of a node with
 * several types), all of it traced by every full collection; a pair costs 8 bytes outside the
 * heap. The type sits beside the id so that an expansion by type reads one run in order, without
 * a random read of the type column per entry.
 *
 * A list is kept grouped by type (ascending type ids, creation order within a type) wherever
 * it is written anew, and appends that keep the order extend the grouped part; `grouped(node)`
 * says how many pairs from the first are so ordered. An expansion by one type reads its segment
 * of that part (a binary search away) and the pairs appended after it.
 *
 * Readers are never disturbed by the applier. A reader takes (chunk, first, length) of a list and
 * reads those pairs; the applier only ever writes pairs past a list's length (an append within its
 * capacity), or writes a list anew elsewhere (growth past its capacity, a removal) and leaves the
 * old pairs as they were: they become garbage, which a compaction copies away from into fresh
 * chunks before dropping the old chunk (a reader holding it keeps it alive).
 */
import { assert } from '../assert.js';
import type { RelColumns } from './rel-columns.js';

/** Int32 slots a pair takes: the relationship id, then its type id. */
export const PAIR_SLOTS = 2;
/**
 * Pairs of one chunk, 1 MiB: chunks keep a compaction's transient copy to one chunk, and growth
 * of the pool from copying everything. A list longer than this gets a chunk of its own.
 */
const CHUNK_PAIRS = 1 << 17;
/** Per-node columns start at this many nodes and grow by half. */
const NODES_CAPACITY_MIN = 1024;
/** A node without a list. */
const NO_CHUNK = -1;
/** A chunk is compacted when this share or more of its pairs are garbage. */
const CHUNK_GARBAGE_SHARE_MIN = 0.25;
/**
 * Compaction runs once garbage exceeds live capacity divided by this: the pool then holds at most
 * about 1 + 1/3 times its lists' capacity, and copying stays amortised (a compaction copies live
 * pairs only from chunks a quarter garbage or more, paid for by the garbage made since the last).
 */
const GARBAGE_DIVISOR = 3;
/** Longest list: its pairs must fit one Int32Array. */
const LIST_PAIRS_MAX = 2 ** 29;

const EMPTY = new Int32Array(0);

/** Node id -> its relationships in one direction (see the file comment). */
export class NodeAdjacency {
  private chunks: (Int32Array | null)[] = [];
  /** Pairs handed out from each chunk (bump allocation), and of those, held by a list. */
  private chunkUsed: number[] = [];
  private chunkLive: number[] = [];
  /** The chunk short lists are allocated from; NO_CHUNK before the first. */
  private tail = NO_CHUNK;
  private livePairs = 0;
  private garbagePairs = 0;
  /**
   * Garbage a compaction left (in chunks too full of lists to be worth copying) plus a chunk:
   * the next compaction waits until that much garbage exists, so it is never rerun for nothing.
   */
  private garbageFloor = CHUNK_PAIRS;
  /** Per node: the chunk of its list (NO_CHUNK: none), its first slot, pairs used and held. */
  private chunkOf: Int32Array = new Int32Array(0);
  private firstOf: Int32Array = new Int32Array(0);
  private lengthOf: Int32Array = new Int32Array(0);
  private capacityOf: Int32Array = new Int32Array(0);
  private groupedOf: Int32Array = new Int32Array(0);
  /** Where the last allocate() put a list: fields, not an object per allocation. */
  private allocChunk = NO_CHUNK;
  private allocFirst = 0;

  /** Nodes with room in the per-node columns (ids below it may hold lists). */
  get nodeCount(): number {
    return this.chunkOf.length;
  }

  /** How many relationships `node` lists (stale ones included, until swept). */
  length(node: number): number {
    return this.lengthOf[node] ?? 0;
  }

  /** The Int32Array holding the pairs of `node`'s list (empty when it has none). */
  pairs(node: number): Int32Array {
    const chunk = this.chunkOf[node] ?? NO_CHUNK;
    return chunk === NO_CHUNK ? EMPTY : (this.chunks[chunk] ?? EMPTY);
  }

  /** The slot of the first pair of `node`'s list in pairs(node): id there, type after it. */
  first(node: number): number {
    return this.firstOf[node] ?? 0;
  }

  /** How many pairs from the first of `node`'s list are grouped by type (see the file comment). */
  grouped(node: number): number {
    return this.groupedOf[node] ?? 0;
  }

  /** Bytes held by the pool and the per-node columns (for memory reports and tests). */
  get bytes(): number {
    let n = this.chunkOf.byteLength * 4;
    for (const c of this.chunks) n += c?.byteLength ?? 0;
    return n;
  }

  /** Makes room in the per-node columns for ids below `count`. */
  reserveNodes(count: number): void {
    const capacity = this.chunkOf.length;
    if (count <= capacity) return;
    const grown = Math.max(count, NODES_CAPACITY_MIN, Math.ceil(capacity * 1.5));
    this.chunkOf = grownColumn(this.chunkOf, grown);
    this.chunkOf.fill(NO_CHUNK, capacity);
    this.firstOf = grownColumn(this.firstOf, grown);
    this.lengthOf = grownColumn(this.lengthOf, grown);
    this.capacityOf = grownColumn(this.capacityOf, grown);
    this.groupedOf = grownColumn(this.groupedOf, grown);
  }

  /** Appends relationship `rel` of type `type` to `node`'s list. */
  add(node: number, rel: number, type: number): void {
    this.compactIfDue();
    const at = this.roomFor(node, 1);
    const pairs = this.chunks[this.chunkOf[node] as number] as Int32Array;
    pairs[at] = rel;
    pairs[at + 1] = type;
    const length = this.lengthOf[node] as number;
    // Still grouped if it was and no type before it is higher (the pair before is the last).
    if (this.groupedOf[node] === length && (length === 0 || (pairs[at - 1] as number) <= type)) {
      this.groupedOf[node] = length + 1;
    }
    this.lengthOf[node] = length + 1;
  }

  /** Appends `rels[from..to)` with their `types` to `node`'s list, in one copy. */
  addRun(node: number, run: { rels: Int32Array; types: Int32Array; from: number; to: number }):
    void {
    assert(run.to > run.from, 'NodeAdjacency.addRun: an empty run');
    this.compactIfDue();
    const added = run.to - run.from;
    const start = this.roomFor(node, added);
    const pairs = this.chunks[this.chunkOf[node] as number] as Int32Array;
    for (let i = run.from, at = start; i < run.to; i++, at += PAIR_SLOTS) {
      pairs[at] = run.rels[i] as number;
      pairs[at + 1] = run.types[i] as number;
    }
    // Past the length readers took: these pairs may be reordered among themselves.
    groupByType(pairs, start, added);
    this.lengthOf[node] = (this.lengthOf[node] as number) + added;
    this.extendGrouped(node);
  }

  /** Counts into the grouped part the pairs after it that keep its order. */
  private extendGrouped(node: number): void {
    const length = this.lengthOf[node] as number;
    let grouped = this.groupedOf[node] as number;
    if (grouped === length) return;
    const pairs = this.chunks[this.chunkOf[node] as number] as Int32Array;
    let slot = (this.firstOf[node] as number) + grouped * PAIR_SLOTS + 1;
    let last = grouped === 0 ? -1 : pairs[slot - PAIR_SLOTS] as number;
    while (grouped < length && (pairs[slot] as number) >= last) {
      last = pairs[slot] as number;
      grouped++;
      slot += PAIR_SLOTS;
    }
    this.groupedOf[node] = grouped;
  }

  /**
   * Removes `rel` from `node`'s list (once no open view can see it): the list is written anew,
   * so a reader walking the old pairs is not disturbed.
   */
  remove(node: number, rel: number): void {
    const length = this.length(node);
    if (length === 0) return;
    this.compactIfDue();
    const from = this.pairs(node);
    const first = this.first(node);
    let kept = 0;
    for (let i = 0; i < length; i++) if (from[first + i * PAIR_SLOTS] !== rel) kept++;
    if (kept === length) return;
    // What is left of a grouped list is grouped.
    const grouped = this.grouped(node) === length;
    this.release(node);
    if (kept === 0) return;
    this.allocate(kept);
    const to = this.chunks[this.allocChunk] as Int32Array;
    let at = this.allocFirst;
    for (let i = 0; i < length; i++) {
      const slot = first + i * PAIR_SLOTS;
      if (from[slot] === rel) continue;
      to[at] = from[slot] as number;
      to[at + 1] = from[slot + 1] as number;
      at += PAIR_SLOTS;
    }
    if (!grouped) groupByType(to, this.allocFirst, kept);
    this.place(node, kept, kept);
  }

  /** Forgets `node`'s whole list (a deleted node, once no view can see it). */
  clear(node: number): void {
    if (this.length(node) > 0) this.release(node);
  }

  /** The relationship ids `node` lists, in order (for checks, not for queries). */
  relsOf(node: number): number[] {
    const pairs = this.pairs(node);
    const first = this.first(node);
    const out: number[] = [];
    for (let i = 0; i < this.length(node); i++) out.push(pairs[first + i * PAIR_SLOTS] as number);
    return out;
  }

  /**
   * The slot where `added` more pairs of `node` go: past its length when its capacity allows,
   * else in a new run (half as large again as needed) holding a copy of the list.
   */
  private roomFor(node: number, added: number): number {
    assert(node >= 0 && node < this.chunkOf.length, 'NodeAdjacency: node beyond the columns');
    const length = this.length(node);
    const capacity = this.capacityOf[node] ?? 0;
    assert(length + added <= LIST_PAIRS_MAX, 'NodeAdjacency: list too long');
    if (length + added <= capacity) return (this.firstOf[node] as number) + length * PAIR_SLOTS;
    // A first run is exact (a bulk build's lists are final); growth leaves room for half again.
    const grown = length === 0 ? added
      : Math.min(LIST_PAIRS_MAX, length + added + Math.max(1, (length + added) >> 1));
    this.allocate(grown);
    if (length > 0) {
      const from = this.pairs(node);
      const first = this.first(node);
      const to = this.chunks[this.allocChunk] as Int32Array;
      to.set(from.subarray(first, first + length * PAIR_SLOTS), this.allocFirst);
      if (this.grouped(node) < length) groupByType(to, this.allocFirst, length);
      this.release(node);
    }
    this.place(node, length, grown);
    return this.allocFirst + length * PAIR_SLOTS;
  }

  /** Points `node` at the run allocate() just made, its `length` pairs grouped by type. */
  private place(node: number, length: number, capacity: number): void {
    this.chunkOf[node] = this.allocChunk;
    this.firstOf[node] = this.allocFirst;
    this.lengthOf[node] = length;
    this.capacityOf[node] = capacity;
    this.groupedOf[node] = length;
  }

  /** Turns `node`'s run into garbage; the node then has no list. */
  private release(node: number): void {
    const chunk = this.chunkOf[node] as number;
    assert(chunk !== NO_CHUNK, 'NodeAdjacency.release: a node without a list');
    const capacity = this.capacityOf[node] as number;
    this.chunkLive[chunk] = (this.chunkLive[chunk] as number) - capacity;
    assert((this.chunkLive[chunk] as number) >= 0, 'NodeAdjacency: a chunk below its lists');
    this.livePairs -= capacity;
    this.garbagePairs += capacity;
    this.chunkOf[node] = NO_CHUNK;
    this.lengthOf[node] = 0;
    this.capacityOf[node] = 0;
    this.groupedOf[node] = 0;
    if (this.chunkLive[chunk] === 0 && chunk !== this.tail) this.dropChunk(chunk);
  }

  /** Room for `capacity` pairs: in the tail chunk, a new tail, or a chunk of its own. */
  private allocate(capacity: number): void {
    if (capacity > CHUNK_PAIRS) {
      this.allocChunk = this.newChunk(capacity);
    } else {
      if (this.tail === NO_CHUNK || (this.chunkUsed[this.tail] as number) + capacity >
        CHUNK_PAIRS) {
        const old = this.tail;
        this.tail = this.newChunk(CHUNK_PAIRS);
        if (old !== NO_CHUNK && this.chunkLive[old] === 0) this.dropChunk(old);
      }
      this.allocChunk = this.tail;
    }
    const chunk = this.allocChunk;
    this.allocFirst = (this.chunkUsed[chunk] as number) * PAIR_SLOTS;
    this.chunkUsed[chunk] = (this.chunkUsed[chunk] as number) + capacity;
    this.chunkLive[chunk] = (this.chunkLive[chunk] as number) + capacity;
    this.livePairs += capacity;
  }

  private newChunk(pairs: number): number {
    let at = this.chunks.indexOf(null);
    if (at < 0) at = this.chunks.length;
    this.chunks[at] = new Int32Array(pairs * PAIR_SLOTS);
    this.chunkUsed[at] = 0;
    this.chunkLive[at] = 0;
    return at;
  }

  /** Forgets a chunk no list points into; its garbage is no longer counted. */
  private dropChunk(chunk: number): void {
    assert(this.chunkLive[chunk] === 0, 'NodeAdjacency: dropping a chunk in use');
    this.garbagePairs -= this.chunkUsed[chunk] as number;
    this.chunks[chunk] = null;
    this.chunkUsed[chunk] = 0;
  }

  private compactIfDue(): void {
    if (this.garbagePairs <= this.garbageFloor ||
      this.garbagePairs * GARBAGE_DIVISOR <= this.livePairs) return;
    this.compact();
    this.garbageFloor = this.garbagePairs + CHUNK_PAIRS;
  }

  /**
   * Copies the lists out of every chunk that is a quarter garbage or more into fresh tail chunks,
   * one chunk at a time (the last list copied out drops it), so the pool grows by at most a chunk.
   */
  private compact(): void {
    const sparse = new Uint8Array(this.chunks.length);
    for (let c = 0; c < this.chunks.length; c++) {
      const used = this.chunkUsed[c] as number;
      sparse[c] = c !== this.tail && this.chunks[c] !== null &&
        used - (this.chunkLive[c] as number) >= used * CHUNK_GARBAGE_SHARE_MIN ? 1 : 0;
    }
    // Nodes grouped by the chunk of their list (a counting sort), so each chunk empties in turn.
    const starts = new Int32Array(this.chunks.length + 1);
    for (let node = 0; node < this.chunkOf.length; node++) {
      const c = this.chunkOf[node] as number;
      if (c !== NO_CHUNK && sparse[c] === 1) starts[c + 1] = (starts[c + 1] as number) + 1;
    }
    for (let c = 0; c < this.chunks.length; c++) {
      starts[c + 1] = (starts[c + 1] as number) + (starts[c] as number);
    }
    const next = starts.slice(0, this.chunks.length);
    const nodes = new Int32Array(starts[this.chunks.length] as number);
    for (let node = 0; node < this.chunkOf.length; node++) {
      const c = this.chunkOf[node] as number;
      if (c === NO_CHUNK || sparse[c] !== 1) continue;
      nodes[next[c] as number] = node;
      next[c] = (next[c] as number) + 1;
    }
    for (const node of nodes) this.move(node);
  }

  /** Copies `node`'s list, with its capacity, to the tail; its old run becomes garbage. */
  private move(node: number): void {
    const length = this.length(node);
    const capacity = this.capacityOf[node] as number;
    const from = this.pairs(node);
    const first = this.first(node);
    this.allocate(capacity);
    const to = this.chunks[this.allocChunk] as Int32Array;
    to.set(from.subarray(first, first + length * PAIR_SLOTS), this.allocFirst);
    if (this.grouped(node) < length) groupByType(to, this.allocFirst, length);
    this.release(node);
    this.place(node, length, capacity);
  }
}

/**
 * Orders the `count` pairs at slot `at` of `pairs` by type, stably. Only for pairs no reader
 * can be reading: a run just written, not yet handed out.
 */
function groupByType(pairs: Int32Array, at: number, count: number): void {
  let ordered = true;
  for (let i = 1; i < count && ordered; i++) {
    ordered = (pairs[at + i * PAIR_SLOTS + 1] as number) >=
      (pairs[at + (i - 1) * PAIR_SLOTS + 1] as number);
  }
  if (ordered) return;
  const copy = pairs.slice(at, at + count * PAIR_SLOTS);
  const typeAt = (i: number): number => copy[i * PAIR_SLOTS + 1] as number;
  const order = Array.from({ length: count }, (_, i) => i)
    .sort((a, b) => typeAt(a) - typeAt(b) || a - b);
  order.forEach((from, i) => {
    pairs[at + i * PAIR_SLOTS] = copy[from * PAIR_SLOTS] as number;
    pairs[at + i * PAIR_SLOTS + 1] = copy[from * PAIR_SLOTS + 1] as number;
  });
}

function grownColumn(column: Int32Array, capacity: number): Int32Array {
  const grown = new Int32Array(capacity);
  grown.set(column);
  return grown;
}

/**
 * Appends each relationship created in [from, rels.count) to the list of its node in `ends`
 * (rels.start or rels.end): a counting sort by node, then one pass over the nodes that adds each
 * node's relationships at once, so a list built in bulk is one exact run.
 */
export function appendAdjacency(adjacency: NodeAdjacency, rels: RelColumns, ends: Int32Array,
  from: number): void {
  const { count, type: relType } = rels;
  const nodes = adjacency.nodeCount;
  const starts = new Int32Array(nodes + 1);
  for (let rel = from; rel < count; rel++) {
    // An id never created has no ends (-1); reading that, not `from`, spares a column's reads.
    const node = ends[rel] as number;
    if (node < 0) continue;
    assert(node < nodes, 'appendAdjacency: a node beyond the adjacency columns');
    starts[node + 1] = (starts[node + 1] as number) + 1;
  }
  for (let node = 0; node < nodes; node++) {
    starts[node + 1] = (starts[node + 1] as number) + (starts[node] as number);
  }
  const next = starts.slice(0, nodes);
  const sorted = new Int32Array(starts[nodes] as number);
  const types = new Int32Array(sorted.length);
  for (let rel = from; rel < count; rel++) {
    const node = ends[rel] as number;
    if (node < 0) continue;
    const at = next[node] as number;
    sorted[at] = rel;
    types[at] = relType[rel] as number;
    next[node] = at + 1;
  }
  const run = { rels: sorted, types, from: 0, to: 0 };
  for (let node = 0; node < nodes; node++) {
    run.from = starts[node] as number;
    run.to = starts[node + 1] as number;
    if (run.to > run.from) adjacency.addRun(node, run);
  }
}
