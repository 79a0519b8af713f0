/**
 * The database as the protocol layers see it: authentication, transactions on the one user
 * database (and `system`, for user-management commands), and routing tables.
 */
import type { BoltAuth, BoltBackend, BoltSession, RoutingTable } from '../bolt/backend.js';
import type { BeginOptions, TransactionHandle } from '../db/api.js';
import type { QuiverMetrics } from '../http/metrics.js';
import { meteredTransaction } from './metered-transaction.js';
import type { WriteForwarder } from './write-forwarder.js';
import type { Database } from '../db/database.js';
import { QuiverError } from '../errors/quiver-error.js';
import { reportedNeo4jVersion } from '../cypher/procedures.js';
import type { AuthService } from './auth-service.js';
import { lagBehindLeader, routingServers, type ClusterView } from './cluster-view.js';
import type { GraphGuardCache } from './graph-guard-cache.js';
import { ServerTransaction, type SharedSession } from './server-transaction.js';

/** The optional parts of a backend: metrics, server-side routing, cluster membership. */
export interface BackendExtras {
  readonly metrics?: QuiverMetrics | null;
  /** Set when server-side routing is on: non-leaders run write transactions on the leader. */
  readonly forwarder?: WriteForwarder | null;
  /** The cluster member, for membership commands; null when standalone. */
  readonly membership?: { removeMember(id: string): boolean } | null;
}

export class DatabaseBackend implements BoltBackend {
  readonly serverAgent = `Neo4j/${reportedNeo4jVersion}`;
  /** What every transaction shares; built once because begin() is on every query's path. */
  private readonly shared: SharedSession;
  private readonly metrics: QuiverMetrics | null;
  private readonly forwarder: WriteForwarder | null;

  constructor(
    readonly db: Database,
    readonly auth: AuthService,
    readonly cluster: ClusterView,
    private readonly databaseName: string,
    /** Fed by the same system records that change `auth.users`. */
    private readonly guards: GraphGuardCache,
    extras: BackendExtras = {},
  ) {
    this.metrics = extras.metrics ?? null;
    this.forwarder = extras.forwarder ?? null;
    const membership = extras.membership ?? null;
    this.shared = {
      users: auth.users, databaseName, securityEvent: auth.securityEvent,
      transactions: () => db.core.transactions,
      servers: () => {
        const members = cluster.members();
        return members.map((m) => ({ id: m.id, address: m.boltAddress, role: m.role,
          healthy: m.healthy, groups: m.groups, lastCommittedIndex: m.committedIndex ?? null,
          lastAppliedIndex: m.appliedIndex ?? null, lagBehindLeader: lagBehindLeader(members, m),
          upstream: m.upstream ?? null }));
      },
      removeMember: (id) => membership?.removeMember(id) ?? false,
    };
  }

  defaultDatabase(): string {
    return this.databaseName;
  }

  writesSettled(): Promise<void> {
    return this.db.core.gate.settled();
  }

  async authenticate(auth: BoltAuth, peer: string):
    Promise<{ user: string; credentialsExpired: boolean }> {
    const outcome = await this.auth.authenticate(auth, peer);
    if (this.forwarder && auth.principal !== undefined && auth.credentials !== undefined) {
      this.forwarder.remember(peer, { principal: auth.principal, credentials: auth.credentials });
    }
    return outcome;
  }

  private checkDatabase(database: string | null): void {
    if (database === null || database === this.databaseName || database === 'system') return;
    throw new QuiverError('DatabaseNotFound',
      `Database does not exist. Database name: '${database}'.`);
  }

  /** Opens a transaction for a user; shared by Bolt and HTTP. */
  async beginFor(user: string, database: string | null, options: BeginOptions,
    peer?: string): Promise<ServerTransaction> {
    this.checkDatabase(database);
    this.checkServesReads(options);
    const tx = await this.db.begin({ ...options, user });
    // The setting is read at each begin: it may be switched while the server runs.
    const authEnabled = this.auth.enabled;
    const guard = authEnabled ? this.guards.guardFor(user) : null;
    return new ServerTransaction(tx, this.shared, { user, authEnabled, peer }, guard);
  }

  async begin(args: { session: BoltSession; database: string | null; options: BeginOptions }):
    Promise<TransactionHandle> {
    const forwarded = this.mustForward(args.options) ? await this.maybeForward(args) : null;
    const tx = forwarded ?? await this.beginFor(args.session.user, args.database, args.options,
      args.session.peer);
    return this.metrics ? meteredTransaction(tx, this.metrics, 'bolt') : tx;
  }

  /**
   * A read without bookmarks on a member that has not caught up since it restarted could see a
   * graph older than one the client already read elsewhere: it is refused with a transient
   * error, so drivers retry it on another member. A read with bookmarks waits for them instead,
   * and a write goes through the log.
   */
  private checkServesReads(options: BeginOptions): void {
    if (options.mode !== 'READ' || (options.bookmarks?.length ?? 0) > 0) return;
    if (this.cluster.servesReads()) return;
    throw new QuiverError('DatabaseUnavailable', 'This member restarted and has not yet ' +
      'applied what the cluster committed; it serves reads once it has. Retry on another ' +
      'member, or pass bookmarks to wait here.');
  }

  /** Checked before anything async, so the common local begin takes no extra turn. */
  private mustForward(options: BeginOptions): boolean {
    return this.forwarder !== null && options.mode !== 'READ' &&
      !this.db.core.replicator.canWrite();
  }

  /** A write transaction on a non-leader goes to the leader when server-side routing is on. */
  private async maybeForward(args: { session: BoltSession; database: string | null;
    options: BeginOptions }): Promise<TransactionHandle | null> {
    if (!this.forwarder) return null;
    const leader = this.cluster.members().find((m) => m.role === 'LEADER');
    if (!leader || leader.id === this.cluster.selfId ||
      !this.forwarder.canForward(args.session.peer)) {
      return null;
    }
    this.checkDatabase(args.database);
    return this.forwarder.begin({ leaderBolt: leader.boltAddress, peer: args.session.peer,
      database: args.database ?? this.databaseName, bookmarks: args.options.bookmarks ?? [] });
  }

  route(args: { database: string | null }): Promise<RoutingTable> {
    this.checkDatabase(args.database);
    const s = routingServers(this.cluster);
    return Promise.resolve({
      ttlSeconds: this.cluster.routingTtlSeconds(),
      db: args.database ?? this.databaseName,
      servers: [
        { role: 'WRITE', addresses: s.writers },
        { role: 'READ', addresses: s.readers },
        { role: 'ROUTE', addresses: s.routers },
      ],
    });
  }
}
