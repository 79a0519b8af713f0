/**
 * Holds back a leader's commit-only Appends (no entries) for a moment, per follower. After
 * every acknowledged batch the leader tells each follower the new commit index in an Append of
 * its own, which the follower decodes, steps, runs a Ready for and answers; under load the next
 * batch's Append follows within milliseconds and carries the same commit index. A held notice
 * is dropped when any later Append to that follower leaves (it carries a commit index at least
 * as new), and sent when the hold expires, so an idle follower still learns the commit index
 * within `holdMs`. Raft allows any message to be delayed or lost, so this changes timing only.
 */
import type { AppendRequest, MemberId, Message } from '../raft/types.js';
import type { TimerHandle, Timers } from './timers.js';

export interface CommitNoticeHoldOptions {
  readonly holdMs: number;
  readonly timers: Timers;
  readonly send: (message: Message) => void;
}

export class CommitNoticeHold {
  /** At most one per member: a newer notice replaces the older. */
  private readonly held = new Map<MemberId, AppendRequest>();
  private timer: TimerHandle | null = null;

  constructor(private readonly options: CommitNoticeHoldOptions) {}

  /** Sends `message`, or holds it when it is a commit notice. */
  offer(message: Message): void {
    if (message.type === 'Append' && message.entries.length === 0) {
      this.held.set(message.to, message);
      this.timer ??= this.options.timers.after(this.options.holdMs, () => this.flush());
      return;
    }
    if (message.type === 'Append') this.held.delete(message.to);
    this.options.send(message);
  }

  /** Sends every held notice now. */
  flush(): void {
    this.timer?.cancel();
    this.timer = null;
    const held = [...this.held.values()];
    this.held.clear();
    for (const message of held) this.options.send(message);
  }

  /** Drops every held notice (the loop stopped). */
  clear(): void {
    this.timer?.cancel();
    this.timer = null;
    this.held.clear();
  }
}
