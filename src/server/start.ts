/**
 * Starts a server from its configuration: the database (recovered from disk), users, the Bolt
 * and HTTP listeners, and, for cluster members, the cluster runtime. Returns a handle whose
 * stop() closes everything in the reverse order.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserStore } from '../auth/user-store.js';
import { startBoltServer } from '../bolt/server.js';
import type { QuiverConfig } from '../config/quiver-config.js';
import type { Logger } from '../config/logger.js';
import { Database } from '../db/database.js';
import { AuthService, DEFAULT_AUTH_LIMITS } from './auth-service.js';
import { StandaloneView, type ClusterView } from './cluster-view.js';
import { DatabaseBackend } from './database-backend.js';
import { registerServerProcedures } from './server-procedures.js';

export interface RunningServer {
  readonly boltPort: number;
  readonly backend: DatabaseBackend;
  stop(): Promise<void>;
}

/** quiver-admin set-initial-password writes this file; it is read once, at first start. */
export function initialPasswordFile(config: QuiverConfig): string {
  return join(config.directories.data, 'dbms', 'initial-password');
}

async function initialPassword(config: QuiverConfig): Promise<{ password: string; changeRequired: boolean }> {
  try {
    const password = (await readFile(initialPasswordFile(config), 'utf8')).trim();
    if (password.length > 0) return { password, changeRequired: false };
  } catch {
    // No file: the documented default applies.
  }
  if (config.auth.initialPassword) return { password: config.auth.initialPassword, changeRequired: false };
  return { password: 'neo4j', changeRequired: true };
}

function address(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export async function startServer(config: QuiverConfig, logger: Logger): Promise<RunningServer> {
  const dbName = config.defaultDatabase;
  const dataDir = join(config.directories.data, 'databases', dbName);
  await mkdir(dataDir, { recursive: true });
  await mkdir(config.directories.import, { recursive: true });
  const users = new UserStore(await initialPassword(config));
  const db = await Database.open(dataDir, {
    name: dbName, importDir: config.directories.import,
    bookmarkReadyTimeoutMs: config.bookmarkReadyTimeoutMs,
    logger: (line) => logger.warn(line),
    system: { apply: (r) => users.apply(r), snapshot: () => users.snapshot(),
      restore: (r) => users.restore(r) },
  });
  const boltAdvertised = address(config.bolt.advertised.host, config.bolt.advertised.port);
  const httpAdvertised = address(config.http.advertised.host, config.http.advertised.port);
  const view: ClusterView = new StandaloneView(db.storeId, boltAdvertised, httpAdvertised,
    () => db.core.machine.appliedIndex);
  registerServerProcedures(db.procedures, view, dbName);
  const auth = new AuthService(users, { ...DEFAULT_AUTH_LIMITS, enabled: config.auth.enabled },
    (line) => logger.info({ component: 'security' }, line));
  const backend = new DatabaseBackend(db, auth, view, dbName);
  const bolt = await startBoltServer({ host: config.bolt.listen.host, port: config.bolt.listen.port,
    backend, logger });
  logger.info(`Bolt enabled on ${address(config.bolt.listen.host, bolt.port)}.`);
  return {
    boltPort: bolt.port,
    backend,
    stop: async () => {
      await bolt.close();
      await db.close();
    },
  };
}
