/**
 * Raft messages on the wire: Append and AppendResp, the write path's, in the binary form of
 * raft-binary-codec.ts; every other message as JSON with byte arrays as base64, simple to read
 * in a packet dump;
 * snapshots are chunked by the frame limit's owner, not here. Decoding trusts nothing: every
 * field is checked before it becomes a branded raft value, and local-only inputs do not exist
 * in the wire format at all.
 */
import { asLogIndex, asMemberId, asTerm } from '../raft/types.js';
import {
  decodeBinaryMessage, encodeAppend, encodeAppendResponse, WireError,
} from './raft-binary-codec.js';
import type {
  LogIndex,
  Membership,
  MemberId,
  Message,
  Snapshot,
  Term,
} from '../raft/types.js';

const encoder = new TextEncoder();
/** `{`: what every JSON message starts with, and no binary message does. */
const JSON_OBJECT_START = 0x7b;
const decoder = new TextDecoder();

function bytesToBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function wireValue(key: string, value: unknown): unknown {
  if (key === 'snapshot') {
    const snapshot = value as Snapshot;
    return { meta: snapshot.meta, data: bytesToBase64(snapshot.data) };
  }
  return value;
}

export function encodeRaftMessage(message: Message): Uint8Array {
  if (message.type === 'Append') return encodeAppend(message);
  if (message.type === 'AppendResp') return encodeAppendResponse(message);
  const wire: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(message)) wire[key] = wireValue(key, value);
  return encoder.encode(JSON.stringify(wire));
}

type Fields = Record<string, unknown>;

function object(value: unknown, what: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WireError(`${what} must be an object`);
  }
  return value as Fields;
}

function count(fields: Fields, key: string): number {
  const value = fields[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new WireError(`${key} must be a non-negative integer`);
  }
  return value;
}

const term = (fields: Fields, key: string): Term => asTerm(count(fields, key));
const index = (fields: Fields, key: string): LogIndex => asLogIndex(count(fields, key));

function text(fields: Fields, key: string): string {
  const value = fields[key];
  if (typeof value !== 'string') throw new WireError(`${key} must be a string`);
  return value;
}

function member(fields: Fields, key: string): MemberId {
  const value = text(fields, key);
  if (value.length === 0) throw new WireError(`${key} must not be empty`);
  return asMemberId(value);
}

function flag(fields: Fields, key: string): boolean {
  const value = fields[key];
  if (typeof value !== 'boolean') throw new WireError(`${key} must be a boolean`);
  return value;
}

function ctxOrNull(fields: Fields): string | null {
  return fields['ctx'] === null ? null : text(fields, 'ctx');
}

function bytes(fields: Fields, key: string): Uint8Array {
  return new Uint8Array(Buffer.from(text(fields, key), 'base64'));
}

function members(value: unknown, what: string): MemberId[] {
  if (!Array.isArray(value)) throw new WireError(`${what} must be a list`);
  return value.map((v: unknown) => {
    if (typeof v !== 'string' || v.length === 0) throw new WireError(`${what} must be ids`);
    return asMemberId(v);
  });
}

function snapshot(value: unknown): Snapshot {
  const fields = object(value, 'snapshot');
  const meta = object(fields['meta'], 'snapshot meta');
  const membershipFields = object(meta['membership'], 'membership');
  const membership: Membership = {
    voters: members(membershipFields['voters'], 'voters'),
    learners: members(membershipFields['learners'], 'learners'),
  };
  return {
    meta: { index: index(meta, 'index'), term: term(meta, 'term'), membership },
    data: bytes(fields, 'data'),
  };
}

function body(type: string, fields: Fields): Message {
  const envelope = {
    from: member(fields, 'from'),
    to: member(fields, 'to'),
    term: term(fields, 'term'),
  };
  switch (type) {
    case 'PreVote':
    case 'Vote':
      return {
        ...envelope,
        type,
        lastIndex: index(fields, 'lastIndex'),
        lastTerm: term(fields, 'lastTerm'),
        transfer: flag(fields, 'transfer'),
      };
    case 'PreVoteResp':
    case 'VoteResp':
      return { ...envelope, type, reject: flag(fields, 'reject') };
    default:
      return otherBody(type, fields, envelope);
  }
}

function otherBody(
  type: string,
  fields: Fields,
  envelope: { from: MemberId; to: MemberId; term: Term },
): Message {
  switch (type) {
    case 'Heartbeat':
      return { ...envelope, type, commit: index(fields, 'commit'),
        leaderCommit: index(fields, 'leaderCommit'), ctx: ctxOrNull(fields) };
    case 'HeartbeatResp':
      return { ...envelope, type, ctx: ctxOrNull(fields) };
    case 'Snapshot':
      return { ...envelope, type, snapshot: snapshot(fields['snapshot']) };
    case 'TimeoutNow':
      return { ...envelope, type };
    case 'ReadIndex':
      return { ...envelope, type, ctx: text(fields, 'ctx') };
    case 'ReadIndexResp':
      return { ...envelope, type, ctx: text(fields, 'ctx'), index: index(fields, 'index') };
    default:
      throw new WireError(`unknown message type ${type}`);
  }
}

export type DecodeResult = { ok: true; message: Message } | { ok: false; reason: string };

export function decodeRaftMessage(payload: Uint8Array): DecodeResult {
  try {
    if (payload[0] !== JSON_OBJECT_START) {
      return { ok: true, message: decodeBinaryMessage(payload) };
    }
    const fields = object(JSON.parse(decoder.decode(payload)) as unknown, 'message');
    return { ok: true, message: body(text(fields, 'type'), fields) };
  } catch (error) {
    if (error instanceof WireError || error instanceof SyntaxError) {
      return { ok: false, reason: error.message };
    }
    throw error;
  }
}
