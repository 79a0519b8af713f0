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
   * Key -> sequence of the last small transaction that claimed it. Each key is re-inserted when
   * it is claimed again, so iteration order is sequence order and pruning stops at the first
   * key still needed instead of scanning them all.
   */
  private readonly lastExclusive = new Map<ConflictKey, number>();
  private readonly lastShared = new Map<ConflictKey, number>();
  /**
   * The key sets of large transactions (SET_CLAIM_KEYS_MIN keys or more) not yet pruned, in
   * sequence order from `claimsHead`. Such a claim keeps the transaction's own sets rather than
   * copying each key into the maps above: a 10k-row load claims some 20k keys that, with no
   * concurrent transaction, nothing ever looks up, and copying then pruning them cost more than
   * the rest of the gate. Small ones still go to the maps, which hold a key claimed again and
   * again once.
   */
  private claims: Claim[] = [];
  private claimsHead = 0;
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

  /**
   * Throws a transient conflict error, or reserves a sequence number for this commit. The gate
   * keeps `keys`' sets until no open transaction can conflict with them: the caller must not
   * change them after this call.
   */
  validate(start: number, keys: ConflictKeys): number {
    if (this.hitsMaps(start, keys) || this.hitsSets(start, keys)) {
      throw conflict(this.firstConflictingKey(start, keys));
    }
    const seq = ++this.validatedSeq;
    if (keys.exclusiveKeys.size + keys.sharedKeys.size >= SET_CLAIM_KEYS_MIN) {
      this.claims.push({ seq, exclusiveKeys: keys.exclusiveKeys, sharedKeys: keys.sharedKeys });
    } else {
      for (const key of keys.exclusiveKeys) claim(this.lastExclusive, key, seq);
      for (const key of keys.sharedKeys) claim(this.lastShared, key, seq);
    }
    return seq;
  }

  private hitsMaps(start: number, keys: ConflictKeys): boolean {
    if (this.lastExclusive.size === 0 && this.lastShared.size === 0) return false;
    for (const key of keys.exclusiveKeys) if (this.inMaps(key, start, true)) return true;
    for (const key of keys.sharedKeys) if (this.inMaps(key, start, false)) return true;
    return false;
  }

  private inMaps(key: ConflictKey, start: number, sharedToo: boolean): boolean {
    return (this.lastExclusive.get(key) ?? 0) > start ||
      (sharedToo && (this.lastShared.get(key) ?? 0) > start);
  }

  private hitsSets(start: number, keys: ConflictKeys): boolean {
    for (let i = this.claims.length - 1; i >= this.claimsHead; i--) {
      const c = this.claims[i] as Claim;
      if (c.seq <= start) break;
      if (overlaps(keys.exclusiveKeys, c.exclusiveKeys) ||
        overlaps(keys.exclusiveKeys, c.sharedKeys) || overlaps(keys.sharedKeys, c.exclusiveKeys)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The key a conflict names: the first of this transaction's, its exclusive keys first. Only
   * on the way to an error, so it may look every key up in every later claim.
   */
  private firstConflictingKey(start: number, keys: ConflictKeys): ConflictKey {
    const later = this.claims.slice(this.claimsHead).filter((c) => c.seq > start);
    for (const key of keys.exclusiveKeys) {
      if (this.inMaps(key, start, true) ||
        later.some((c) => c.exclusiveKeys.has(key) || c.sharedKeys.has(key))) return key;
    }
    for (const key of keys.sharedKeys) {
      if (this.inMaps(key, start, false) || later.some((c) => c.exclusiveKeys.has(key))) {
        return key;
      }
    }
    assert(false, 'CommitGate: a conflict without a conflicting key');
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
    while (this.claimsHead < this.claims.length &&
      (this.claims[this.claimsHead] as Claim).seq <= oldest) {
      this.claims[this.claimsHead++] = PRUNED;
    }
    // Compacted once half is pruned, so the array stays within twice the claims remembered.
    if (this.claimsHead > 0 && this.claimsHead * 2 >= this.claims.length) {
      this.claims = this.claims.slice(this.claimsHead);
      this.claimsHead = 0;
    }
  }

  /** Claimed keys still remembered (twice if in two kept sets), for tests of the pruning. */
  rememberedKeyCount(): number {
    let count = this.lastExclusive.size + this.lastShared.size;
    for (let i = this.claimsHead; i < this.claims.length; i++) {
      const c = this.claims[i] as Claim;
      count += c.exclusiveKeys.size + c.sharedKeys.size;
    }
    return count;
  }
}

/**
 * From this many keys a transaction's claim keeps its sets. Large enough that the many small
 * commits of a busy server share the maps (a hot key once, however often claimed), small
 * enough that a load's batch never copies its keys.
 */
const SET_CLAIM_KEYS_MIN = 256;

interface Claim extends ConflictKeys {
  readonly seq: number;
}

/** Stands in a pruned slot so that the claim's sets can be collected before compaction. */
const PRUNED: Claim = { seq: 0, exclusiveKeys: new Set(), sharedKeys: new Set() };

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

/** Whether two key sets share a key; walks the smaller and looks each key up in the larger. */
function overlaps(a: ReadonlySet<ConflictKey>, b: ReadonlySet<ConflictKey>): boolean {
  if (a.size > b.size) return overlaps(b, a);
  if (a.size === 0) return false;
  for (const key of a) if (b.has(key)) return true;
  return false;
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
