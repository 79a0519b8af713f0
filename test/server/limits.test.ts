/**
 * Per-client limits of issue 11 on a real server process, through the official driver over
 * TCP and over WebSocket (the driver's browser build, as browser tools connect):
 * server.bolt.thread_pool_max_size bounds open connections across both, and
 * server.bolt.connection_idle_timeout closes connections that stay silent.
 */
import { connect, type Socket } from 'node:net';
import neo4j, { type Driver, type Session, type Transaction } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startQuiverServer, type QuiverServer } from '../helpers/quiver-process.js';

type Neo4jModule = typeof neo4j;

/** The driver's browser build talks Bolt over WebSocket; in Node it needs `ws` as WebSocket. */
async function webDriverModule(): Promise<Neo4jModule> {
  (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
  const path = 'neo4j-driver/lib/browser/neo4j-web.esm.js';
  const web = (await import(path)) as { default?: Neo4jModule } & Neo4jModule;
  return web.default ?? web;
}

type Transport = 'tcp' | 'websocket';
let web: Neo4jModule;
const drivers: Driver[] = [];

function driverFor(server: QuiverServer, transport: Transport, poolSize = 2): Driver {
  const module = transport === 'tcp' ? neo4j : web;
  const driver = module.driver(server.boltUrl, module.auth.basic('neo4j', server.password),
    { maxConnectionPoolSize: poolSize, connectionAcquisitionTimeout: 5_000 });
  drivers.push(driver);
  return driver;
}

/** Two sessions, each holding a connection in an open transaction. */
async function holdTwoConnections(driver: Driver) {
  const held: { session: Session; tx: Transaction }[] = [];
  for (let i = 0; i < 2; i++) {
    const session = driver.session();
    const tx = session.beginTransaction();
    await tx.run('RETURN 1');
    held.push({ session, tx });
  }
  return async () => {
    for (const { session, tx } of held) {
      await tx.rollback();
      await session.close();
    }
    await driver.close();
  };
}

async function returnsOne(driver: Driver): Promise<number> {
  const session = driver.session();
  try {
    const result = await session.run('RETURN 1 AS n');
    return (result.records[0]?.get('n') as { toNumber(): number }).toNumber();
  } finally {
    await session.close();
  }
}

/** A fresh driver's first query, its connection closed again so it holds no slot. */
async function freshReturnsOne(server: QuiverServer, transport: Transport): Promise<number> {
  const driver = driverFor(server, transport, 1);
  try {
    return await returnsOne(driver);
  } finally {
    await driver.close();
  }
}

async function refused(server: QuiverServer, transport: Transport): Promise<void> {
  const driver = driverFor(server, transport, 1);
  await expect(driver.verifyConnectivity()).rejects.toThrow();
  await driver.close();
}

let limited: QuiverServer;
let idle: QuiverServer;
beforeAll(async () => {
  web = await webDriverModule();
  [limited, idle] = await Promise.all([
    startQuiverServer({ conf: { 'server.bolt.thread_pool_max_size': '2' } }),
    startQuiverServer({ conf: { 'server.bolt.connection_idle_timeout': '1s' } }),
  ]);
}, 60_000);
afterAll(async () => {
  for (const driver of drivers) await driver.close();
  await limited?.stop();
  await idle?.stop();
});

describe('server.bolt.thread_pool_max_size', () => {
  for (const [holder, other] of [['tcp', 'websocket'], ['websocket', 'tcp']] as const) {
    it(`refuses a third connection over ${holder} and ${other} while two ${holder} ` +
      'connections are open, and serves again once they close', async () => {
      const release = await holdTwoConnections(driverFor(limited, holder));
      await refused(limited, holder);
      await refused(limited, other);
      await release();
      // The server counts a connection down when it sees the close, a moment after the client.
      await vi.waitFor(async () => expect(await freshReturnsOne(limited, other)).toBe(1),
        { timeout: 10_000, interval: 100 });
      await vi.waitFor(async () => expect(await freshReturnsOne(limited, holder)).toBe(1),
        { timeout: 10_000, interval: 100 });
    }, 60_000);
  }
});

/** A TCP connection that never says anything. */
function silentSocket(server: QuiverServer): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: server.boltPort }, () => resolve(socket));
    socket.on('error', reject);
  });
}

describe('server.bolt.thread_pool_max_size against silent sockets', () => {
  it('counts connections that never sent a handshake', async () => {
    const silent = [await silentSocket(limited), await silentSocket(limited)];
    await refused(limited, 'tcp');
    for (const socket of silent) socket.destroy();
    await vi.waitFor(async () => expect(await freshReturnsOne(limited, 'tcp')).toBe(1),
      { timeout: 10_000, interval: 100 });
  }, 30_000);
});

/** Resolves when the server closes a connection that sent only a handshake; ms it took. */
function silentConnectionLifetimeMs(server: QuiverServer): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect({ host: '127.0.0.1', port: server.boltPort }, () => {
      socket.write(Buffer.from([0x60, 0x60, 0xb0, 0x17, 0, 0, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0]));
    });
    socket.on('error', reject);
    socket.on('data', () => undefined);
    socket.once('close', () => resolve(performance.now() - started));
  });
}

describe('server.bolt.connection_idle_timeout', () => {
  for (const transport of ['tcp', 'websocket'] as const) {
    it(`closes an idle ${transport} connection, open transaction and all`, async () => {
      const driver = driverFor(idle, transport, 1);
      const session = driver.session();
      const tx = session.beginTransaction();
      await tx.run('RETURN 1');
      // The transaction's connection is silent from here on, and went silent before this probe
      // started: once the probe is closed for idleness, so is the transaction's connection.
      const lifetimeMs = await silentConnectionLifetimeMs(idle);
      expect(lifetimeMs).toBeGreaterThan(900);
      await expect(tx.commit()).rejects.toThrow();
      await session.close();
      // A new connection serves as usual.
      const { records } = await driver.executeQuery('RETURN 1 AS n');
      expect((records[0]?.get('n') as { toNumber(): number }).toNumber()).toBe(1);
    }, 30_000);
  }

  it('keeps a connection that is busy for longer than the timeout', async () => {
    const driver = driverFor(idle, 'tcp', 1);
    const session = driver.session();
    const tx = session.beginTransaction();
    const started = performance.now();
    // Round trips keep it alive; the transaction spans more than the timeout.
    while (performance.now() - started < 1_500) await tx.run('RETURN 1');
    await tx.commit();
    await session.close();
  }, 30_000);
});
