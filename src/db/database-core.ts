/** What every transaction of one database shares. */
import type { ProcedureRegistry } from '../cypher/procedures.js';
import type { IdAllocator } from '../graph/write-tx.js';
import { formatBookmark } from './bookmark.js';
import { CommitGate } from './commit-gate.js';
import type { Replicator } from './replicator.js';
import type { GraphStateMachine } from './state-machine.js';

export interface TrackedTransaction {
  readonly id: string;
  readonly user: string;
  readonly startedAtMs: number;
  readonly currentQuery: string;
  readonly status: string;
  terminate(): void;
}

/**
 * The running transactions, for SHOW / TERMINATE TRANSACTIONS. An array rather than a Set: every
 * query adds and removes one, and a long-lived Set is rehashed in V8's old generation every few
 * deletions, about 120 bytes of garbage per query (decision 0043). Few run at once, so a removal's
 * scan is short.
 */
export class RunningTransactions implements Iterable<TrackedTransaction> {
  private readonly running: TrackedTransaction[] = [];

  get size(): number {
    return this.running.length;
  }

  add(tx: TrackedTransaction): void {
    this.running.push(tx);
  }

  delete(tx: TrackedTransaction): void {
    const at = this.running.lastIndexOf(tx);
    if (at < 0) return;
    const last = this.running.pop() as TrackedTransaction;
    if (at < this.running.length) this.running[at] = last;
  }

  /** A copy: a transaction terminated while they are listed leaves the registry. */
  [Symbol.iterator](): Iterator<TrackedTransaction> {
    return [...this.running][Symbol.iterator]();
  }
}

export class DatabaseCore {
  readonly gate = new CommitGate();
  readonly transactions = new RunningTransactions();
  private nextNode = 0;
  private nextRel = 0;
  /** The last bookmark made: every read of one version hands out the same text. */
  private lastBookmark = { index: -1, storeId: '', text: '' };

  /** Ids are allocated at write time by the member that leads, never reused in flight. */
  readonly ids: IdAllocator = {
    nodeId: () => {
      this.nextNode = Math.max(this.nextNode, this.machine.store.nextNodeId);
      return this.nextNode++;
    },
    relId: () => {
      this.nextRel = Math.max(this.nextRel, this.machine.store.nextRelId);
      return this.nextRel++;
    },
  };

  constructor(
    readonly name: string,
    /** Bookmarks carry it; a cluster member takes its cluster's id once bound. */
    public storeId: string,
    readonly machine: GraphStateMachine,
    public replicator: Replicator,
    readonly procedures: ProcedureRegistry,
    readonly importDir: string | null,
  ) {}

  /** The bookmark of log position `index` in this store. */
  bookmarkAt(index: number): string {
    const last = this.lastBookmark;
    if (last.index === index && last.storeId === this.storeId) return last.text;
    const text = formatBookmark({ database: this.name, storeId: this.storeId, index });
    this.lastBookmark = { index, storeId: this.storeId, text };
    return text;
  }

  forget(tx: TrackedTransaction): void {
    this.transactions.delete(tx);
  }

  /** After a change of leader, allocation restarts from what the store has applied. */
  resetAfterLeadershipChange(): void {
    this.gate.reset();
    this.nextNode = this.machine.store.nextNodeId;
    this.nextRel = this.machine.store.nextRelId;
  }
}
