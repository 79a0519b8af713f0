/**
 * Pulling for read replicas (causal_clustering.pull_interval > 0). A replica stays a Raft
 * learner, but it takes in what its upstream sent only when it pulls: between pulls the
 * leader's Appends, heartbeats and snapshots wait here, unacknowledged, so the leader's
 * inflight window stops it after one window of entries. Every interval the replica pulls:
 * it steps what waited, its acknowledgements ask the leader for the next entries (or a
 * snapshot when they are compacted away), and the pull lasts until the replica has applied
 * the commit index of a message the leader sent during the pull, or `pullMsMax` has passed.
 * With interval 0 (streaming) no gate is made and every message is stepped at once. See
 * docs/decisions/0010. This is the default upstream (the leader); a replica whose
 * upstream_selection_strategy names other members pulls over catchup instead (0026).
 */
import { assert } from '../assert.js';
import type { Message } from '../raft/types.js';
import { realTimers, type TimerHandle, type Timers } from './timers.js';

export interface ReplicaPullOptions {
  readonly pullIntervalMs: number;
  /** Longest a pull stays open while the leader keeps committing. */
  readonly pullMsMax: number;
  /** Held Appends; the leader's inflight window keeps it below this unless terms change. */
  readonly heldMessagesMax: number;
  readonly timers: Timers;
  readonly nowMs: () => number;
  readonly appliedIndex: () => number;
  /** Feed a message to the raft node. */
  readonly step: (message: Message) => void;
  readonly onDropped?: (message: Message) => void;
}

/** Messages through which a replica learns of commits; anything else is stepped at once. */
function carriesLog(message: Message): boolean {
  return message.type === 'Append' || message.type === 'Heartbeat' ||
    message.type === 'Snapshot';
}

function commitOf(message: Message): number {
  switch (message.type) {
    case 'Append': return message.commit;
    // A heartbeat's commit is capped at what the leader knows we hold; its own is the target.
    case 'Heartbeat': return Math.max(message.commit, message.leaderCommit);
    case 'Snapshot': return message.snapshot.meta.index;
    default: return 0;
  }
}

export interface PullStats {
  readonly pulls: number;
  readonly held: number;
  readonly dropped: number;
  /** The highest commit index the upstream has told this replica of. */
  readonly upstreamCommitIndex: number;
  readonly lastPullAtMs: number | null;
}

export class ReplicaPull {
  private held: Message[] = [];
  /** A heartbeat or snapshot only matters as the latest one: keep one of each. */
  private heldHeartbeat: Message | null = null;
  private heldSnapshot: Message | null = null;
  private open = false;
  /** A pull ends only after the upstream has spoken since it began, so its commit is fresh. */
  private heardSinceOpen = false;
  private openedAtMs = 0;
  private timer: TimerHandle | null = null;
  private upstreamCommit = 0;
  private pulls = 0;
  private dropped = 0;
  private lastPullAtMs: number | null = null;

  constructor(private readonly options: ReplicaPullOptions) {
    assert(options.pullIntervalMs > 0, 'pulling needs a positive interval; 0 means streaming');
    assert(options.heldMessagesMax > 0, 'the held-message bound must be positive');
    assert(options.pullMsMax > 0, 'a pull must be allowed some time');
  }

  start(): void {
    if (this.timer !== null) return;
    this.schedule();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
    this.held = [];
    this.heldHeartbeat = null;
    this.heldSnapshot = null;
  }

  /** A message from the transport. */
  receive(message: Message): void {
    if (carriesLog(message)) {
      this.upstreamCommit = Math.max(this.upstreamCommit, commitOf(message));
    }
    this.maybeClose();
    if (this.open && carriesLog(message)) this.heardSinceOpen = true;
    if (this.open || !carriesLog(message)) {
      this.options.step(message);
      this.maybeClose();
      return;
    }
    this.hold(message);
  }

  /** The replica applied an entry: a pull ends once it has caught up. */
  applied(): void {
    if (this.open) this.maybeClose();
  }

  /** Pull now (the timer calls this every interval). */
  pull(): void {
    this.pulls += 1;
    this.lastPullAtMs = this.options.nowMs();
    this.open = true;
    this.heardSinceOpen = false;
    this.openedAtMs = this.lastPullAtMs;
    const waiting = this.takeHeld();
    for (const message of waiting) this.options.step(message);
    this.maybeClose();
  }

  stats(): PullStats {
    return { pulls: this.pulls, held: this.heldCount(), dropped: this.dropped,
      upstreamCommitIndex: this.upstreamCommit, lastPullAtMs: this.lastPullAtMs };
  }

  private hold(message: Message): void {
    if (message.type === 'Heartbeat') {
      this.heldHeartbeat = message;
      return;
    }
    if (message.type === 'Snapshot') {
      this.heldSnapshot = message;
      return;
    }
    if (this.held.length >= this.options.heldMessagesMax) {
      // Raft resends what an unacknowledged Append carried once the replica answers.
      this.dropped += 1;
      this.options.onDropped?.(message);
      return;
    }
    this.held.push(message);
  }

  /** Snapshot first (it replaces the log), then Appends in arrival order, then the heartbeat. */
  private takeHeld(): Message[] {
    const out: Message[] = [];
    if (this.heldSnapshot !== null) out.push(this.heldSnapshot);
    out.push(...this.held);
    if (this.heldHeartbeat !== null) out.push(this.heldHeartbeat);
    this.held = [];
    this.heldSnapshot = null;
    this.heldHeartbeat = null;
    return out;
  }

  private heldCount(): number {
    return this.held.length + (this.heldHeartbeat ? 1 : 0) + (this.heldSnapshot ? 1 : 0);
  }

  private maybeClose(): void {
    if (!this.open) return;
    const caughtUp = this.heardSinceOpen &&
      this.options.appliedIndex() >= this.upstreamCommit;
    const tooLong = this.options.nowMs() - this.openedAtMs >= this.options.pullMsMax;
    if (caughtUp || tooLong) this.open = false;
  }

  private schedule(): void {
    this.timer = this.options.timers.after(this.options.pullIntervalMs, () => {
      if (this.timer === null) return;
      this.pull();
      this.schedule();
    });
  }
}

/** Bound on Appends held between pulls: twice raft's default inflight window (256). */
const HELD_MESSAGES_MAX = 512;
/** A pull under a steady write load stops chasing the leader after this long at most. */
const PULL_MS_MAX = 2000;

/** The gate for a read replica, started by the caller; null when it streams (interval 0). */
export function replicaPullFor(options: {
  readonly pullIntervalMs: number;
  readonly step: (message: Message) => void;
  readonly appliedIndex: () => number;
  readonly log: { warn(line: string): void };
}): ReplicaPull | null {
  if (options.pullIntervalMs <= 0) return null;
  let warned = false;
  return new ReplicaPull({
    pullIntervalMs: options.pullIntervalMs,
    pullMsMax: Math.max(1, Math.min(options.pullIntervalMs / 2, PULL_MS_MAX)),
    heldMessagesMax: HELD_MESSAGES_MAX, timers: realTimers, nowMs: Date.now,
    appliedIndex: options.appliedIndex, step: options.step,
    onDropped: () => {
      if (warned) return;
      warned = true;
      options.log.warn(`A read replica held ${HELD_MESSAGES_MAX} messages between pulls; ` +
        'further ones are dropped until the next pull (the leader resends them).');
    },
  });
}
