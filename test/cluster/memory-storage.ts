/** RaftStorage in memory, recording the calls, for loop tests over real TCP. */
import type { RaftStorage } from '../../src/cluster/raft-loop.js';
import type { Entry, HardState, LogIndex, Snapshot, SnapshotMeta } from '../../src/raft/types.js';
import { INDEX_ZERO, TERM_ZERO } from '../../src/raft/types.js';

export class MemoryStorage implements RaftStorage {
  hardState: HardState = { term: TERM_ZERO, vote: null, commit: INDEX_ZERO };
  entries: Entry[] = [];
  snapshot: Snapshot | undefined;
  syncs = 0;

  saveSnapshot(meta: SnapshotMeta, data: Uint8Array): void {
    this.snapshot = { meta, data };
    this.entries = this.entries.filter((e) => e.index > meta.index);
  }

  truncateSuffix(fromIndex: LogIndex): void {
    this.entries = this.entries.filter((e) => e.index < fromIndex);
  }

  appendEntries(entries: readonly Entry[]): void {
    const last = this.entries[this.entries.length - 1];
    const first = entries[0];
    if (last !== undefined && first !== undefined && first.index !== last.index + 1) {
      throw new Error(`append at ${first.index} after ${last.index}`);
    }
    this.entries.push(...entries);
  }

  saveHardState(hardState: HardState): void {
    this.hardState = hardState;
  }

  sync(): void {
    this.syncs += 1;
  }
}
