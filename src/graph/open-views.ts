/**
 * The versions the store's open views read, with a count each, oldest first: what tells the
 * applier which old versions must be kept and when a deferred sweep may run.
 *
 * Every query opens and closes a view. A `Map` of version to count did it with a `set` and a
 * `delete` per query, and a long-lived Map rehashes its table into a new one in the old
 * generation every few deletions: about 150 bytes a query of garbage that only a full collection
 * frees, so the heap grew by hundreds of MiB during a read benchmark. Two typed arrays used as a
 * sorted run (`head` to `tail`) allocate nothing once grown.
 */
import { assert } from '../assert.js';

/** Room to start with; doubled when full, so a burst of open versions costs amortised O(1). */
const CAPACITY_MIN = 16;

export class OpenViews {
  /** Ascending in [head, tail): views open at the store's version, which only grows. */
  private versions = new Float64Array(CAPACITY_MIN);
  /** Views open per version; 0 for a version whose views all closed while an older one stays. */
  private counts = new Int32Array(CAPACITY_MIN);
  private head = 0;
  private tail = 0;
  /** Entries in [head, tail) whose count is 0, compacted away once they are half the run. */
  private closedEntries = 0;

  /** Distinct versions with an open view. */
  get size(): number {
    return this.tail - this.head - this.closedEntries;
  }

  /** The oldest version an open view reads, or Infinity when none is open. */
  oldest(): number {
    return this.head === this.tail ? Infinity : (this.versions[this.head] as number);
  }

  open(version: number): void {
    const last = this.tail - 1;
    if (last >= this.head && this.versions[last] === version) {
      this.counts[last] = (this.counts[last] as number) + 1;
      return;
    }
    assert(last < this.head || (this.versions[last] as number) < version,
      'openView: versions only grow');
    if (this.tail === this.versions.length) this.makeRoom();
    this.versions[this.tail] = version;
    this.counts[this.tail] = 1;
    this.tail++;
  }

  close(version: number): void {
    const at = this.indexOf(version);
    const count = at < 0 ? 0 : (this.counts[at] as number);
    assert(count > 0, 'closeView: view not open');
    this.counts[at] = count - 1;
    if (count > 1) return;
    this.closedEntries++;
    // Closed entries at either end go at once, so `oldest` and `open` see an open one there.
    while (this.head < this.tail && this.counts[this.head] === 0) {
      this.head++;
      this.closedEntries--;
    }
    while (this.tail > this.head && this.counts[this.tail - 1] === 0) {
      this.tail--;
      this.closedEntries--;
    }
    if (this.head === this.tail) this.head = this.tail = 0;
    else if (this.closedEntries * 2 > this.tail - this.head) this.compact();
  }

  /** Binary search over the sorted run; -1 when `version` has no entry. */
  private indexOf(version: number): number {
    let lo = this.head;
    let hi = this.tail - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.versions[mid] as number;
      if (v === version) return mid;
      if (v < version) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Moves the run to the front, dropping closed entries; grows the arrays if still full. */
  private makeRoom(): void {
    this.compact();
    if (this.tail < this.versions.length) return;
    const versions = new Float64Array(this.versions.length * 2);
    const counts = new Int32Array(this.counts.length * 2);
    versions.set(this.versions);
    counts.set(this.counts);
    this.versions = versions;
    this.counts = counts;
  }

  private compact(): void {
    let to = 0;
    for (let from = this.head; from < this.tail; from++) {
      const count = this.counts[from] as number;
      if (count === 0) continue;
      this.versions[to] = this.versions[from] as number;
      this.counts[to] = count;
      to++;
    }
    this.head = 0;
    this.tail = to;
    this.closedEntries = 0;
  }
}
