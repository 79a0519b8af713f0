/**
 * Read-index requests waiting for a heartbeat round (Raft dissertation §6.4): a read is safe at
 * the commit index the leader had when the request arrived, once a majority has confirmed that
 * it was still leader after that moment.
 */
import { assert } from '../assert.js';
import type { LogIndex, MemberId } from './types.js';

export interface PendingRead {
  readonly ctx: string;
  readonly index: LogIndex;
  /** The member that asked: the leader itself, or a follower that forwarded its request. */
  readonly requester: MemberId;
  readonly acks: Set<MemberId>;
}

export class ReadIndexQueue {
  private readonly byCtx = new Map<string, PendingRead>();
  private order: string[] = [];

  constructor(private readonly countMax: number) {}

  has(ctx: string): boolean {
    return this.byCtx.has(ctx);
  }

  full(): boolean {
    return this.order.length >= this.countMax;
  }

  add(read: Omit<PendingRead, 'acks'>): void {
    assert(!this.full(), 'read-index queue overflow');
    assert(!this.has(read.ctx), 'read-index ctx must be unique');
    this.byCtx.set(read.ctx, { ...read, acks: new Set() });
    this.order.push(read.ctx);
  }

  /** Returns the confirming members so far, or null for an unknown (finished) ctx. */
  ack(ctx: string, from: MemberId): ReadonlySet<MemberId> | null {
    const read = this.byCtx.get(ctx);
    if (read === undefined) return null;
    read.acks.add(from);
    return read.acks;
  }

  /** A confirmed request also confirms every request queued before it. */
  releaseThrough(ctx: string): PendingRead[] {
    const position = this.order.indexOf(ctx);
    assert(position >= 0, 'released ctx must be pending');
    const released = this.order.slice(0, position + 1).map((c) => {
      const read = this.byCtx.get(c);
      assert(read !== undefined, 'queued ctx must have a request');
      this.byCtx.delete(c);
      return read;
    });
    this.order = this.order.slice(position + 1);
    return released;
  }

  lastCtx(): string | null {
    return this.order[this.order.length - 1] ?? null;
  }

  clear(): void {
    this.byCtx.clear();
    this.order = [];
  }
}
