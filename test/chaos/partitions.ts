/**
 * Partition shapes as Jepsen names them, computed from member names alone: which pairs of
 * members cannot reach each other. Every shape is symmetric (if a cannot reach b, b cannot
 * reach a), so a partition is a set of unordered pairs.
 */
import type { Prng } from '../sim/prng.js';

export type PartitionKind = 'halves' | 'isolated-leader' | 'bridge' | 'ring';

/** Unordered pairs of member names that are cut off, each as `a|b` with a < b. */
export type Cut = ReadonlySet<string>;

export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** Every pair across two or more groups is cut; pairs within a group are not. */
export function cutBetween(groups: readonly (readonly string[])[]): Set<string> {
  const cut = new Set<string>();
  groups.forEach((group, g) => {
    for (const other of groups.slice(g + 1)) {
      for (const a of group) for (const b of other) cut.add(pairKey(a, b));
    }
  });
  return cut;
}

/** A random minority (at most half, rounded down) cut off from the rest. */
function halves(names: readonly string[], rng: Prng): Set<string> {
  const shuffled = rng.shuffle(names);
  const minority = Math.floor(names.length / 2);
  return cutBetween([shuffled.slice(0, minority), shuffled.slice(minority)]);
}

/**
 * Two halves that cannot reach each other, and one member (the bridge) that reaches both; only
 * the bridge's side plus the bridge can form a majority.
 */
function bridge(names: readonly string[], rng: Prng): Set<string> {
  const shuffled = rng.shuffle(names);
  const half = Math.floor(names.length / 2);
  const left = shuffled.slice(0, half);
  const right = shuffled.slice(half + 1);
  return cutBetween([left, right]);
}

/** Members on a ring each reach only their two neighbours (with three, that is everyone). */
function ring(names: readonly string[], rng: Prng): Set<string> {
  const shuffled = rng.shuffle(names);
  const n = shuffled.length;
  const cut = new Set<string>();
  shuffled.forEach((a, i) => {
    shuffled.forEach((b, j) => {
      const distance = Math.min((i - j + n) % n, (j - i + n) % n);
      if (distance > 1) cut.add(pairKey(a, b));
    });
  });
  return cut;
}

export function partition(kind: PartitionKind, names: readonly string[], rng: Prng,
  leader: string | null): Set<string> {
  switch (kind) {
    case 'halves':
      return halves(names, rng);
    case 'isolated-leader': {
      const isolated = leader ?? rng.pick(names);
      return cutBetween([[isolated], names.filter((n) => n !== isolated)]);
    }
    case 'bridge':
      return bridge(names, rng);
    case 'ring':
      return ring(names, rng);
  }
}

/**
 * Extends a cut between cores to replicas: each replica (a key of `sideOf`) is cut off from
 * whoever the core it sides with (its value) is cut off from, itself included.
 */
export function withReplicas(cut: Cut, cores: readonly string[],
  sideOf: ReadonlyMap<string, string>): Set<string> {
  const extended = new Set(cut);
  const sideName = (name: string): string => sideOf.get(name) ?? name;
  const everyone = [...cores, ...sideOf.keys()];
  for (const replica of sideOf.keys()) {
    for (const other of everyone) {
      const [a, b] = [sideName(replica), sideName(other)];
      if (a !== b && cut.has(pairKey(a, b))) extended.add(pairKey(replica, other));
    }
  }
  return extended;
}

/** One line a human can read: `core-1 | core-2 core-3` style groups where possible. */
export function describeCut(cut: Cut): string {
  return cut.size === 0 ? 'no links cut' : `cut ${[...cut].sort().join(', ')}`;
}
