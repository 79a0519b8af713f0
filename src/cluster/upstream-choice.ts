/**
 * Which member a read replica pulls committed transactions from
 * (causal_clustering.upstream_selection_strategy). Pure: it sees the members' discovery adverts
 * and returns a choice; the catchup client (catchup-client.ts) acts on it. See
 * docs/decisions/0026-replica-upstreams.md.
 */
import { assert } from '../assert.js';
import type { MemberAdvert } from './discovery.js';

/** The strategies a replica can follow, by their 3.5 names (5.x names map onto them). */
export type UpstreamStrategy =
  | 'default'
  | 'leader-only'
  | 'connect-to-random-core-server'
  | 'typically-connect-to-random-read-replica'
  | 'connect-randomly-to-server-group';

const STRATEGY_NAMES: Readonly<Record<string, UpstreamStrategy>> = {
  'default': 'default',
  'leader-only': 'leader-only',
  'connect-to-random-core-server': 'connect-to-random-core-server',
  'connect-to-random-primary-server': 'connect-to-random-core-server',
  'typically-connect-to-random-read-replica': 'typically-connect-to-random-read-replica',
  'typically-connect-to-random-secondary': 'typically-connect-to-random-read-replica',
  'connect-randomly-to-server-group': 'connect-randomly-to-server-group',
  'connect-randomly-within-server-group': 'connect-randomly-to-server-group',
  'connect-randomly-to-server-with-tag': 'connect-randomly-to-server-group',
};

/** Every accepted spelling, for the error that names them. */
export const UPSTREAM_STRATEGY_NAMES: readonly string[] = Object.keys(STRATEGY_NAMES);

/** The strategy a name stands for, or null when QuiverDB does not know it. */
export function parseUpstreamStrategy(name: string): UpstreamStrategy | null {
  return STRATEGY_NAMES[name.trim().toLowerCase()] ?? null;
}

/**
 * Whether a replica with these strategies takes its entries from the Raft leader as a learner
 * (today's default path, decision 0010) rather than over a catchup connection.
 */
export function followsLeaderAsLearner(strategies: readonly UpstreamStrategy[]): boolean {
  return strategies.every((s) => s === 'default' || s === 'leader-only');
}

/** Every this many choices, typically-connect-to-random-read-replica picks a core. */
export const CORE_CHOICE_EVERY = 10;
/** Hops followed along upstream links when looking for a cycle. */
const CHAIN_HOPS_MAX = 16;

export interface UpstreamChoiceInput {
  readonly selfId: string;
  readonly clusterId: string;
  /** Alive members as discovery reports them (this member included or not). */
  readonly members: readonly MemberAdvert[];
  readonly strategies: readonly UpstreamStrategy[];
  /** This member's causal_clustering.server_groups. */
  readonly groups: readonly string[];
  /** How many choices this member made before (drives the 1-in-10 core pick). */
  readonly choicesBefore: number;
  /** Picks an index in [0, count); injected so tests can fix it. */
  readonly pick: (count: number) => number;
  /** Members to avoid (just failed); chosen only when nothing else is left. */
  readonly avoid?: ReadonlySet<string>;
}

export interface UpstreamChoice {
  readonly member: MemberAdvert;
  /** 'preferred': the strategy's own pick; 'fallback': a random core because none yielded. */
  readonly how: 'preferred' | 'fallback';
  readonly strategy: UpstreamStrategy;
}

/** Strategies in order; when none yields a member, a random core (Neo4j's rule). */
export function chooseUpstream(input: UpstreamChoiceInput): UpstreamChoice | null {
  assert(input.strategies.length > 0, 'a replica has at least one strategy');
  const usable = input.members.filter((m) => servesCatchup(m, input));
  const fresh = usable.filter((m) => input.avoid?.has(m.memberId) !== true);
  for (const pool of fresh.length > 0 ? [fresh, usable] : [usable]) {
    for (const strategy of input.strategies) {
      const member = pickFor(strategy, pool, input);
      if (member !== null) return { member, how: 'preferred', strategy };
    }
    const core = pickOne(pool.filter(isCore), input.pick);
    if (core !== null) return { member: core, how: 'fallback', strategy: 'default' };
  }
  return null;
}

function pickFor(strategy: UpstreamStrategy, pool: readonly MemberAdvert[],
  input: UpstreamChoiceInput): MemberAdvert | null {
  switch (strategy) {
    case 'default':
    case 'connect-to-random-core-server':
      return pickOne(pool.filter(isCore), input.pick);
    case 'leader-only':
      return pool.find((m) => isCore(m) && m.role === 'LEADER') ?? null;
    case 'typically-connect-to-random-read-replica':
      if (input.choicesBefore % CORE_CHOICE_EVERY === CORE_CHOICE_EVERY - 1) {
        return pickOne(pool.filter(isCore), input.pick);
      }
      return pickOne(pool.filter((m) => feedsFromCores(m, input)), input.pick);
    case 'connect-randomly-to-server-group':
      return pickOne(pool.filter((m) => feedsFromCores(m, input) &&
        m.groups.some((g) => input.groups.includes(g))), input.pick);
  }
}

function pickOne(pool: readonly MemberAdvert[], pick: (count: number) => number):
  MemberAdvert | null {
  if (pool.length === 0) return null;
  const index = pick(pool.length);
  assert(Number.isInteger(index) && index >= 0 && index < pool.length, 'pick stays in range');
  return pool[index] ?? null;
}

function isCore(m: MemberAdvert): boolean {
  return m.mode === 'CORE';
}

/** A member that can serve catchup: of this cluster, not us, holding a graph, listening. */
function servesCatchup(m: MemberAdvert, input: UpstreamChoiceInput): boolean {
  return m.memberId !== input.selfId && m.clusterId === input.clusterId &&
    m.arbiter !== true && typeof m.catchupAddress === 'string';
}

/**
 * Whether a replica's chain of upstreams reaches a core without passing through us: a replica
 * that (perhaps indirectly) pulls from us would only ever hand our own entries back.
 */
export function feedsFromCores(m: MemberAdvert, input: Pick<UpstreamChoiceInput,
  'selfId' | 'members'>): boolean {
  if (m.mode !== 'READ_REPLICA') return false;
  const byId = new Map(input.members.map((a) => [a.memberId, a]));
  let at: MemberAdvert | undefined = m;
  for (let hop = 0; hop < CHAIN_HOPS_MAX && at !== undefined; hop += 1) {
    if (at.memberId === input.selfId) return false;
    if (at.mode === 'CORE') return true;
    const next: string | null | undefined = at.upstreamId;
    if (next === null || next === undefined) return false;
    at = byId.get(next);
  }
  return false;
}

/** Whether `m`, directly or through the replicas it pulls from, pulls from `targetId`. */
export function pullsFrom(m: MemberAdvert, targetId: string,
  members: readonly MemberAdvert[]): boolean {
  const byId = new Map(members.map((a) => [a.memberId, a]));
  let next: string | null | undefined = m.upstreamId;
  for (let hop = 0; hop < CHAIN_HOPS_MAX && typeof next === 'string'; hop += 1) {
    if (next === targetId) return true;
    next = byId.get(next)?.upstreamId;
  }
  return false;
}
