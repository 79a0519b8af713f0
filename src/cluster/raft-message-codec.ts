/**
 * Raft messages on the wire: JSON with byte arrays as base64. Simple to read in a packet dump;
 * snapshots are chunked by the frame limit's owner, not here. Decoding trusts nothing: every
 * field is checked before it becomes a branded raft value, and local-only inputs do not exist
 * in the wire format at all.
 */
import { asLogIndex, asMemberId, asTerm } from '../raft/types.js';
import type {
  Entry,
  EntryKind,
  LogIndex,
  Membership,
  MemberId,
  Message,
  Snapshot,
  Term,
} from '../raft/types.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function bytesToBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function wireEntry(entry: Entry): unknown {
  const { term, index, kind } = entry;
  return { term, index, kind, data: bytesToBase64(entry.data) };
}

function wireValue(key: string, value: unknown): unknown {
  if (key === 'entries' && Array.isArray(value)) return (value as Entry[]).map(wireEntry);
  if (key === 'snapshot') {
    const snapshot = value as Snapshot;
    return { meta: snapshot.meta, data: bytesToBase64(snapshot.data) };
  }
  return value;
}

export function encodeRaftMessage(message: Message): Uint8Array {
  const wire: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(message)) wire[key] = wireValue(key, value);
  return encoder.encode(JSON.stringify(wire));
}

/** Thrown only inside this file; decodeRaftMessage turns it into a value. */
class WireError extends Error {}

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

const ENTRY_KINDS: readonly EntryKind[] = ['normal', 'noop', 'config'];

function entry(value: unknown): Entry {
  const fields = object(value, 'entry');
  const kind = text(fields, 'kind');
  const known = ENTRY_KINDS.find((k) => k === kind);
  if (known === undefined) throw new WireError(`unknown entry kind ${kind}`);
  return {
    term: term(fields, 'term'),
    index: index(fields, 'index'),
    kind: known,
    data: bytes(fields, 'data'),
  };
}

function entries(fields: Fields): Entry[] {
  const value = fields['entries'];
  if (!Array.isArray(value)) throw new WireError('entries must be a list');
  return value.map(entry);
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
    case 'Append':
      return {
        ...envelope,
        type,
        prevIndex: index(fields, 'prevIndex'),
        prevTerm: term(fields, 'prevTerm'),
        commit: index(fields, 'commit'),
        entries: entries(fields),
      };
    case 'AppendResp':
      return {
        ...envelope,
        type,
        index: index(fields, 'index'),
        reject: flag(fields, 'reject'),
        hintIndex: index(fields, 'hintIndex'),
        hintTerm: term(fields, 'hintTerm'),
      };
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
    const fields = object(JSON.parse(decoder.decode(payload)) as unknown, 'message');
    return { ok: true, message: body(text(fields, 'type'), fields) };
  } catch (error) {
    if (error instanceof WireError || error instanceof SyntaxError) {
      return { ok: false, reason: error.message };
    }
    throw error;
  }
}
