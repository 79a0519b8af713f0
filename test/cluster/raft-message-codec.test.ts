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
    const bytes = encodeRaftMessage(EXAMPLES[4]!);
    // The kind byte follows the entry's term and index, after the Append's fixed fields.
    const kindAt = bytes.length - entry.data.length - 4 - 1;
    bytes[kindAt] = 7;
    expect(decodeRaftMessage(bytes)).toEqual({ ok: false, reason: 'unknown entry kind 7' });
  });

  it('refuses an Append or AppendResp cut anywhere, or with bytes after its end', () => {
    for (const message of [EXAMPLES[4]!, EXAMPLES[5]!]) {
      const bytes = encodeRaftMessage(message);
      for (let length = 0; length < bytes.length; length += 1) {
        expect(decodeRaftMessage(bytes.subarray(0, length)).ok).toBe(false);
      }
      const longer = new Uint8Array(bytes.length + 1);
      longer.set(bytes);
      expect(decodeRaftMessage(longer)).toEqual({ ok: false,
        reason: 'bytes after the end of the message' });
    }
  });

  it('refuses an Append whose entry count its bytes cannot hold, before reading entries', () => {
    const empty: Message = { type: 'Append', from, to, term, prevIndex: i(4), prevTerm: term,
      commit: i(3), entries: [] };
    const bytes = encodeRaftMessage(empty);
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(bytes.length - 4, 0xffffffff);
    expect(decodeRaftMessage(bytes)).toEqual({ ok: false, reason: 'entries are cut short' });
  });

  it('encodes an Append in fewer bytes than its entries would take in base64', () => {
    const data = new Uint8Array(200).fill(7);
    const append: Message = { type: 'Append', from, to, term, prevIndex: i(4), prevTerm: term,
      commit: i(3), entries: [{ ...entry, data }, { ...entry, index: i(6), data }] };
    const bytes = encodeRaftMessage(append);
    expect(bytes.length).toBeLessThan(2 * Buffer.from(data).toString('base64').length);
    expect(decodeRaftMessage(bytes)).toEqual({ ok: true, message: append });
  });

  it('refuses bytes that are not JSON', () => {
    expect(decodeRaftMessage(new Uint8Array([0xff, 0x00])).ok).toBe(false);
  });
});
