/**
 * The local side of a read replica fed over catchup (decision 0026): no Raft node runs here.
 * Every entry it receives is committed, so it is persisted to the replica's own log, then
 * applied; a snapshot replaces log and graph; the log is compacted on the same threshold as a
 * core's. On start it keeps only the entries it knows were committed (a member that ran as a
 * Raft learner before may hold an uncommitted tail) and replays them.
 */
import { assert } from '../assert.js';
import type { SystemState } from '../db/database.js';
import { notALeaderError, type MemberRole, type Replicator } from '../db/replicator.js';
import type { GraphStateMachine } from '../db/state-machine.js';
import { writeSnapshot } from '../graph/snapshot.js';
import type { DurableState } from '../log/index.js';
import type { CatchupEntry } from './catchup-protocol.js';
import type { ReplicaStore } from './catchup-client.js';
import { collectChunks } from './snapshot-chunks.js';

export interface CatchupReplicaOptions {
  readonly durable: DurableState;
  readonly machine: GraphStateMachine;
  readonly system: SystemState;
  /** Entries between snapshots; null never compacts. */
  readonly snapshotThresholdEntries: number | null;
  /** Apply one committed entry to the graph (and whatever else watches applies). */
  readonly apply: (entry: CatchupEntry) => void;
  /** Replace graph and users by a snapshot's data. */
  readonly restore: (data: Uint8Array) => void;
  readonly log: { info(line: string): void; warn(line: string): void };
}

export class CatchupReplica implements ReplicaStore {
  private last = 0;
  private lastTermValue = 0;
  private lastSnapshotIndex = 0;

  constructor(private readonly options: CatchupReplicaOptions) {}

  /** Drops a tail that may not be committed, then replays the log after the snapshot. */
  async recover(): Promise<void> {
    const { durable, machine } = this.options;
    const snap = durable.snapshot;
    this.lastSnapshotIndex = snap?.meta.index ?? 0;
    const committed = Math.max(durable.hardState.read().commit, this.lastSnapshotIndex);
    if (durable.log.lastIndex() > committed) {
      this.options.log.info(`Dropping log entries after ${committed}: not known to be ` +
        'committed; they are pulled again from the upstream.');
      await durable.log.truncateSuffix(committed + 1);
    }
    this.last = this.lastSnapshotIndex;
    this.lastTermValue = snap?.meta.term ?? 0;
    for (let from = Math.max(durable.log.firstIndex(), machine.appliedIndex + 1);
      from <= durable.log.lastIndex();) {
      const batch = durable.log.read(from, durable.log.lastIndex() + 1);
      if (batch.length === 0) break;
      for (const entry of batch) this.applyOne(entry);
      from += batch.length;
    }
    this.last = Math.max(this.last, machine.appliedIndex);
  }

  lastIndex(): number {
    return this.last;
  }

  lastTerm(): number {
    return this.lastTermValue;
  }

  async append(entries: readonly CatchupEntry[]): Promise<string | null> {
    const first = entries[0];
    const final = entries[entries.length - 1];
    if (first === undefined || final === undefined) return null;
    if (first.index !== this.last + 1) {
      return `entries start at ${first.index}, not after ${this.last}`;
    }
    if (first.term < this.lastTermValue) return `entry ${first.index} has an older term`;
    const { durable } = this.options;
    await durable.log.append(entries);
    const hs = durable.hardState.read();
    // Everything here is committed: the saved commit index is what recover() keeps.
    await durable.hardState.save({ term: Math.max(hs.term, final.term), vote: hs.vote,
      commit: final.index });
    for (const entry of entries) this.applyOne(entry);
    await this.maybeCompact();
    return null;
  }

  async install(snapshot: { index: number; term: number; membership: unknown;
    data: Uint8Array }): Promise<void> {
    const { durable } = this.options;
    await durable.snapshots.save({ index: snapshot.index, term: snapshot.term,
      config: snapshot.membership ?? null }, [snapshot.data]);
    // A snapshot replaces the whole log: entries after it came from another history.
    if (durable.log.lastIndex() > snapshot.index) {
      await durable.log.truncateSuffix(snapshot.index + 1);
    }
    await durable.log.compactPrefix(snapshot.index + 1);
    const hs = durable.hardState.read();
    await durable.hardState.save({ term: Math.max(hs.term, snapshot.term), vote: hs.vote,
      commit: snapshot.index });
    this.options.restore(snapshot.data);
    this.options.machine.lastAppliedTerm = snapshot.term;
    this.last = snapshot.index;
    this.lastTermValue = snapshot.term;
    this.lastSnapshotIndex = snapshot.index;
    assert(this.options.machine.appliedIndex === snapshot.index, 'the snapshot is the graph now');
  }

  private applyOne(entry: CatchupEntry): void {
    this.options.apply(entry);
    this.last = entry.index;
    this.lastTermValue = entry.term;
  }

  /** Same threshold as a core; runs between replies, so nothing appends meanwhile. */
  private async maybeCompact(): Promise<void> {
    const every = this.options.snapshotThresholdEntries;
    if (every === null || this.last - this.lastSnapshotIndex < every) return;
    const { machine, durable } = this.options;
    const view = machine.store.openView();
    const term = machine.lastAppliedTerm;
    try {
      const data = await collectChunks(writeSnapshot(machine.store, view,
        this.options.system.snapshot()));
      await durable.snapshots.save({ index: view.version, term, config: null }, [data]);
      await durable.log.compactPrefix(view.version + 1);
      this.lastSnapshotIndex = view.version;
      this.options.log.info(`Snapshot taken at index ${view.version}; log compacted.`);
    } finally {
      view.close();
    }
  }
}

/** A replica fed over catchup refuses every write, naming its role, as Neo4j's do. */
export class ReadReplicaReplicator implements Replicator {
  replicate(): Promise<number> {
    return Promise.reject(notALeaderError('READ_REPLICA'));
  }

  canWrite(): boolean {
    return false;
  }

  role(): MemberRole {
    return 'READ_REPLICA';
  }

  onLeadershipChange(): void {
    // A replica never leads.
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
