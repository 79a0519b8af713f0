/**
 * Value types of the Raft core. Quantities are branded so a term can never be passed where a
 * log index is expected; they are made only by the `as…` functions, which assert their range.
 */
import { assert } from '../assert.js';

export type Term = number & { readonly brand: 'Term' };
export type LogIndex = number & { readonly brand: 'LogIndex' };
export type MemberId = string & { readonly brand: 'MemberId' };

export function asTerm(n: number): Term {
  assert(Number.isSafeInteger(n), `term ${n} must be a safe integer`);
  assert(n >= 0, `term ${n} must not be negative`);
  return n as Term;
}

export function asLogIndex(n: number): LogIndex {
  assert(Number.isSafeInteger(n), `log index ${n} must be a safe integer`);
  assert(n >= 0, `log index ${n} must not be negative`);
  return n as LogIndex;
}

export function asMemberId(s: string): MemberId {
  assert(s.length > 0, 'member id must not be empty');
  return s as MemberId;
}

export const TERM_ZERO = asTerm(0);
export const INDEX_ZERO = asLogIndex(0);

/** Sorting ids keeps message order, and so every simulated run, deterministic. */
export function sortedIds(ids: Iterable<MemberId>): MemberId[] {
  return [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export type EntryKind = 'normal' | 'noop' | 'config';

export interface Entry {
  readonly term: Term;
  readonly index: LogIndex;
  readonly kind: EntryKind;
  /** Application bytes for 'normal'; an encoded ConfigChange for 'config'; empty for 'noop'. */
  readonly data: Uint8Array;
}

/** What must be durable before any message that depends on it leaves the member. */
export interface HardState {
  readonly term: Term;
  readonly vote: MemberId | null;
  readonly commit: LogIndex;
}

/** Voters decide elections and commits; learners only receive the log (read replicas). */
export interface Membership {
  readonly voters: readonly MemberId[];
  readonly learners: readonly MemberId[];
}

export interface SnapshotMeta {
  readonly index: LogIndex;
  readonly term: Term;
  readonly membership: Membership;
}

/** The bytes belong to the application; raft only carries them to whoever needs them. */
export interface Snapshot {
  readonly meta: SnapshotMeta;
  readonly data: Uint8Array;
}

export type Role = 'LEADER' | 'FOLLOWER' | 'CANDIDATE' | 'PRE_CANDIDATE' | 'LEARNER';

interface Envelope {
  readonly from: MemberId;
  readonly to: MemberId;
  readonly term: Term;
}

/** `transfer` lets a leadership-transfer election past followers' leader stickiness. */
export interface VoteRequest extends Envelope {
  readonly type: 'PreVote' | 'Vote';
  readonly lastIndex: LogIndex;
  readonly lastTerm: Term;
  readonly transfer: boolean;
}

export interface VoteResponse extends Envelope {
  readonly type: 'PreVoteResp' | 'VoteResp';
  readonly reject: boolean;
}

export interface AppendRequest extends Envelope {
  readonly type: 'Append';
  readonly prevIndex: LogIndex;
  readonly prevTerm: Term;
  readonly commit: LogIndex;
  readonly entries: readonly Entry[];
}

/**
 * Accepted: `index` is the follower's last index matching the leader. Rejected: `index` is the
 * rejected prevIndex and `hintIndex`/`hintTerm` say where the follower's log may match, so the
 * leader skips a whole term per round trip instead of one entry.
 */
export interface AppendResponse extends Envelope {
  readonly type: 'AppendResp';
  readonly index: LogIndex;
  readonly reject: boolean;
  readonly hintIndex: LogIndex;
  readonly hintTerm: Term;
}

/**
 * `ctx` is set when the heartbeat confirms leadership for pending read-index requests.
 * `commit` is at most what the follower is known to hold (safe to commit there); `leaderCommit`
 * is the leader's own commit index, which tells a restarted follower how far it must apply
 * before its graph is as new as the cluster's.
 */
export interface Heartbeat extends Envelope {
  readonly type: 'Heartbeat';
  readonly commit: LogIndex;
  readonly leaderCommit: LogIndex;
  readonly ctx: string | null;
}

export interface HeartbeatResponse extends Envelope {
  readonly type: 'HeartbeatResp';
  readonly ctx: string | null;
}

export interface InstallSnapshot extends Envelope {
  readonly type: 'Snapshot';
  readonly snapshot: Snapshot;
}

export interface TimeoutNow extends Envelope {
  readonly type: 'TimeoutNow';
}

export interface ReadIndexRequest extends Envelope {
  readonly type: 'ReadIndex';
  readonly ctx: string;
}

export interface ReadIndexResponse extends Envelope {
  readonly type: 'ReadIndexResp';
  readonly ctx: string;
  readonly index: LogIndex;
}

/** Everything that travels between members. Local inputs (ticks, proposals) are not here. */
export type Message =
  | VoteRequest
  | VoteResponse
  | AppendRequest
  | AppendResponse
  | Heartbeat
  | HeartbeatResponse
  | InstallSnapshot
  | TimeoutNow
  | ReadIndexRequest
  | ReadIndexResponse;

export type MessageType = Message['type'];

/** Inputs made by the node itself (etcd's MsgHup, MsgBeat, MsgCheckQuorum); never on the wire. */
export type LocalInput = 'Hup' | 'Beat' | 'CheckQuorum';

export type DropReason =
  | 'not-leader'
  | 'transferring'
  | 'uncommitted-bytes-max'
  | 'config-change-pending'
  | 'invalid-config-change'
  | 'not-a-voter'
  | 'no-leader'
  | 'not-ready'
  | 'pending-reads-max';

/** A request the node could not take now; the caller may retry elsewhere or later. */
export interface Dropped {
  readonly ok: false;
  readonly reason: DropReason;
}

export type ProposalResult =
  | { readonly ok: true; readonly index: LogIndex; readonly term: Term }
  | Dropped;

export type RequestResult = { readonly ok: true } | Dropped;

/** A linearizable read may be served once the application has applied `index`. */
export interface ReadState {
  readonly index: LogIndex;
  readonly ctx: string;
}

export interface SoftState {
  readonly role: Role;
  readonly leader: MemberId | null;
}

export const EMPTY_BYTES: Uint8Array = new Uint8Array(0);
