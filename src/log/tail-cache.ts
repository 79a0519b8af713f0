/**
 * The newest entries of the log, in memory: every entry not yet written (read() must find
 * it somewhere) plus recently written ones up to a byte budget, since followers mostly read
 * what was just appended. Holds a contiguous run [firstIndex, firstIndex + count).
 */
import { assert } from '../assert.js';
import type { LogEntry } from './log-types.js';

/** Dropped slots are only compacted away in batches so eviction stays O(1) amortised. */
const COMPACT_SLOTS_MIN = 1024;

export class TailCache {
  /** Slots before `head` were dropped and are cleared so their bytes can be collected. */
  private slots: (LogEntry | undefined)[] = [];
  private head = 0;
  private first: number;
  private bytes = 0;

  constructor(firstIndex: number) {
    this.first = firstIndex;
  }

  get firstIndex(): number {
    return this.first;
  }

  /** One past the newest cached index. */
  get endIndex(): number {
    return this.first + this.slots.length - this.head;
  }

  get(index: number): LogEntry | undefined {
    if (index < this.first || index >= this.endIndex) return undefined;
    return this.slots[this.head + index - this.first];
  }

  push(entries: readonly LogEntry[]): void {
    assert(entries[0] === undefined || entries[0].index === this.endIndex, 'cache is contiguous');
    for (const entry of entries) {
      this.slots.push(entry);
      this.bytes += entry.data.byteLength;
    }
  }

  /** Forgets [index, end); an index before the cache empties it and restarts it there. */
  truncateFrom(index: number): void {
    if (index <= this.first) {
      this.reset(index);
      return;
    }
    while (this.endIndex > index) this.bytes -= this.slots.pop()?.data.byteLength ?? 0;
  }

  reset(index: number): void {
    this.slots = [];
    this.head = 0;
    this.bytes = 0;
    this.first = index;
  }

  /** Forgets entries before `index` (they were compacted away). */
  dropBelow(index: number): void {
    while (this.first < index && this.head < this.slots.length) this.dropOldest();
    if (this.first < index) this.reset(index);
  }

  /** Drops the oldest entries while over budget, never one after `stableIndex` (unwritten). */
  evict(stableIndex: number, bytesMax: number): void {
    while (this.bytes > bytesMax && this.first <= stableIndex && this.head < this.slots.length) {
      this.dropOldest();
    }
  }

  private dropOldest(): void {
    this.bytes -= this.slots[this.head]?.data.byteLength ?? 0;
    this.slots[this.head] = undefined;
    this.head++;
    this.first++;
    if (this.head >= COMPACT_SLOTS_MIN && this.head * 2 >= this.slots.length) {
      this.slots = this.slots.slice(this.head);
      this.head = 0;
    }
  }
}
