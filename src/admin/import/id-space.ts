/**
 * The node ids of one id space (`:ID(Person)`), under the keys the importer compares ids by.
 * Small non-negative integer keys, the usual case of generated and exported data, index a typed
 * array: a Map of 200k numbers cost about 1 s of lookups for the benchmark's 2.2M relationship
 * rows (two per row). Other keys (strings, negative or large integers) and node ids that do not
 * fit the array go to a Map.
 */
import { assert } from '../../assert.js';

/** An id as its id space compares it: strings as written, integers by value. */
export type IdKey = string | number;

/** Largest key held in the array: at most 64 MiB of Int32Array per id space. */
const DENSE_KEYS_MAX = 1 << 24;
const DENSE_KEYS_INITIAL = 1024;
const NODE_ID_DENSE_MAX = 0x7fffffff;
const ABSENT = -1;

function isDenseKey(key: IdKey): key is number {
  return typeof key === 'number' && key >= 0 && key < DENSE_KEYS_MAX;
}

export class IdSpace {
  private dense = new Int32Array(DENSE_KEYS_INITIAL).fill(ABSENT);
  private readonly sparse = new Map<IdKey, number>();

  get(key: IdKey): number | undefined {
    if (isDenseKey(key) && key < this.dense.length) {
      const id = this.dense[key] as number;
      if (id !== ABSENT) return id;
    }
    return this.sparse.size === 0 ? undefined : this.sparse.get(key);
  }

  has(key: IdKey): boolean {
    return this.get(key) !== undefined;
  }

  set(key: IdKey, nodeId: number): void {
    assert(Number.isSafeInteger(nodeId) && nodeId >= 0, 'node ids are counts');
    assert(!this.has(key), 'an id is set once');
    if (!isDenseKey(key) || nodeId > NODE_ID_DENSE_MAX) {
      this.sparse.set(key, nodeId);
      return;
    }
    if (key >= this.dense.length) this.grow(key);
    this.dense[key] = nodeId;
  }

  private grow(key: number): void {
    let length = this.dense.length;
    while (length <= key) length *= 2;
    const grown = new Int32Array(Math.min(length, DENSE_KEYS_MAX)).fill(ABSENT);
    grown.set(this.dense);
    this.dense = grown;
  }
}
