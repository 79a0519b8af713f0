/**
 * A member's simulated disk: writes are buffered until sync(), and a crash loses the buffer,
 * exactly the writes a real fsync would not have made durable.
 */
import type { Ready } from '../../src/raft/ready.js';
import { INDEX_ZERO, TERM_ZERO } from '../../src/raft/types.js';
import type { Entry, HardState, Snapshot } from '../../src/raft/types.js';

export interface DurableState {
  hardState: HardState;
  snapshot: Snapshot | undefined;
  entries: Entry[];
}

type Write =
  | { readonly kind: 'ready'; readonly ready: Ready }
  | { readonly kind: 'compacted'; readonly snapshot: Snapshot };

export class SimDisk {
  readonly durable: DurableState = {
    hardState: { term: TERM_ZERO, vote: null, commit: INDEX_ZERO },
    snapshot: undefined,
    entries: [],
  };
  private buffered: Write[] = [];

  write(ready: Ready): void {
    this.buffered.push({ kind: 'ready', ready });
  }

  writeSnapshot(snapshot: Snapshot): void {
    this.buffered.push({ kind: 'compacted', snapshot });
  }

  sync(): void {
    for (const write of this.buffered) {
      if (write.kind === 'ready') applyReady(this.durable, write.ready);
      else applyCompaction(this.durable, write.snapshot);
    }
    this.buffered = [];
  }

  /** Power loss: whatever was not synced never happened. */
  crash(): number {
    const lost = this.buffered.length;
    this.buffered = [];
    return lost;
  }
}

/** What a disk does with a Ready: snapshot, then truncate-and-append, then hard state. */
export function applyReady(state: DurableState, ready: Ready): void {
  if (ready.snapshot !== undefined) {
    state.snapshot = ready.snapshot;
    state.entries = [];
  }
  const first = ready.entries[0];
  if (first !== undefined) {
    state.entries = state.entries.filter((e) => e.index < first.index);
    state.entries.push(...ready.entries);
  }
  if (ready.hardState !== undefined) state.hardState = ready.hardState;
}

function applyCompaction(state: DurableState, snapshot: Snapshot): void {
  if (state.snapshot !== undefined && state.snapshot.meta.index >= snapshot.meta.index) return;
  state.snapshot = snapshot;
  state.entries = state.entries.filter((e) => e.index > snapshot.meta.index);
}

