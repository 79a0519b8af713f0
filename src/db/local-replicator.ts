/**
 * The standalone commit path: append to the local log (group commit shares fsyncs among
 * concurrent commits), then apply in log order. With no log (an in-memory database) entries are
 * applied at once.
 */
import { QuiverError } from '../errors/quiver-error.js';
import type { ChangeSet } from '../graph/changeset.js';
import type { SegmentedLog } from '../log/index.js';
import type { MemberRole, Replicator } from './replicator.js';
import type { GraphStateMachine } from './state-machine.js';

interface Pending {
  readonly data: Uint8Array;
  readonly changes: ChangeSet | undefined;
  durable: boolean;
  readonly resolve: (index: number) => void;
  readonly reject: (e: unknown) => void;
}

/** The term of a new log. */
const TERM_FIRST = 1;

export class LocalReplicator implements Replicator {
  private nextIndex: number;
  /**
   * The log's last term, so that entries never go back in term: a store restored from a cluster
   * member's backup holds entries of that cluster's terms.
   */
  private readonly term: number;
  private readonly pending = new Map<number, Pending>();
  private failure: QuiverError | null = null;

  constructor(
    private readonly machine: GraphStateMachine,
    private readonly log: SegmentedLog | null,
  ) {
    this.nextIndex = Math.max(machine.appliedIndex, log?.lastIndex() ?? 0) + 1;
    this.term = Math.max(TERM_FIRST, log?.termAt(log.lastIndex()) ?? 0);
  }

  replicate(data: Uint8Array, changes?: ChangeSet): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    const index = this.nextIndex++;
    return new Promise<number>((resolve, reject) => {
      const p: Pending = { data, changes, durable: false, resolve, reject };
      this.pending.set(index, p);
      if (!this.log) {
        p.durable = true;
        this.applyReady();
        return;
      }
      // A callback, not the promise append() returns: the commit is applied and its caller
      // resolved straight from the fdatasync's completion (docs/decisions/0034).
      const refusal = this.log.appendThen([{ index, term: this.term, kind: 'normal', data }],
        (error) => {
          if (error !== null) return this.fail(error);
          p.durable = true;
          this.applyReady();
        });
      if (refusal === null) return;
      if (!(refusal instanceof QuiverError)) return this.fail(refusal); // the log has stopped
      // Refused before anything was written (too large, or the write queue is full): only this
      // commit fails, and its index is given back so the next one leaves no gap.
      this.pending.delete(index);
      this.nextIndex = index;
      reject(refusal);
    });
  }

  private applyReady(): void {
    for (;;) {
      const index = this.machine.appliedIndex + 1;
      const p = this.pending.get(index);
      if (!p || !p.durable) return;
      this.pending.delete(index);
      this.machine.apply({ index, term: this.term, kind: 'normal', data: p.data }, p.changes);
      p.resolve(index);
    }
  }

  /** A failed append leaves a gap nothing can fill: stop taking writes rather than corrupt. */
  private fail(cause: unknown): void {
    const why = cause instanceof Error ? cause.message : String(cause);
    this.failure = new QuiverError('DatabaseUnavailable',
      `The database stopped accepting writes after a log write failed: ${why}`);
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }

  canWrite(): boolean {
    return this.failure === null;
  }

  role(): MemberRole {
    return 'LEADER';
  }

  onLeadershipChange(): void {
    // A standalone member leads from the start and never changes.
  }

  async close(): Promise<void> {
    await this.log?.close();
  }
}
