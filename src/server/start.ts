/**
 * Starts a server from its configuration: the database (recovered from disk), users, the Bolt
 * and HTTP listeners, and, for cluster members, the cluster runtime. Returns a handle whose
 * stop() closes everything in the reverse order.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startBackupServer, type BackupServerOptions } from '../admin/backup-server.js';
import { UserStore } from '../auth/user-store.js';
import { startBoltServer } from '../bolt/server.js';
import type { QuiverConfig } from '../config/quiver-config.js';
import type { Logger } from '../config/logger.js';
import { CoreMember, type CoreSettings } from '../cluster/cluster-member.js';
import { Database, type DatabaseOptions, type SystemState } from '../db/database.js';
import { registerClusterGauges } from '../http/cluster-endpoints.js';
import { databaseHttpBackend } from '../http/database-http-backend.js';
import { QuiverMetrics } from '../http/metrics.js';
import { startHttpServer, type RunningHttpServer } from '../http/http-server.js';
import { AuthService, DEFAULT_AUTH_LIMITS } from './auth-service.js';
import { startServerSecurity, type ServerSecurity } from '../security/server-security.js';
import { memberProgress, StandaloneView, type ClusterView } from './cluster-view.js';
import { DatabaseBackend } from './database-backend.js';
import { GraphGuardCache } from './graph-guard-cache.js';
import { registerServerProcedures } from './server-procedures.js';
import { WriteForwarder } from './write-forwarder.js';
import { parseUpstreamStrategy } from '../cluster/upstream-choice.js';

export interface RunningServer {
  readonly boltPort: number;
  readonly httpPort: number | null;
  readonly httpsPort: number | null;
  readonly backend: DatabaseBackend;
  stop(): Promise<void>;
}

/** quiver-admin set-initial-password writes this file; it is read once, at first start. */
export function initialPasswordFile(config: QuiverConfig): string {
  return join(config.directories.data, 'dbms', 'initial-password');
}

interface InitialPassword {
  readonly password: string;
  readonly changeRequired: boolean;
}

/** quiver-admin writes `{"user":"neo4j","password":…,"requirePasswordChange":…}`. */
function parseInitialPasswordFile(text: string): InitialPassword | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { password, requirePasswordChange } = parsed as Record<string, unknown>;
  if (typeof password !== 'string' || password.length === 0) return null;
  return { password, changeRequired: requirePasswordChange === true };
}

async function initialPassword(config: QuiverConfig): Promise<InitialPassword> {
  try {
    const fromFile = parseInitialPasswordFile(await readFile(initialPasswordFile(config), 'utf8'));
    if (fromFile !== null) return fromFile;
  } catch {
    // No file: the documented default applies.
  }
  if (config.auth.initialPassword) return { password: config.auth.initialPassword, changeRequired: false };
  return { password: 'neo4j', changeRequired: true };
}

function address(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** What a start has opened so far, closed newest first by stop() or by a failed start. */
class Opened {
  private readonly closers: (() => Promise<void> | void)[] = [];

  add(close: () => Promise<void> | void): void {
    this.closers.push(close);
  }

  async closeAll(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) await close();
  }
}

interface DataSide {
  readonly db: Database;
  readonly view: ClusterView;
  readonly member: CoreMember | null;
  readonly users: UserStore;
  readonly guards: GraphGuardCache;
  readonly system: SystemState;
  readonly dataDir: string;
}

/**
 * A start that fails part way (a port taken, a damaged store) closes what it had opened: a
 * cluster member left running would go on voting and replicating in a process that is exiting.
 */
export async function startServer(config: QuiverConfig, logger: Logger): Promise<RunningServer> {
  const opened = new Opened();
  try {
    const security = startServerSecurity(config, logger);
    opened.add(() => security.close());
    const data = await openData(config, logger, security, opened);
    return await startListeners(config, logger, security, data, opened);
  } catch (error) {
    await opened.closeAll().catch(() => undefined);
    throw error;
  }
}

