/**
 * How an unbound core decides to form or join a cluster (pure: the inputs are what discovery
 * knows). A bound core anywhere wins: join its cluster. Otherwise wait until at least
 * `formationCoreCountMin` unbound cores see each other; the one with the smallest member id
 * bootstraps the cluster with all of them as voters and the others bind to its cluster id when
 * they hear it, so exactly one member bootstraps. Read replicas only ever join.
 */
import type { MemberAdvert } from './discovery.js';

export type FormationDecision =
  | { readonly action: 'wait'; readonly coresSeen: number }
  | { readonly action: 'bootstrap'; readonly voters: readonly string[] }
  | { readonly action: 'join'; readonly clusterId: string };

export function decideFormation(args: {
  readonly selfId: string;
  readonly mode: 'CORE' | 'READ_REPLICA';
  readonly alive: readonly MemberAdvert[];
  readonly formationCoreCountMin: number;
}): FormationDecision {
  const cores = args.alive.filter((m) => m.mode === 'CORE');
  const bound = cores.find((m) => m.clusterId !== null && m.memberId !== args.selfId);
  if (bound?.clusterId) return { action: 'join', clusterId: bound.clusterId };
  // A read replica never forms a cluster: it waits for cores that have.
  if (args.mode === 'READ_REPLICA') return { action: 'wait', coresSeen: cores.length };
  const unbound = cores.filter((m) => m.clusterId === null).map((m) => m.memberId).sort();
  if (unbound.length < args.formationCoreCountMin) return { action: 'wait', coresSeen: unbound.length };
  if (unbound[0] === args.selfId) return { action: 'bootstrap', voters: unbound };
  return { action: 'wait', coresSeen: unbound.length };
}
