/**
 * The security settings as an operator writes them in quiver.conf, and the per-client limits
 * they switch on at the Bolt port (maximum connections, idle timeout).
 */
import fs from 'node:fs';
import { connect, type Socket } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBoltServer, type BoltServer } from '../../src/bolt/server.js';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/load-config.js';
import { FakeBackend } from '../bolt/fake-backend.js';
import { temporaryDir } from './fixtures.js';

const homes: string[] = [];
const servers: BoltServer[] = [];

afterEach(async () => {
  for (const home of homes.splice(0)) fs.rmSync(home, { recursive: true, force: true });
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function load(lines: string[]) {
  const home = temporaryDir('security-settings');
  homes.push(home);
  fs.mkdirSync(path.join(home, 'conf'));
  fs.writeFileSync(path.join(home, 'conf', 'quiver.conf'), lines.join('\n'));
  return { home, config: loadConfig({ home, env: {}, cwd: home }) };
}

describe('security settings', () => {
  it('default to no TLS, no secret, Neo4j lockout values and policies under certificates/', () => {
    const { home, config } = load([]);
    expect(config.security.boltTlsLevel).toBe('DISABLED');
    expect(config.security.clusterSecret).toBeNull();
    expect(config.security.authFailedAttemptsMax).toBe(3);
    expect(config.security.authLockTimeMs).toBe(5000);
    expect(config.https).toMatchObject({ enabled: false, listen: { port: 7473 } });
    expect(config.security.ssl.bolt).toMatchObject({ enabled: false, clientAuth: 'NONE',
      privateKey: path.join(home, 'certificates', 'bolt', 'private.key') });
    expect(config.security.ssl.cluster.clientAuth).toBe('REQUIRE');
  });

  it('read every field of a policy, with paths relative to its base directory', () => {
    const { home, config } = load([
      'dbms.ssl.policy.cluster.enabled=true', 'dbms.ssl.policy.cluster.base_directory=tls/c',
      'dbms.ssl.policy.cluster.private_key=k.pem', 'dbms.ssl.policy.cluster.client_auth=optional',
      'dbms.ssl.policy.cluster.tls_versions=TLSv1.3', 'dbms.ssl.policy.cluster.ciphers=',
      'dbms.connector.bolt.tls_level=OPTIONAL', 'dbms.cluster.secret=sixteen-chars-long!',
      'dbms.security.auth_max_failed_attempts=0', 'dbms.security.auth_lock_time=30s',
      'server.bolt.thread_pool_max_size=50', 'server.bolt.connection_idle_timeout=10m',
    ]);
    expect(config.security.ssl.cluster).toMatchObject({ enabled: true,
      privateKey: path.join(home, 'tls', 'c', 'k.pem'), clientAuth: 'OPTIONAL',
      tlsVersions: ['TLSv1.3'], ciphers: null,
      trustedDir: path.join(home, 'tls', 'c', 'trusted') });
    expect(config.security).toMatchObject({ boltTlsLevel: 'OPTIONAL',
      clusterSecret: 'sixteen-chars-long!', authFailedAttemptsMax: 0, authLockTimeMs: 30_000,
      boltConnectionsMax: 50, boltIdleTimeoutMs: 600_000 });
  });

  it('stop the start on a bad value, naming the setting', () => {
    for (const [line, key] of [['dbms.cluster.secret=short', 'dbms.cluster.secret'],
      ['dbms.ssl.policy.bolt.tls_versions=SSLv3', 'dbms.ssl.policy.bolt.tls_versions'],
      ['dbms.connector.bolt.tls_level=SOMETIMES', 'dbms.connector.bolt.tls_level']] as const) {
      let thrown: unknown = null;
      try {
        load([line]);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect((thrown as ConfigError).message).toContain(key);
    }
  });
});

async function bolt(options: { idleTimeoutMs?: number; connectionsMax?: number },
  events: string[] = []): Promise<BoltServer> {
  const server = await startBoltServer({ host: '127.0.0.1', port: 0, backend: new FakeBackend(),
    idleTimeoutMs: options.idleTimeoutMs ?? null, onSecurityEvent: (l) => events.push(l),
    ...(options.connectionsMax === undefined ? {}
      : { limits: { connectionsMax: options.connectionsMax } }) });
  servers.push(server);
  return server;
}

function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.once('close', () => resolve()));
}

describe('per-client limits on the Bolt port', () => {
  it('closes a connection that stays idle past the idle timeout', async () => {
    const server = await bolt({ idleTimeoutMs: 30 });
    const socket = connect({ host: '127.0.0.1', port: server.port });
    socket.on('error', () => undefined);
    await closed(socket);
    expect(socket.destroyed).toBe(true);
  });

  it('refuses connections past the maximum and logs the peer', async () => {
    const events: string[] = [];
    const server = await bolt({ connectionsMax: 1 }, events);
    const first = connect({ host: '127.0.0.1', port: server.port });
    await new Promise((resolve) => first.once('connect', resolve));
    // Bolt counts a connection once it has sent the preamble and a version proposal.
    first.write(Buffer.from([0x60, 0x60, 0xb0, 0x17, 0, 0, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0]));
    await new Promise((resolve) => first.once('data', resolve));
    const second = connect({ host: '127.0.0.1', port: server.port });
    second.on('error', () => undefined);
    await closed(second);
    expect(events.some((e) => /refused: peer=127\.0\.0\.1:\d+ reason=connectionsMax/.test(e)))
      .toBe(true);
    first.destroy();
  });
});
