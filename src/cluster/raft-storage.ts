/**
 * The raft loop's storage on the member's durable log, hard-state file and snapshot files.
 * Appends are fsynced as they are written (the log's group commit batches them), so sync() has
 * nothing left to do.
 *
 * The hard state is written when term or vote change (a forgotten vote could elect two
 * leaders) and, for the commit index alone, only when it passes a membership entry or has
 * moved COMMIT_SAVE_EVERY_ENTRIES since the last write. A restarted member takes its voters
 * from its committed membership; were that commit index lost, followers restarted while the
 * member that bootstrapped the cluster is down would know no voters, never campaign, and leave
 * the cluster without a leader although a majority runs. Any other lost commit progress is
 * relearned from the leader, so it is not worth a file write per commit.
 */
import type { DurableState } from '../log/index.js';
import type { Entry, HardState, LogIndex, SnapshotMeta } from '../raft/types.js';
import type { RaftStorage } from './raft-loop.js';

/** Bounds how much committed work a restarted member must wait for a leader to re-apply. */
export const COMMIT_SAVE_EVERY_ENTRIES = 1024;

export class DurableRaftStorage implements RaftStorage {
  private saved: { term: number; vote: string | null; commit: number };
  /** Indexes of membership entries appended above the saved commit index, ascending. */
  private membershipIndexes: number[] = [];

  constructor(private readonly state: DurableState) {
    const hs = state.hardState.read();
    this.saved = { term: hs.term, vote: hs.vote, commit: hs.commit };
  }

  async saveSnapshot(meta: SnapshotMeta, data: Uint8Array): Promise<void> {
    await this.state.snapshots.save({ index: meta.index, term: meta.term, config: meta.membership },
      [data]);
    await this.state.log.compactPrefix(meta.index + 1);
  }

  truncateSuffix(fromIndex: LogIndex): Promise<void> {
    this.membershipIndexes = this.membershipIndexes.filter((index) => index < fromIndex);
    return this.state.log.truncateSuffix(fromIndex);
  }

  appendEntries(entries: readonly Entry[]): Promise<void> {
    for (const entry of entries) {
      if (entry.kind === 'config') this.membershipIndexes.push(entry.index);
    }
    return this.state.log.append(entries);
  }

  async saveHardState(hs: HardState): Promise<void> {
    if (!this.mustSave(hs)) return;
    await this.state.hardState.save({ term: hs.term, vote: hs.vote, commit: hs.commit });
    this.saved = { term: hs.term, vote: hs.vote, commit: hs.commit };
    this.membershipIndexes = this.membershipIndexes.filter((index) => index > hs.commit);
  }

  private mustSave(hs: HardState): boolean {
    if (hs.term !== this.saved.term || hs.vote !== this.saved.vote) return true;
    if (hs.commit <= this.saved.commit) return false;
    const passesMembership = (this.membershipIndexes[0] ?? Infinity) <= hs.commit;
    return passesMembership || hs.commit - this.saved.commit >= COMMIT_SAVE_EVERY_ENTRIES;
  }

  sync(): void {
    // Every append and hard-state save above is already durable when its promise resolves.
  }
}
