/**
 * Applies committed log entries to the graph in log order, and lets callers wait until a log
 * position has been applied (commits waiting for their own entry, transactions waiting for a
 * bookmark). The same applier runs on standalone servers, cores, replicas and on recovery.
 */
import { assert } from '../assert.js';
import { QuiverError } from '../errors/quiver-error.js';
import { decodeChangeSet, type ChangeSet } from '../graph/changeset.js';
import { GraphStore } from '../graph/store.js';

export interface AppliedEntry {
  readonly index: number;
  readonly term: number;
  readonly kind: 'normal' | 'noop' | 'config';
  readonly data: Uint8Array;
}

interface Waiter {
  readonly index: number;
  readonly resolve: () => void;
}

export class GraphStateMachine {
  private waiters: Waiter[] = [];
  /** Hooks for layers above the graph (users and roles) that ride in ChangeSets. */
  onSystemRecords: ((records: unknown[], index: number) => void) | null = null;
  lastAppliedTerm = 0;

  constructor(public store: GraphStore = new GraphStore()) {}

  get appliedIndex(): number {
    return this.store.version;
  }

  /**
   * `built` is the ChangeSet the leader encoded into `entry.data`, when this member built it:
   * applying it saves decoding the bytes again on the commit path. Only node and relationship
   * changes take that path, because their encoding is exact JSON (property-codec.ts tags what
   * JSON would alter); schema and system records are decoded from the bytes, as on replay.
   */
  apply(entry: AppliedEntry, built?: ChangeSet): void {
    if (entry.index <= this.store.version) return; // already in the snapshot we started from
    // A fixed message: a template would build its text for every entry applied.
    assert(entry.index === this.store.version + 1, 'entries must be applied without a gap');
    if (entry.kind === 'normal' && entry.data.length > 0) {
      const cs = built !== undefined && isGraphDataOnly(built) ? built
        : decodeChangeSet(entry.data);
      this.store.apply(cs, entry.index);
      if (cs.system && cs.system.length > 0) this.onSystemRecords?.(cs.system, entry.index);
    } else {
      this.store.advance(entry.index);
    }
    this.lastAppliedTerm = entry.term;
    this.wake();
  }

  /** Replaces the whole graph (snapshot install). */
  replaceStore(store: GraphStore): void {
    this.store = store;
    this.wake();
  }

  private wake(): void {
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.index <= this.store.version);
    this.waiters = this.waiters.filter((w) => w.index > this.store.version);
    for (const w of ready) w.resolve();
  }

  /** Resolves once `index` is applied; rejects with BookmarkTimeout after timeoutMs. */
  waitForApplied(index: number, timeoutMs: number): Promise<void> {
    if (index <= this.store.version) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new QuiverError('BookmarkTimeout',
          `Database not up to the requested version: ${index}. ` +
          `Latest database version is ${this.store.version}`));
      }, timeoutMs);
      const waiter: Waiter = { index, resolve: () => { clearTimeout(timer); resolve(); } };
      this.waiters.push(waiter);
    });
  }
}

function isGraphDataOnly(cs: ChangeSet): boolean {
  return cs.schema.length === 0 && (cs.system === undefined || cs.system.length === 0);
}
