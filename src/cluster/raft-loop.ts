/**
 * Drives one RaftNode: ticks it from the injected clock, feeds it messages and requests, and
 * carries out each Ready in the order that keeps invariant 2 (persist before send): persist
 * snapshot, entries and hard state, fsync when required, and only then send messages, apply
 * committed entries, and advance. One Ready at a time; storage calls never overlap. Messages
 * that depend on nothing unpersisted (RaftNode.takeUrgentMessages) leave as soon as they exist.
 */
import type { RaftNode, MembershipChange, RaftStatus } from '../raft/raft-node.js';
import type { Ready } from '../raft/ready.js';
import type {
  Entry,
  HardState,
  LogIndex,
  MemberId,
  Message,
  ProposalResult,
  ReadState,
  RequestResult,
  Snapshot,
  SnapshotMeta,
  SoftState,
} from '../raft/types.js';
import { asLogIndex } from '../raft/types.js';
import { CommitNoticeHold } from './commit-notice-hold.js';
import type { TimerHandle, Timers } from './timers.js';

/**
 * How long a leader's commit-only Append may wait for the next batch's Append to carry its
 * commit index instead (commit-notice-hold.ts): under load one comes within a few ms; an idle
 * follower learns the commit this much later.
 */
const COMMIT_NOTICE_HOLD_MS = 10;

/** What the loop needs from src/log; calls are made one at a time, in this order per Ready. */
export interface RaftStorage {
  /** Keep the snapshot and drop every entry at or below meta.index. */
  saveSnapshot(meta: SnapshotMeta, data: Uint8Array): Promise<void> | void;
  /** Drop every entry at or above fromIndex (a new leader overwrote them). */
  truncateSuffix(fromIndex: LogIndex): Promise<void> | void;
  appendEntries(entries: readonly Entry[]): Promise<void> | void;
  saveHardState(hardState: HardState): Promise<void> | void;
  /** Make everything above durable (fsync). */
  sync(): Promise<void> | void;
}

export interface RaftLoopOptions {
  readonly node: RaftNode;
  readonly storage: RaftStorage;
  /** The last index storage holds at start, so the loop knows when a Ready overwrites. */
  readonly storedLastIndex: LogIndex;
  readonly send: (message: Message) => void;
  readonly apply: (entry: Entry) => Promise<void> | void;
  /** Replace the application state by a snapshot received from the leader. */
  readonly applySnapshot: (snapshot: Snapshot) => Promise<void> | void;
  readonly onReadState?: (readState: ReadState) => void;
  readonly onSoftState?: (softState: SoftState) => void;
  /** Storage or apply failed: the loop has stopped; the member must stop too. */
  readonly onFatal: (error: unknown) => void;
  readonly timers: Timers;
  readonly tickMs: number;
  /** Defaults to COMMIT_NOTICE_HOLD_MS. */
  readonly commitNoticeHoldMs?: number;
}

export class RaftLoop {
  private running = false;
  private stopped = true;
  private tickTimer: TimerHandle | null = null;
  private storedLastIndex: LogIndex;
  /** Work that must run between Readys (compaction), in order. */
  private tasks: (() => Promise<void>)[] = [];
  private idle: Promise<void> = Promise.resolve();
  /** A turn (urgent sends, then draining Readys) is queued for this event-loop iteration. */
  private turnScheduled = false;

  /** Every message leaves through here. */
  private readonly outbox: CommitNoticeHold;

  constructor(private readonly options: RaftLoopOptions) {
    this.storedLastIndex = options.storedLastIndex;
    this.outbox = new CommitNoticeHold({ holdMs: options.commitNoticeHoldMs ??
      COMMIT_NOTICE_HOLD_MS, timers: options.timers, send: options.send });
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.scheduleTick();
    this.wake();
  }

  /** Stop ticking and processing; resolves once the Ready in progress has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.tickTimer?.cancel();
    this.tickTimer = null;
    this.outbox.clear();
    await this.idle;
  }

  step(message: Message): void {
    if (this.stopped) return;
    this.options.node.step(message);
    this.wake();
  }

  propose(data: Uint8Array): ProposalResult {
    return this.request(() => this.options.node.propose(data));
  }

  proposeMembershipChange(change: MembershipChange): ProposalResult {
    return this.request(() => this.options.node.proposeMembershipChange(change));
  }

  transferLeadership(to: MemberId): RequestResult {
    return this.request(() => this.options.node.transferLeadership(to));
  }

  readIndex(ctx: string): RequestResult {
    return this.request(() => this.options.node.readIndex(ctx));
  }

  reportUnreachable(peer: MemberId): void {
    this.options.node.reportUnreachable(peer);
  }

  /** The transport saw the peer's process go away; a follower of it forgets it (soft state). */
  reportPeerDown(peer: MemberId): void {
    if (this.stopped) return;
    this.options.node.reportPeerDown(peer);
    this.wake();
  }

