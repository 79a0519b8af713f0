/**
 * A leader's commit-only Appends wait briefly for the next batch's Append, which carries the
 * same commit index, so a busy follower gets one Append per batch instead of two.
 */
import { describe, expect, it } from 'vitest';
import { CommitNoticeHold } from '../../src/cluster/commit-notice-hold.js';
import type { Timers } from '../../src/cluster/timers.js';
import { asLogIndex, asMemberId, asTerm } from '../../src/raft/types.js';
import type { Message } from '../../src/raft/types.js';

const [a, b, c] = [asMemberId('a'), asMemberId('b'), asMemberId('c')];
const term = asTerm(3);

function append(to: typeof a, commit: number, entryIndexes: number[] = []): Message {
  return { type: 'Append', from: a, to, term, prevIndex: asLogIndex(4), prevTerm: term,
    commit: asLogIndex(commit), entries: entryIndexes.map((index) =>
      ({ term, index: asLogIndex(index), kind: 'normal' as const, data: new Uint8Array() })) };
}

/** Timers that fire only when the test says so. */
function manualTimers(): Timers & { fire(): void; pending(): number } {
  let callbacks: (() => void)[] = [];
  return {
    after(_delayMs, callback) {
      callbacks.push(callback);
      return { cancel: () => { callbacks = callbacks.filter((cb) => cb !== callback); } };
    },
    fire() {
      const due = callbacks;
      callbacks = [];
      for (const callback of due) callback();
    },
    pending: () => callbacks.length,
  };
}

function setup() {
  const timers = manualTimers();
  const sent: string[] = [];
  const hold = new CommitNoticeHold({ holdMs: 10, timers, send: (m) => {
    sent.push(m.type === 'Append' ? `${m.to} commit=${m.commit} n=${m.entries.length}` : m.type);
  } });
  return { timers, sent, hold };
}

describe('commit notice hold', () => {
  it('drops a commit notice that the next Append to the same follower supersedes', () => {
    const { timers, sent, hold } = setup();
    hold.offer(append(b, 5));
    hold.offer(append(c, 5));
    expect(sent).toEqual([]);
    hold.offer(append(b, 6, [5]));
    timers.fire();
    expect(sent).toEqual(['b commit=6 n=1', 'c commit=5 n=0']);
  });

  it('sends a held notice when the hold expires, keeping only the newest per follower', () => {
    const { timers, sent, hold } = setup();
    hold.offer(append(b, 5));
    hold.offer(append(b, 7));
    expect(timers.pending()).toBe(1);
    timers.fire();
    expect(sent).toEqual(['b commit=7 n=0']);
    timers.fire();
    expect(sent).toHaveLength(1);
  });

  it('passes every other message straight through and drops what it holds when cleared', () => {
    const { timers, sent, hold } = setup();
    hold.offer(append(b, 5));
    hold.offer({ type: 'Heartbeat', from: a, to: b, term, commit: asLogIndex(5),
      leaderCommit: asLogIndex(5), ctx: null });
    expect(sent).toEqual(['Heartbeat']);
    hold.clear();
    expect(timers.pending()).toBe(0);
    timers.fire();
    expect(sent).toEqual(['Heartbeat']);
  });
});
