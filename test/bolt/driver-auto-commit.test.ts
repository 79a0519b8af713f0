/**
 * Concurrent auto-commit read-modify-write statements through the official driver, against a
 * real server process: the server reruns the ones that lose a write conflict, so none fails and
 * no increment is lost (docs/decisions/0019-auto-commit-retry.md).
 */
import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQuiverServer, type QuiverServer } from '../helpers/quiver-process.js';

const SESSIONS = 16;
const INCREMENTS_PER_SESSION = 50;

let server: QuiverServer;
let driver: Driver;
beforeAll(async () => {
  server = await startQuiverServer();
  driver = neo4j.driver(server.boltUrl, neo4j.auth.basic('neo4j', server.password),
    { maxConnectionPoolSize: SESSIONS });
}, 60_000);
afterAll(async () => {
  await driver?.close();
  await server?.stop();
});

describe('concurrent auto-commit increments of one node', () => {
  it('all succeed and none is lost', async () => {
    const setup = driver.session();
    await setup.run('CREATE (:Counter {id: 1, n: 0})');
    await setup.close();
    await Promise.all(Array.from({ length: SESSIONS }, async () => {
      const session = driver.session();
      try {
        for (let i = 0; i < INCREMENTS_PER_SESSION; i++) {
          await session.run('MATCH (a:Counter {id: 1}) SET a.n = a.n + 1');
        }
      } finally {
        await session.close();
      }
    }));
    const check = driver.session();
    const result = await check.run('MATCH (a:Counter {id: 1}) RETURN a.n AS n');
    await check.close();
    expect(result.records[0]?.get('n').toNumber()).toBe(SESSIONS * INCREMENTS_PER_SESSION);
  }, 120_000);
});
