/**
 * Membership changes, one member at a time (Raft dissertation §4.1), so any majority of the old
 * voters overlaps any majority of the new ones. A change takes effect on every member when its
 * config entry commits; the leader refuses a second change until the first has committed.
 */
import { assert } from '../assert.js';
import { asMemberId, sortedIds } from './types.js';
import type { Membership, MemberId } from './types.js';

export type ConfigChange =
  | { readonly type: 'addVoter'; readonly member: MemberId }
  | { readonly type: 'addLearner'; readonly member: MemberId }
  | { readonly type: 'removeMember'; readonly member: MemberId }
  /** Only ever the first entry of a log: the initial voters. */
  | { readonly type: 'bootstrap'; readonly voters: readonly MemberId[] };

export const EMPTY_MEMBERSHIP: Membership = { voters: [], learners: [] };

export function isVoter(membership: Membership, id: MemberId): boolean {
  return membership.voters.includes(id);
}

export function isMember(membership: Membership, id: MemberId): boolean {
  return isVoter(membership, id) || membership.learners.includes(id);
}

/** Every member that receives the log, voters and learners, in sorted order. */
export function allMembers(membership: Membership): MemberId[] {
  return sortedIds([...membership.voters, ...membership.learners]);
}

export function quorumSize(membership: Membership): number {
  return Math.floor(membership.voters.length / 2) + 1;
}

/** null when the change is meaningless against this membership (nothing would change). */
export function applyConfigChange(membership: Membership, change: ConfigChange): Membership | null {
  const voters = membership.voters.filter((v) => v !== memberOf(change));
  const learners = membership.learners.filter((l) => l !== memberOf(change));
  switch (change.type) {
    case 'bootstrap':
      return { voters: sortedIds(new Set(change.voters)), learners: [] };
    case 'addVoter':
      if (isVoter(membership, change.member)) return null;
      return { voters: sortedIds([...voters, change.member]), learners };
    case 'addLearner':
      if (isMember(membership, change.member)) return null;
      return { voters, learners: sortedIds([...learners, change.member]) };
    case 'removeMember':
      if (!isMember(membership, change.member)) return null;
      if (voters.length === 0) return null;
      return { voters, learners };
  }
}

function memberOf(change: ConfigChange): MemberId | null {
  return change.type === 'bootstrap' ? null : change.member;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeConfigChange(change: ConfigChange): Uint8Array {
  return encoder.encode(JSON.stringify(change));
}

/** Config entries are written by raft itself, so a malformed one is a bug, not input. */
export function decodeConfigChange(data: Uint8Array): ConfigChange {
  const parsed: unknown = JSON.parse(decoder.decode(data));
  assert(typeof parsed === 'object' && parsed !== null, 'config change must be an object');
  const record = parsed as Record<string, unknown>;
  if (record['type'] === 'bootstrap') {
    const voters = record['voters'];
    assert(Array.isArray(voters), 'bootstrap voters must be a list');
    return { type: 'bootstrap', voters: voters.map((v: unknown) => asMemberId(String(v))) };
  }
  const type = record['type'];
  assert(
    type === 'addVoter' || type === 'addLearner' || type === 'removeMember',
    `unknown config change type ${String(type)}`,
  );
  assert(typeof record['member'] === 'string', 'config change member must be a string');
  return { type, member: asMemberId(record['member']) };
}
