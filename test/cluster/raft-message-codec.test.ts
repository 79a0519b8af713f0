import { describe, expect, it } from 'vitest';
import { decodeRaftMessage, encodeRaftMessage } from '../../src/cluster/raft-message-codec.js';
import { asLogIndex, asMemberId, asTerm } from '../../src/raft/types.js';
import type { Message } from '../../src/raft/types.js';

const from = asMemberId('core1');
const to = asMemberId('core2');
const term = asTerm(7);
const i = asLogIndex;
const entry = {
  term,
  index: i(5),
  kind: 'normal' as const,
  data: new Uint8Array([0, 1, 2, 255]),
};

const EXAMPLES: Message[] = [
  { type: 'PreVote', from, to, term, lastIndex: i(4), lastTerm: asTerm(6), transfer: false },
  { type: 'Vote', from, to, term, lastIndex: i(4), lastTerm: asTerm(6), transfer: true },
  { type: 'PreVoteResp', from, to, term, reject: true },
  { type: 'VoteResp', from, to, term, reject: false },
  { type: 'Append', from, to, term, prevIndex: i(4), prevTerm: term, commit: i(3),
    entries: [entry] },
  { type: 'AppendResp', from, to, term, index: i(4), reject: true,
    hintIndex: i(2), hintTerm: term },
  { type: 'Heartbeat', from, to, term, commit: i(3), leaderCommit: i(5), ctx: null },
  { type: 'HeartbeatResp', from, to, term, ctx: 'read-1' },
  {
    type: 'Snapshot',
    from,
    to,
    term,
    snapshot: {
      meta: { index: i(9), term, membership: { voters: [from, to], learners: [] } },
      data: new Uint8Array([9, 8, 7]),
    },
  },
  { type: 'TimeoutNow', from, to, term },
  { type: 'ReadIndex', from, to, term, ctx: 'r' },
  { type: 'ReadIndexResp', from, to, term, ctx: 'r', index: i(12) },
];

const raw = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

describe('raft message codec', () => {
  for (const message of EXAMPLES) {
    it(`round-trips ${message.type}`, () => {
      expect(decodeRaftMessage(encodeRaftMessage(message))).toEqual({ ok: true, message });
    });
  }

  it('refuses an unknown message type, such as a local-only input', () => {
    const result = decodeRaftMessage(raw({ type: 'Hup', from, to, term: 1 }));
    expect(result).toEqual({ ok: false, reason: 'unknown message type Hup' });
  });

  it('refuses a negative term', () => {
    const result = decodeRaftMessage(raw({ type: 'TimeoutNow', from, to, term: -1 }));
    expect(result).toEqual({ ok: false, reason: 'term must be a non-negative integer' });
  });

  it('refuses an entry of an unknown kind', () => {
    const append = { ...JSON.parse(new TextDecoder().decode(encodeRaftMessage(EXAMPLES[4]!))) };
    append.entries[0].kind = 'weird';
    const result = decodeRaftMessage(raw(append));
    expect(result).toEqual({ ok: false, reason: 'unknown entry kind weird' });
  });

  it('refuses bytes that are not JSON', () => {
    expect(decodeRaftMessage(new Uint8Array([0xff, 0x00])).ok).toBe(false);
  });
});
