/**
 * A fresh server with Neo4j's default neo4j/neo4j: nothing but the password change is allowed
 * until the user picks a new password; afterwards only the new one works, also after a restart
 * (which also keeps the data).
 */
import neo4j, { type AuthToken, type Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQuiverServer, type QuiverServer } from '../helpers/quiver-process.js';

const NEW_PASSWORD = 'correct horse battery staple';
const expired = { code: 'Neo.ClientError.Security.CredentialsExpired' };
const unauthorized = { code: 'Neo.ClientError.Security.Unauthorized' };

let server: QuiverServer;
beforeAll(async () => {
  server = await startQuiverServer({ password: null });
});
afterAll(async () => {
  await server?.stop();
});

async function withDriver<T>(auth: AuthToken, work: (driver: Driver) => Promise<T>): Promise<T> {
  const driver = neo4j.driver(server.boltUrl, auth);
  try {
    return await work(driver);
  } finally {
    await driver.close();
  }
}

const defaultAuth = neo4j.auth.basic('neo4j', 'neo4j');
const newAuth = neo4j.auth.basic('neo4j', NEW_PASSWORD);

describe('the forced password change', () => {
  it('answers every query with CredentialsExpired while the default password is in use',
    async () => {
      await withDriver(defaultAuth, async (driver) => {
        await expect(driver.executeQuery('RETURN 1')).rejects.toMatchObject(expired);
        await expect(driver.executeQuery('CREATE (:Sneaky)')).rejects.toMatchObject(expired);
        await expect(driver.executeQuery('SHOW DATABASES', {}, { database: 'system' }))
          .rejects.toMatchObject(expired);
      });
    });

  it('accepts ALTER CURRENT USER, after which the new password works', async () => {
    await withDriver(defaultAuth, (driver) => driver.executeQuery(
      'ALTER CURRENT USER SET PASSWORD FROM $old TO $new', { old: 'neo4j', new: NEW_PASSWORD },
      { database: 'system' }));
    await withDriver(newAuth, async (driver) => {
      const { records } = await driver.executeQuery('MATCH (s:Sneaky) RETURN count(s) AS n');
      // The write attempted with expired credentials left nothing behind.
      expect(records[0]?.get('n')).toEqual(neo4j.int(0));
    });
  });

  it('refuses the old password with Unauthorized', async () => {
    await withDriver(defaultAuth, async (driver) => {
      await expect(driver.verifyConnectivity()).rejects.toMatchObject(unauthorized);
    });
  });

  it('keeps the new password and every acknowledged write across a restart', async () => {
    await withDriver(newAuth, (driver) =>
      driver.executeQuery('UNWIND range(1, 50) AS i CREATE (:Durable {i: i})'));
    await server.restart();
    await withDriver(newAuth, async (driver) => {
      const { records } = await driver.executeQuery('MATCH (d:Durable) RETURN sum(d.i) AS total');
      expect(records[0]?.get('total')).toEqual(neo4j.int(1275));
    });
    await withDriver(defaultAuth, async (driver) => {
      await expect(driver.verifyConnectivity()).rejects.toMatchObject(unauthorized);
    });
  });
});
