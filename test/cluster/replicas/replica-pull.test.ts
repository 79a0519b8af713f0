import { describe, expect, it } from 'vitest';
import { ReplicaPull } from '../../../src/cluster/replica-pull.js';
import type { Timers } from '../../../src/cluster/timers.js';
import { asLogIndex, asMemberId, asTerm, type Message } from '../../../src/raft/types.js';

/** A clock the test moves by hand; timers fire when it passes them. */
class ManualTimers implements Timers {
  nowMs = 0;
  private pending: { at: number; callback: () => void; live: boolean }[] = [];
  after(delayMs: number, callback: () => void) {
    const timer = { at: this.nowMs + delayMs, callback, live: true };
    this.pending.push(timer);
    return { cancel: () => { timer.live = false; } };
  }
  advance(ms: number): void {
    const end = this.nowMs + ms;
    for (;;) {
      const due = this.pending.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      due.live = false;
      this.nowMs = due.at;
      due.callback();
    }
    this.nowMs = end;
  }
}

const leader = asMemberId('leader');
const replica = asMemberId('replica');

function append(index: number, commit: number): Message {
  return { type: 'Append', from: leader, to: replica, term: asTerm(1),
    prevIndex: asLogIndex(index - 1), prevTerm: asTerm(1), commit: asLogIndex(commit),
    entries: [{ term: asTerm(1), index: asLogIndex(index), kind: 'normal',
      data: new Uint8Array() }] };
}

function heartbeat(commit: number): Message {
  return { type: 'Heartbeat', from: leader, to: replica, term: asTerm(1),
    commit: asLogIndex(commit), leaderCommit: asLogIndex(commit), ctx: null };
}

function setup(heldMessagesMax = 100) {
  const timers = new ManualTimers();
  const stepped: Message[] = [];
  let applied = 0;
  const pull = new ReplicaPull({
    pullIntervalMs: 10_000, pullMsMax: 2000, heldMessagesMax, timers,
    nowMs: () => timers.nowMs, appliedIndex: () => applied,
    step: (m) => {
      stepped.push(m);
      if (m.type === 'Append') applied = Math.max(applied, m.commit);
    },
  });
  pull.start();
  return { timers, stepped, pull, apply: (n: number) => { applied = n; pull.applied(); } };
}

describe('a read replica that pulls', () => {
  it('sees no commit until its pull interval has passed', () => {
    const { timers, stepped, pull } = setup();
    pull.receive(append(1, 1));
    pull.receive(append(2, 2));
    timers.advance(9_999);
    expect(stepped).toEqual([]);
    timers.advance(1);
    expect(stepped.map((m) => m.type)).toEqual(['Append', 'Append']);
    expect(pull.stats().pulls).toBe(1);
  });

  it('keeps pulling what the leader sends during a pull until it has caught up', () => {
    const { timers, stepped, pull, apply } = setup();
    pull.receive(append(1, 1));
    timers.advance(10_000);
    // The answer to the pull's acknowledgement arrives while the pull is open.
    pull.receive(append(2, 2));
    expect(stepped).toHaveLength(2);
    apply(2);
    pull.receive(append(3, 3));
    expect(stepped).toHaveLength(2);
    expect(pull.stats().held).toBe(1);
  });

  it('closes a pull after pullMsMax while the leader keeps committing', () => {
    const { timers, stepped, pull } = setup();
    pull.receive(heartbeat(5));
    timers.advance(10_000);
    timers.advance(2000);
    pull.receive(heartbeat(6));
    expect(stepped).toHaveLength(1);
  });

  it('keeps only the latest heartbeat and bounds held appends', () => {
    const { timers, stepped, pull } = setup(2);
    pull.receive(heartbeat(0));
    pull.receive(heartbeat(0));
    for (let i = 1; i <= 4; i += 1) pull.receive(append(i, 0));
    expect(pull.stats()).toMatchObject({ held: 3, dropped: 2 });
    timers.advance(10_000);
    expect(stepped.map((m) => m.type)).toEqual(['Append', 'Append', 'Heartbeat']);
  });

  it('steps messages that carry no log at once', () => {
    const { stepped, pull } = setup();
    pull.receive({ type: 'TimeoutNow', from: leader, to: replica, term: asTerm(1) });
    expect(stepped).toHaveLength(1);
  });
});