/** The database, recovered from disk; for cluster members, the cluster runtime around it. */
async function openData(config: QuiverConfig, logger: Logger, security: ServerSecurity,
  opened: Opened): Promise<DataSide> {
  const dbName = config.defaultDatabase;
  const dataDir = join(config.directories.data, 'databases', dbName);
  await mkdir(dataDir, { recursive: true });
  await mkdir(config.directories.import, { recursive: true });
  const users = new UserStore(await initialPassword(config));
  const guards = new GraphGuardCache(users, dbName);
  const system: SystemState = { apply: (r) => users.apply(r), snapshot: () => users.snapshot(),
    restore: (r) => users.restore(r) };
  const options: DatabaseOptions = { name: dbName, importDir: config.directories.import,
    bookmarkReadyTimeoutMs: config.bookmarkReadyTimeoutMs, logger: (line) => logger.warn(line),
    system, transactionTimeoutMs: config.transactionTimeoutMs,
    transactionBytesMax: config.memory.transactionBytesMax,
    transactionTotalBytesMax: config.memory.transactionTotalBytesMax };
  const { bolt, http } = advertisedAddresses(config);
  if (config.mode !== 'CORE' && config.mode !== 'READ_REPLICA') {
    const db = await Database.open(dataDir, options);
    opened.add(() => db.close());
    const view = new StandaloneView(db.storeId, bolt, http, () => db.core.machine.appliedIndex);
    return { db, view, member: null, users, guards, system, dataDir };
  }
  const member = new CoreMember({ ...coreSettings(config, dataDir, bolt, http),
    channel: security.cluster }, system,
  { info: (l) => logger.info(l), warn: (l) => logger.warn(l) });
  let attached: Database | null = null;
  opened.add(async () => { await member.stop(); await attached?.close(); });
  await member.start((machine, storeId) =>
    (attached = Database.forMember(machine, { ...options, storeId })));
  return { db: attached!, view: member, member, users, guards, system, dataDir };
}

function advertisedAddresses(config: QuiverConfig): { bolt: string; http: string } {
  return { bolt: address(config.bolt.advertised.host, config.bolt.advertised.port),
    http: address(config.http.advertised.host, config.http.advertised.port) };
}

/** Bolt, HTTP(S) and the backup listener over the database. */
async function startListeners(config: QuiverConfig, logger: Logger, security: ServerSecurity,
  data: DataSide, opened: Opened): Promise<RunningServer> {
  const { db, view, member } = data;
  registerServerProcedures(db.procedures, view, config.defaultDatabase);
  const auth = new AuthService(data.users, { ...DEFAULT_AUTH_LIMITS,
    enabled: config.auth.enabled, ...security.authLimits }, security.event);
  const metrics = new QuiverMetrics();
  registerClusterGauges(metrics.registry, () => memberProgress(view));
  const forwarder = config.routing.serverSideEnabled && member ? new WriteForwarder() : null;
  opened.add(() => forwarder?.close());
  const backend = new DatabaseBackend(db, auth, view, config.defaultDatabase, data.guards,
    { metrics, forwarder, membership: member });
  const bolt = await startBoltServer({ host: config.bolt.listen.host,
    port: config.bolt.listen.port, backend, logger, ...security.bolt });
  opened.add(() => bolt.close());
  const gauges = setInterval(() => metrics.connections.set({ protocol: 'bolt' },
    bolt.connectionCount()), 1000).unref();
  opened.add(() => clearInterval(gauges));
  logger.info(`Bolt enabled on ${address(config.bolt.listen.host, bolt.port)}.`);
  const { http, https } = await startHttp(config, logger, security, backend, metrics, opened);
  const backup = await startBackup(config, { database: db, system: data.system,
    dataDir: data.dataDir, channel: security.backup, secret: config.security.clusterSecret },
  logger);
  opened.add(() => backup?.close());
  return { boltPort: bolt.port, httpPort: http?.port ?? null, httpsPort: https?.port ?? null,
    backend, stop: () => opened.closeAll() };
}

