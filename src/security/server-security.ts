/**
 * What the server needs from the security settings, built once at start: the security log
 * (logs/security.log), TLS contexts for the Bolt, HTTPS, cluster and backup policies (watched
 * for new certificates, and reloaded on SIGHUP), the channels members connect through, the
 * login limits and the Bolt connection limits.
 */
import { join } from 'node:path';
import type { BoltServerOptions, BoltTls } from '../bolt/server.js';
import { createLogger, type Logger, type OwnedLogger } from '../config/logger.js';
import type { QuiverConfig, SslScope } from '../config/quiver-config.js';
import type { HttpTls } from '../http/http-server.js';
import type { AuthLimits } from '../server/auth-service.js';
import { mutualTlsChannel, plainChannel, type MemberChannel } from './member-channel.js';
import { ReloadableTlsContext } from './tls-context.js';

export interface ServerSecurity {
  /** One line per login, failure, lockout and refused connection. */
  readonly event: (line: string) => void;
  readonly authLimits: Omit<AuthLimits, 'enabled' | 'failureDelayMs'>;
  /** Spread into startBoltServer's options. */
  readonly bolt: Pick<BoltServerOptions, 'tls' | 'idleTimeoutMs' | 'onSecurityEvent'> & {
    readonly limits: { connectionsMax?: number };
  };
  /** Present when dbms.connector.https.enabled and the https policy are on. */
  readonly https: HttpTls | null;
  /** Raft and discovery: mutual TLS when dbms.ssl.policy.cluster.enabled, else TCP. */
  readonly cluster: MemberChannel;
  /** The backup port: TLS when dbms.ssl.policy.backup.enabled, else TCP. */
  readonly backup: MemberChannel;
  close(): void;
}

export function securityLogFile(config: QuiverConfig): string {
  return join(config.directories.logs, 'security.log');
}

function boltTls(config: QuiverConfig, context: ReloadableTlsContext | null): BoltTls | null {
  const level = config.security.boltTlsLevel;
  if (level === 'DISABLED') return null;
  if (context === null) {
    throw new Error(`dbms.connector.bolt.tls_level=${level} needs ` +
      'dbms.ssl.policy.bolt.enabled=true');
  }
  return { level, context: () => context.current(), clientAuth: context.policy.clientAuth };
}

function httpsTls(context: ReloadableTlsContext | null): HttpTls {
  if (context === null) {
    throw new Error('dbms.connector.https.enabled=true needs dbms.ssl.policy.https.enabled=true');
  }
  return { options: context.currentOptions(), clientAuth: context.policy.clientAuth,
    onReload: (apply) => context.onReload(apply) };
}

/**
 * Throws (before any port is opened) when TLS is asked for without a policy or a policy's
 * files cannot be read, so a misconfigured server does not start in plaintext.
 */
export function startServerSecurity(config: QuiverConfig, logger: Logger,
  options: { readonly securityLog?: OwnedLogger } = {}): ServerSecurity {
  const owned = options.securityLog ?? createLogger({ logFile: securityLogFile(config),
    stdout: false });
  const event = (line: string): void => owned.logger.info(line);
  const contexts = new Map<SslScope, ReloadableTlsContext>();
  const tlsLog = { info: (l: string) => logger.info(l), warn: (l: string) => logger.warn(l) };
  for (const scope of ['bolt', 'https', 'cluster', 'backup'] as const) {
    const policy = config.security.ssl[scope];
    if (!policy.enabled) continue;
    const context = new ReloadableTlsContext(policy, tlsLog);
    context.watch();
    contexts.set(scope, context);
  }
  const reloadAll = (): void => {
    for (const context of contexts.values()) context.reload();
  };
  if (contexts.size > 0) process.on('SIGHUP', reloadAll);
  const s = config.security;
  const bolt = {
    tls: boltTls(config, contexts.get('bolt') ?? null), idleTimeoutMs: s.boltIdleTimeoutMs,
    onSecurityEvent: event,
    limits: s.boltConnectionsMax === null ? {} : { connectionsMax: s.boltConnectionsMax },
  };
  const channel = (scope: 'cluster' | 'backup'): MemberChannel => {
    const context = contexts.get(scope);
    return context ? mutualTlsChannel(context, event) : plainChannel(event);
  };
  return {
    event, bolt, cluster: channel('cluster'), backup: channel('backup'),
    authLimits: { failedAttemptsMax: s.authFailedAttemptsMax, lockTimeMs: s.authLockTimeMs,
      cacheTtlMs: s.authCacheTtlMs, cacheCapacity: s.authCacheCapacity },
    https: config.https.enabled ? httpsTls(contexts.get('https') ?? null) : null,
    close: () => {
      process.off('SIGHUP', reloadAll);
      for (const context of contexts.values()) context.close();
      owned.close();
    },
  };
}