  status(): RaftStatus {
    return this.options.node.status();
  }

  /**
   * Snapshot the application at `index` (applied) and drop the log before it; resolves once
   * the snapshot is stored, or with null when a snapshot from the leader already replaced
   * the log past `index` (the node stepped it in while this task waited behind a Ready).
   */
  compact(index: LogIndex, snapshotData: Uint8Array): Promise<Snapshot | null> {
    return new Promise((resolve, reject) => {
      this.tasks.push(async () => {
        if (index < this.options.node.status().firstIndex - 1) {
          resolve(null);
          return;
        }
        try {
          const snapshot = this.options.node.compact({ index, snapshotData });
          await this.options.storage.saveSnapshot(snapshot.meta, snapshot.data);
          resolve(snapshot);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          throw error;
        }
      });
      this.wake();
    });
  }

  private request<T>(call: () => T): T {
    const result = call();
    this.wake();
    return result;
  }

  private scheduleTick(): void {
    this.tickTimer = this.options.timers.after(this.options.tickMs, () => {
      if (this.stopped) return;
      this.options.node.tick();
      this.wake();
      this.scheduleTick();
    });
  }

  /**
   * Inputs are handled once the events at hand are (setImmediate), never inside the callback
   * that delivered one: the proposals of every Bolt request read in one poll phase then leave
   * in one Append per follower and reach the disk in one Ready, instead of one Append, one
   * socket write and one fsync each.
   */
  private wake(): void {
    if (this.stopped || this.turnScheduled) return;
    this.turnScheduled = true;
    setImmediate(() => {
      this.turnScheduled = false;
      if (this.stopped) return;
      this.sendUrgent();
      if (this.running) return;
      this.running = true;
      this.idle = this.drain();
    });
  }

  /**
   * Heartbeats and the leader's Appends go at once, even while a Ready waits for the disk;
   * the core itself holds new entries for a follower that has an Append unanswered until that
   * Ready is advanced (raft/replication.ts, holdsEntries).
   */
  private sendUrgent(): void {
    for (const message of this.options.node.takeUrgentMessages()) this.outbox.offer(message);
  }

  /**
   * One task or one Ready per turn: what arrives while the disk works is picked up by the next
   * turn, together with everything else read in that turn's poll phase.
   */
  private async drain(): Promise<void> {
    const node = this.options.node;
    try {
      const task = this.tasks.shift();
      if (task !== undefined) await task();
      else if (node.hasReady()) await this.handleReady(node.ready());
    } catch (error) {
      this.stopped = true;
      this.tickTimer?.cancel();
      this.options.onFatal(error);
    } finally {
      this.running = false;
    }
    if (this.tasks.length > 0 || node.hasReady()) this.wake();
  }

  private async handleReady(ready: Ready): Promise<void> {
    await this.persist(ready);
    for (const message of ready.messages) this.outbox.offer(message);
    if (ready.snapshot !== undefined) await this.options.applySnapshot(ready.snapshot);
    for (const entry of ready.committed) await this.options.apply(entry);
    for (const readState of ready.readStates) this.options.onReadState?.(readState);
    if (ready.softState !== undefined) this.options.onSoftState?.(ready.softState);
    this.options.node.advance(ready);
  }

  private async persist(ready: Ready): Promise<void> {
    const storage = this.options.storage;
    if (ready.snapshot !== undefined) {
      const index = ready.snapshot.meta.index;
      await storage.saveSnapshot(ready.snapshot.meta, ready.snapshot.data);
      // A snapshot from the leader replaces the whole log, entries after it included.
      if (this.storedLastIndex > index) await storage.truncateSuffix(asLogIndex(index + 1));
      this.storedLastIndex = index;
    }
    const first = ready.entries[0];
    const last = ready.entries[ready.entries.length - 1];
    if (first !== undefined && last !== undefined) {
      if (first.index <= this.storedLastIndex) await storage.truncateSuffix(first.index);
      await storage.appendEntries(ready.entries);
      this.storedLastIndex = last.index;
    }
    if (ready.hardState !== undefined) await storage.saveHardState(ready.hardState);
    if (ready.mustSync) await storage.sync();
  }
}
