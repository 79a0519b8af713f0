/**
 * How an unbound core decides to form or join a cluster (pure: the inputs are what discovery
 * knows). A bound core anywhere wins: join its cluster. Otherwise wait until at least
 * `formationCoreCountMin` unbound cores with stores equal to this one's see each other; the one
 * with the smallest member id bootstraps the cluster with all of them as voters and the others
 * bind to its cluster id when they hear it, so exactly one member bootstraps. Read replicas only
 * ever join.
 *
 * Stores must be equal because the bootstrapping core's store becomes the cluster's initial
 * state and the others keep theirs: a core whose store differed would serve another graph.
 */
import { crc32c } from '../log/crc32c.js';
import type { MemberAdvert, StoreFingerprint } from './discovery.js';

/** A core this one will not form or join a cluster with, and why (for the log). */
export interface FormationRefusal {
  readonly memberId: string;
  readonly why: string;
}

export type FormationDecision =
  | { readonly action: 'wait'; readonly coresSeen: number;
    readonly refused: readonly FormationRefusal[] }
  | { readonly action: 'bootstrap'; readonly voters: readonly string[];
    readonly refused: readonly FormationRefusal[] }
  | { readonly action: 'join'; readonly clusterId: string };

export function decideFormation(args: {
  readonly selfId: string;
  readonly mode: 'CORE' | 'READ_REPLICA';
  readonly alive: readonly MemberAdvert[];
  readonly formationCoreCountMin: number;
}): FormationDecision {
  const cores = args.alive.filter((m) => m.mode === 'CORE');
  const self = args.alive.find((m) => m.memberId === args.selfId);
  const bound = cores.filter((m) => m.clusterId !== null && m.memberId !== args.selfId);
  // A core that seeded its cluster from a store equal to this one's vouches for it.
  const seededAlike = bound.find((m) => m.store !== undefined && sameStore(m.store, self?.store));
  const target = seededAlike ?? bound[0];
  if (target?.clusterId) {
    const why = seededAlike ? null : joinRefusal(self?.store, target.clusterId);
    if (why === null) return { action: 'join', clusterId: target.clusterId };
    return { action: 'wait', coresSeen: cores.length,
      refused: [{ memberId: target.memberId, why }] };
  }
  // A read replica never forms a cluster: it waits for cores that have.
  if (args.mode === 'READ_REPLICA') return { action: 'wait', coresSeen: cores.length, refused: [] };
  const unbound = cores.filter((m) => m.clusterId === null);
  // Stores are compared only between unbound cores: a bound one advertises what it started from.
  const refused = unbound.filter((m) => !sameStore(m.store, self?.store)).map((m) => ({
    memberId: m.memberId,
    why: `its store is ${describeStore(m.store)}, this one's is ${describeStore(self?.store)}`,
  }));
  const equal = unbound.filter((m) => sameStore(m.store, self?.store)).map((m) => m.memberId)
    .sort();
  if (equal.length >= args.formationCoreCountMin && equal[0] === args.selfId) {
    return { action: 'bootstrap', voters: equal, refused };
  }
  return { action: 'wait', coresSeen: equal.length, refused };
}

/**
 * A core holding data joins a running cluster only when its store came from that cluster:
 * the cluster's log would otherwise be appended after a state the cluster never had.
 */
function joinRefusal(store: StoreFingerprint | undefined, clusterId: string): string | null {
  if (store === undefined || store.storeId === null || store.storeId === clusterId) return null;
  return `this member's store is ${describeStore(store)}, not a store of cluster ${clusterId}; ` +
    'start it with an empty store to join, or seed every core from the same backup';
}

export function sameStore(a: StoreFingerprint | undefined, b: StoreFingerprint | undefined):
  boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.storeId === b.storeId && a.lastIndex === b.lastIndex && a.lastTerm === b.lastTerm &&
    a.checksum === b.checksum;
}

export function describeStore(store: StoreFingerprint | undefined): string {
  if (store === undefined) return 'empty';
  return `at index ${store.lastIndex} (term ${store.lastTerm}) of store ` +
    `${store.storeId ?? 'without id'}, checksum ${store.checksum.toString(16).padStart(8, '0')}`;
}

/**
 * The fingerprint of a store whose snapshot and log are given; undefined for an empty store.
 * Every byte is read, once, at the start of an unbound core only.
 */
export function fingerprintStore(args: {
  readonly storeId: string | null;
  readonly snapshot: { readonly index: number; readonly term: number;
    readonly data: Uint8Array } | null;
  readonly entries: readonly { readonly index: number; readonly term: number;
    readonly data: Uint8Array }[];
}): StoreFingerprint | undefined {
  const last = args.entries.at(-1) ?? args.snapshot;
  if (last === null || last === undefined || last.index === 0) return undefined;
  let checksum = args.snapshot === null ? 0 : crc32c(args.snapshot.data);
  for (const entry of args.entries) checksum = crc32c(entry.data, checksum);
  return { storeId: args.storeId, lastIndex: last.index, lastTerm: last.term, checksum };
}