async function startHttp(config: QuiverConfig, logger: Logger, security: ServerSecurity,
  backend: DatabaseBackend, metrics: QuiverMetrics, opened: Opened):
  Promise<{ http: RunningHttpServer | null; https: RunningHttpServer | null }> {
  const advertised = advertisedAddresses(config);
  const httpCommon = { metrics, logger,
    backend: databaseHttpBackend(backend, { boltAddress: advertised.bolt }),
    auth: { enabled: config.auth.enabled,
      clusterStatusAuthEnabled: config.auth.clusterStatusAuthEnabled } };
  const http = config.http.enabled ? await startHttpServer({ ...httpCommon,
    host: config.http.listen.host, port: config.http.listen.port }) : null;
  opened.add(() => http?.close());
  const https = security.https === null ? null : await startHttpServer({ ...httpCommon,
    host: config.https.listen.host, port: config.https.listen.port, tls: security.https });
  opened.add(() => https?.close());
  if (http) {
    logger.info(`HTTP enabled on ${address(config.http.listen.host, http.port)}.`);
    logger.info(`Remote interface available at http://${advertised.http}/`);
  }
  return { http, https };
}

/** The online backup listener; a port already taken is logged, not fatal. */
async function startBackup(config: QuiverConfig,
  served: Pick<BackupServerOptions, 'database' | 'system' | 'dataDir' | 'channel' | 'secret'>,
  logger: Logger): Promise<{ close(): Promise<void> } | null> {
  if (!config.backup.enabled) return null;
  const { host, port } = config.backup.listen;
  try {
    // The backup server logs where it listens itself.
    return await startBackupServer({ host, port, ...served,
      logger: { info: (l) => logger.info(l), warn: (l) => logger.warn(l) } });
  } catch (e) {
    logger.warn(`Online backup is not available: cannot listen on ${address(host, port)} ` +
      `(${e instanceof Error ? e.message : String(e)}).`);
    return null;
  }
}

function coreSettings(config: QuiverConfig, dataDir: string, bolt: string, http: string): CoreSettings {
  const c = config.cluster;
  return {
    mode: config.mode === 'READ_REPLICA' ? 'READ_REPLICA' : 'CORE',
    dataDir, discoveryListen: c.discovery.listen, raftListen: c.raft.listen,
    advertised: { discovery: address(c.discovery.advertised.host, c.discovery.advertised.port),
      raft: address(c.raft.advertised.host, c.raft.advertised.port), bolt, http,
      catchup: address(c.transaction.advertised.host, c.transaction.advertised.port) },
    catchupListen: c.transaction.listen, txPushFactor: c.txPushFactor,
    upstreamStrategies: c.upstreamStrategies.flatMap((name) => parseUpstreamStrategy(name) ?? []),
    seeds: c.initialMembers.map((m) => address(m.host, m.port)),
    formationCoreCountMin: c.formationCoreCountMin, electionTimeoutMsMin: c.electionTimeoutMsMin,
    heartbeatIntervalMs: c.heartbeatIntervalMs, replicationTimeoutMs: c.replicationTimeoutMs,
    snapshotThresholdEntries: c.snapshotThresholdEntries, preVote: c.preVoteEnabled,
    refuseToBeLeader: c.refuseToBeLeader, readsOnLeader: config.routing.readsOnLeaderEnabled,
    routingTtlSeconds: Math.round(config.routing.ttlMs / 1000), groups: c.serverGroups,
    clusterSecret: config.security.clusterSecret, pullIntervalMs: c.pullIntervalMs,
    arbiter: c.arbiter === true, runtimeCoreCountMin: c.runtimeCoreCountMin,
  };
}
