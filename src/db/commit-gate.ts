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
import type { ConflictKey } from '../graph/write-tx.js';

export interface ConflictKeys {
  readonly exclusiveKeys: ReadonlySet<ConflictKey>;
  readonly sharedKeys: ReadonlySet<ConflictKey>;
}

export class CommitGate {
  private validatedSeq = 0;
  private appliedSeq = 0;
  /**
   * Key -> sequence of the last transaction that claimed it. Each key is re-inserted when it is
   * claimed again, so iteration order is sequence order and pruning stops at the first key still
   * needed instead of scanning them all.
   */
  private readonly lastExclusive = new Map<ConflictKey, number>();
  private readonly lastShared = new Map<ConflictKey, number>();
  /**
   * Start -> open transactions. Starts are handed out in non-decreasing order (appliedSeq only
   * grows), so the first key is the oldest open start.
   */
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
    for (const key of keys.exclusiveKeys) claim(this.lastExclusive, key, seq);
    for (const key of keys.sharedKeys) claim(this.lastShared, key, seq);
    return seq;
  }

  /** The ChangeSet of `seq` is now in the store (or was dropped: it can no longer be seen). */
  applied(seq: number): void {
    if (seq > this.appliedSeq) this.appliedSeq = seq;
    this.wakeSettled();
  }

  private wakeSettled(): void {
    if (this.settleWaiters.length === 0) return; // the common case: no conflict being retried
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

  /** Forgets claims no open or future transaction can conflict with. */
  private prune(): void {
    const first = this.openStarts.keys().next();
    const oldest = first.done === true ? this.appliedSeq : first.value;
    pruneUpTo(this.lastExclusive, oldest);
    pruneUpTo(this.lastShared, oldest);
  }

  /** Claimed keys still remembered, for tests of the pruning. */
  rememberedKeyCount(): number {
    return this.lastExclusive.size + this.lastShared.size;
  }
}

function claim(map: Map<ConflictKey, number>, key: ConflictKey, seq: number): void {
  map.delete(key);
  map.set(key, seq);
}

/** Deletes entries with seq <= oldest; the map is in sequence order, so it stops early. */
function pruneUpTo(map: Map<ConflictKey, number>, oldest: number): void {
  for (const [key, seq] of map) {
    if (seq > oldest) return;
    map.delete(key);
  }
}

function conflict(key: ConflictKey): QuiverError {
  return new QuiverError('DeadlockDetected',
    `This transaction conflicts with a concurrent transaction that changed ${describe(key)} ` +
    'after this transaction started; it was rolled back and can be retried.');
}

/** A key as the error names it (see ConflictKey in graph/write-tx.ts). */
function describe(key: ConflictKey): string {
  if (typeof key === 'number') {
    return key >= 0 ? `node ${key}` : `relationship ${-1 - key}`;
  }
  return key === 'schema' ? 'the schema' : key === 'system' ? 'users or roles'
    : 'a unique property value';
}
