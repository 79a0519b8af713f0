/**
 * The embedded library as a cluster member (Neo4j HA's HighlyAvailableGraphDatabaseFactory):
 * `Database.open(dir, { cluster: {...} })` runs the same core member a server runs, in process,
 * without Bolt or HTTP.
 */
import type { Database, DatabaseOptions } from '../db/database.js';
import type { GraphStateMachine } from '../db/state-machine.js';
import { CoreMember } from './cluster-member.js';

export interface EmbeddedClusterOptions {
  /** `host:port` this member's discovery service listens on and advertises. */
  readonly discoveryAddress: string;
  /** `host:port` of this member's Raft transport. */
  readonly raftAddress: string;
  /** Discovery addresses of the initial members, this one included or not. */
  readonly initialMembers: readonly string[];
  readonly minimumCoreClusterSizeAtFormation?: number;
  /** The leader votes out cores gone from discovery down to this many voters; absent: never. */
  readonly minimumCoreClusterSizeAtRuntime?: number;
  readonly mode?: 'CORE' | 'READ_REPLICA';
  readonly electionTimeoutMs?: number;
  readonly snapshotThresholdEntries?: number | null;
}

function hostPort(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at), port: Number(address.slice(at + 1)) };
}

export async function openEmbeddedMember(dir: string, options: DatabaseOptions,
  cluster: EmbeddedClusterOptions,
  forMember: (machine: GraphStateMachine, storeId: string) => Database): Promise<Database> {
  const electionTimeoutMs = cluster.electionTimeoutMs ?? 600;
  const noUsers = { apply: () => undefined, snapshot: () => [], restore: () => undefined };
  const member = new CoreMember({
    mode: cluster.mode ?? 'CORE', dataDir: dir,
    discoveryListen: hostPort(cluster.discoveryAddress), raftListen: hostPort(cluster.raftAddress),
    advertised: { discovery: cluster.discoveryAddress, raft: cluster.raftAddress, bolt: '', http: '' },
    seeds: cluster.initialMembers,
    formationCoreCountMin: cluster.minimumCoreClusterSizeAtFormation ?? cluster.initialMembers.length,
    ...(cluster.minimumCoreClusterSizeAtRuntime === undefined ? {}
      : { runtimeCoreCountMin: cluster.minimumCoreClusterSizeAtRuntime }),
    electionTimeoutMsMin: electionTimeoutMs, heartbeatIntervalMs: Math.max(50, Math.floor(electionTimeoutMs / 3)),
    replicationTimeoutMs: 20_000, snapshotThresholdEntries: cluster.snapshotThresholdEntries ?? 50_000,
    preVote: true, refuseToBeLeader: false, readsOnLeader: true, routingTtlSeconds: 300, groups: [],
  }, options.system ?? noUsers, {
    info: (l) => options.logger?.(l), warn: (l) => options.logger?.(l),
  });
  let db: Database | null = null;
  await member.start((machine, storeId) => (db = forMember(machine, storeId)));
  const attached = db as Database | null;
  if (!attached) throw new Error('cluster member did not attach its database');
  attached.onClose(() => member.stop());
  return attached;
}
