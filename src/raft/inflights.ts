/**
 * The Append messages in flight to one follower, as a ring of their last indexes. It bounds
 * how far a leader pipelines ahead of acknowledgements (maxInflightAppends).
 */
import { assert } from '../assert.js';
import type { LogIndex } from './types.js';

export class Inflights {
  private readonly ring: LogIndex[];
  private start = 0;
  count = 0;

  constructor(readonly capacity: number) {
    assert(capacity > 0, 'inflight capacity must be positive');
    this.ring = new Array<LogIndex>(capacity);
  }

  full(): boolean {
    return this.count === this.capacity;
  }

  /** Callers check full() first: a window that overflows is a bug, not a condition. */
  add(lastIndex: LogIndex): void {
    assert(!this.full(), 'inflight window overflow');
    const previous = this.count > 0 ? this.at(this.count - 1) : undefined;
    assert(previous === undefined || lastIndex > previous, 'inflight indexes must increase');
    this.ring[(this.start + this.count) % this.capacity] = lastIndex;
    this.count += 1;
  }

  /** Everything up to an acknowledged index has arrived. */
  freeLE(index: LogIndex): void {
    while (this.count > 0 && this.at(0) <= index) {
      this.start = (this.start + 1) % this.capacity;
      this.count -= 1;
    }
  }

  freeFirstOne(): void {
    if (this.count === 0) return;
    this.freeLE(this.at(0));
  }

  reset(): void {
    this.start = 0;
    this.count = 0;
  }

  private at(offset: number): LogIndex {
    const value = this.ring[(this.start + offset) % this.capacity];
    assert(value !== undefined, 'inflight slot must be filled');
    return value;
  }
}
