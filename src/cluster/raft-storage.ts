/**
 * The raft loop's storage on the member's durable log, hard-state file and snapshot files.
 * Appends are fsynced as they are written (the log's group commit batches them), so sync() has
 * nothing left to do. The hard state is written only when term or vote change: a lost commit
 * index is relearned from the leader, while a forgotten vote could elect two leaders.
 */
import type { DurableState } from '../log/index.js';
import type { Entry, HardState, LogIndex, SnapshotMeta } from '../raft/types.js';
import type { RaftStorage } from './raft-loop.js';

export class DurableRaftStorage implements RaftStorage {
  private saved: { term: number; vote: string | null };

  constructor(private readonly state: DurableState) {
    const hs = state.hardState.read();
    this.saved = { term: hs.term, vote: hs.vote };
  }

  async saveSnapshot(meta: SnapshotMeta, data: Uint8Array): Promise<void> {
    await this.state.snapshots.save({ index: meta.index, term: meta.term, config: meta.membership },
      [data]);
    await this.state.log.compactPrefix(meta.index + 1);
  }

  truncateSuffix(fromIndex: LogIndex): Promise<void> {
    return this.state.log.truncateSuffix(fromIndex);
  }

  appendEntries(entries: readonly Entry[]): Promise<void> {
    return this.state.log.append(entries);
  }

  async saveHardState(hs: HardState): Promise<void> {
    if (hs.term === this.saved.term && hs.vote === this.saved.vote) return;
    await this.state.hardState.save({ term: hs.term, vote: hs.vote, commit: hs.commit });
    this.saved = { term: hs.term, vote: hs.vote };
  }

  sync(): void {
    // Every append and hard-state save above is already durable when its promise resolves.
  }
}
