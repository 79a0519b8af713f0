/**
 * The typed configuration every layer reads. Neo4j's setting names exist only in src/config;
 * everything here is camelCase with units in the name (`…Ms`, `…Bytes`) and addresses resolved.
 */
import type { SocketAddress } from './socket-address.js';

/** HA input maps to CORE; Neo4j 5's SECONDARY mode constraint maps to READ_REPLICA. */
export type ServerMode = 'SINGLE' | 'CORE' | 'READ_REPLICA';

export interface ListenAndAdvertise {
  readonly listen: SocketAddress;
  readonly advertised: SocketAddress;
}

export interface ConnectorConfig extends ListenAndAdvertise {
  readonly enabled: boolean;
}

/** `1g size`, `100k txs`, `false` (keep everything), `true` / `keep_none` (keep nothing). */
export type RaftLogPruneStrategy =
  | { readonly kind: 'keep_all' }
  | { readonly kind: 'keep_none' }
  | { readonly kind: 'size'; readonly bytes: number }
  | { readonly kind: 'files' | 'txs' | 'entries'; readonly count: number }
  | { readonly kind: 'hours' | 'days'; readonly count: number };

/** A member of a statically listed Raft group (Memgraph's coordination file). */
export interface RaftMember {
  readonly id: number;
  readonly raftAddress: SocketAddress;
}

export interface ClusterConfig {
  readonly discovery: ListenAndAdvertise;
  readonly transaction: ListenAndAdvertise;
  readonly raft: ListenAndAdvertise;
  /** Discovery addresses of the members to form or join a cluster with. */
  readonly initialMembers: readonly SocketAddress[];
  /** Non-empty only when a Memgraph coordination file listed the whole group. */
  readonly raftMembers: readonly RaftMember[];
  readonly formationCoreCountMin: number;
  readonly runtimeCoreCountMin: number;
  readonly electionTimeoutMsMin: number;
  readonly electionTimeoutMsMax: number;
  readonly heartbeatIntervalMs: number;
  /** How long a proposal may wait for a majority before the commit fails. */
  readonly replicationTimeoutMs: number;
  /** Log entries since the last snapshot that trigger a new one; null = never. */
  readonly snapshotThresholdEntries: number | null;
  readonly preVoteEnabled: boolean;
  readonly refuseToBeLeader: boolean;
  readonly pullIntervalMs: number;
  /** Canonical 3.5 names (upstream-choice.ts); ['default']: a Raft learner of the leader. */
  readonly upstreamStrategies: readonly string[];
  readonly serverGroups: readonly string[];
  readonly raftLogPruneStrategy: RaftLogPruneStrategy;
  readonly raftLogRotationBytes: number;
  readonly clusterName: string;
  /**
   * ha.tx_push_factor: on each commit this member wakes that many of the replicas pulling from
   * it over catchup at once (best effort); 0 wakes none (decision 0026).
   */
  readonly txPushFactor: number;
  /** dbms.mode=ARBITER: votes and keeps the log, applies no graph, never leads or serves. */
  readonly arbiter?: boolean;
}

export interface RoutingConfig {
  /** Server-side routing (dbms.routing.enabled): forward writes to the leader. */
  readonly serverSideEnabled: boolean;
  readonly ttlMs: number;
  readonly readsOnFollowersEnabled: boolean;
  readonly readsOnLeaderEnabled: boolean;
}

export interface AuthConfig {
  readonly enabled: boolean;
  readonly clusterStatusAuthEnabled: boolean;
  /** From NEO4J_AUTH=neo4j/<password>; quiver-admin writes data/dbms/initial-password instead. */
  readonly initialPassword: string | null;
}

export interface MemoryConfig {
  /** dbms.memory.heap.*: node's --initial-old-space-size and --max-old-space-size. */
  readonly heapInitialBytes: number | null;
  readonly heapMaxBytes: number | null;
  /** Memory all open transactions together may use; null = unlimited. */
  readonly transactionTotalBytesMax: number | null;
  /** Memory one transaction may use; null = unlimited. */
  readonly transactionBytesMax: number | null;
}

export interface DirectoriesConfig {
  readonly home: string;
  /** dbms.directories.certificates: where each SSL policy's base_directory is by default. */
  readonly certificates: string;
  readonly conf: string;
  readonly data: string;
  readonly logs: string;
  readonly import: string;
  readonly run: string;
}

// --- security (issue 11) ---
/** The four SSL policies Neo4j names; each protects one kind of port. */
export type SslScope = 'bolt' | 'https' | 'cluster' | 'backup';
export const SSL_SCOPES: readonly SslScope[] = ['bolt', 'https', 'cluster', 'backup'];
export type ClientAuth = 'NONE' | 'OPTIONAL' | 'REQUIRE';
/** dbms.connector.bolt.tls_level: whether plaintext Bolt is refused, accepted, or the only kind. */
export type TlsLevel = 'REQUIRED' | 'OPTIONAL' | 'DISABLED';

/** dbms.ssl.policy.<scope>.*, every path absolute. */
export interface SslPolicyConfig {
  readonly scope: SslScope;
  readonly enabled: boolean;
  readonly baseDirectory: string;
  readonly privateKey: string;
  readonly privateKeyPassword: string | null;
  readonly publicCertificate: string;
  readonly trustedDir: string;
  readonly revokedDir: string;
  readonly clientAuth: ClientAuth;
  /** e.g. ['TLSv1.2', 'TLSv1.3']. */
  readonly tlsVersions: readonly string[];
  /** OpenSSL cipher names; null = Node's defaults. */
  readonly ciphers: readonly string[] | null;
}

export interface SecurityConfig {
  readonly ssl: Readonly<Record<SslScope, SslPolicyConfig>>;
  readonly boltTlsLevel: TlsLevel;
  /** Shared secret members prove with HMAC challenges; null = members are not authenticated. */
  readonly clusterSecret: string | null;
  /** Failed logins in a row before the user is locked out; 0 = never locked. */
  readonly authFailedAttemptsMax: number;
  readonly authLockTimeMs: number;
  /** How long a verified password is remembered (Neo4j's auth cache); 0 = never. */
  readonly authCacheTtlMs: number;
  readonly authCacheCapacity: number;
  /** Open Bolt connections; null = the Bolt layer's default. */
  readonly boltConnectionsMax: number | null;
  /** A Bolt connection without a request for this long is closed; null = never. */
  readonly boltIdleTimeoutMs: number | null;
}
// --- end security ---

export interface QuiverConfig {
  readonly mode: ServerMode;
  /** ha.server_id / --server_id; null lets the cluster layer generate a member id. */
  readonly serverId: number | null;
  readonly defaultDatabase: string;
  readonly directories: DirectoriesConfig;
  readonly bolt: ConnectorConfig;
  readonly http: ConnectorConfig;
  /** dbms.connector.https.*: the HTTP API over TLS (policy dbms.ssl.policy.https). */
  readonly https: ConnectorConfig;
  readonly security: SecurityConfig;
  readonly backup: { readonly enabled: boolean; readonly listen: SocketAddress };
  readonly cluster: ClusterConfig;
  readonly routing: RoutingConfig;
  readonly auth: AuthConfig;
  /** dbms.transaction.timeout; null = no timeout. */
  readonly transactionTimeoutMs: number | null;
  readonly bookmarkReadyTimeoutMs: number;
  readonly memory: MemoryConfig;
  /** Settings accepted but without effect here, one sentence each, for the log. */
  readonly warnings: readonly string[];
}
