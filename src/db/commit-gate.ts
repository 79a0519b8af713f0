/**
 * Snapshot isolation, first committer wins. Each write transaction reads one version; at commit it
 * is checked against every transaction that was validated after that version: if one of them
 * changed what this one changed (or deleted what this one linked to), this one fails with a
 * transient error that drivers retry. No update is lost silently. See docs/decisions/0008.
 *
 * Sequence numbers count validated transactions. `appliedSeq` is the sequence of the last one
 * whose ChangeSet reached the store, so a transaction that starts now reads exactly the
 * transactions up to it, and must conflict with anything validated later.
 */
import { assert } from '../assert.js';
import { QuiverError } from '../errors/quiver-error.js';

export interface ConflictKeys {
  readonly exclusiveKeys: ReadonlySet<string>;
  readonly sharedKeys: ReadonlySet<string>;
}

export class CommitGate {
  private validatedSeq = 0;
  private appliedSeq = 0;
  private readonly lastExclusive = new Map<string, number>();
  private readonly lastShared = new Map<string, number>();
  private readonly openStarts = new Map<number, number>();
  private settleWaiters: { readonly seq: number; readonly resolve: () => void }[] = [];

  /** Called when a write transaction takes its view. */
  begin(): number {
    const start = this.appliedSeq;
    this.openStarts.set(start, (this.openStarts.get(start) ?? 0) + 1);
    return start;
  }

  /** Called when a write transaction ends, committed or not. */
  end(start: number): void {
    const n = this.openStarts.get(start);
    assert(n !== undefined, 'CommitGate.end: unknown start');
    if (n === 1) this.openStarts.delete(start);
    else this.openStarts.set(start, n - 1);
    this.prune();
  }

  /** Throws a transient conflict error, or reserves a sequence number for this commit. */
  validate(start: number, keys: ConflictKeys): number {
    for (const key of keys.exclusiveKeys) {
      if ((this.lastExclusive.get(key) ?? 0) > start || (this.lastShared.get(key) ?? 0) > start) {
        throw conflict(key);
      }
    }
    for (const key of keys.sharedKeys) {
      if ((this.lastExclusive.get(key) ?? 0) > start) throw conflict(key);
    }
    const seq = ++this.validatedSeq;
    for (const key of keys.exclusiveKeys) this.lastExclusive.set(key, seq);
    for (const key of keys.sharedKeys) this.lastShared.set(key, seq);
    return seq;
  }

  /** The ChangeSet of `seq` is now in the store (or was dropped: it can no longer be seen). */
  applied(seq: number): void {
    if (seq > this.appliedSeq) this.appliedSeq = seq;
    this.wakeSettled();
  }

  private wakeSettled(): void {
    const ready = this.settleWaiters.filter((w) => w.seq <= this.appliedSeq);
    if (ready.length === 0) return;
    this.settleWaiters = this.settleWaiters.filter((w) => w.seq > this.appliedSeq);
    for (const w of ready) w.resolve();
  }

  /**
   * Resolves once every transaction validated so far is applied or dropped: a transaction that
   * begins then reads all of them, so retrying a conflict before that would only conflict again.
   */
  settled(): Promise<void> {
    const seq = this.validatedSeq;
    if (seq <= this.appliedSeq) return Promise.resolve();
    return new Promise((resolve) => this.settleWaiters.push({ seq, resolve }));
  }

  /**
   * After a change of leader nothing validated here is still in flight; commits validated by
   * another leader were applied before this member could start a write.
   */
  reset(): void {
    this.appliedSeq = this.validatedSeq;
    this.wakeSettled();
  }

  private prune(): void {
    let oldest = Infinity;
    for (const s of this.openStarts.keys()) oldest = Math.min(oldest, s);
    if (oldest === Infinity) oldest = this.appliedSeq;
    for (const map of [this.lastExclusive, this.lastShared]) {
      for (const [k, seq] of map) if (seq <= oldest) map.delete(k);
    }
  }
}

function conflict(key: string): QuiverError {
  const what = key.startsWith('n') ? `node ${key.slice(1)}`
    : key.startsWith('r') ? `relationship ${key.slice(1)}`
      : key === 'schema' ? 'the schema' : 'a unique property value';
  return new QuiverError('DeadlockDetected',
    `This transaction conflicts with a concurrent transaction that changed ${what} ` +
    'after this transaction started; it was rolled back and can be retried.');
}
