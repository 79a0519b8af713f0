/**
 * Many clients writing the same node at once: managed transactions that hit a transient
 * conflict are retried by the driver, and no increment is lost or applied twice.
 */
import neo4j, { type Integer } from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { useQuiverServer } from '../helpers/server-fixture.js';

const fixture = useQuiverServer({}, { maxConnectionPoolSize: 32 });
const WRITERS = 20;
const INCREMENTS_PER_WRITER = 10;

describe('concurrent writers', () => {
  it(`counts exactly ${WRITERS * INCREMENTS_PER_WRITER} increments from ${WRITERS} sessions`,
    async () => {
      const { driver } = fixture();
      await driver.executeQuery('CREATE (:Counter {id: 1, n: 0})');
      await Promise.all(Array.from({ length: WRITERS }, async () => {
        const session = driver.session();
        try {
          for (let i = 0; i < INCREMENTS_PER_WRITER; i++) {
            await session.executeWrite((tx) =>
              tx.run('MATCH (c:Counter {id: 1}) SET c.n = c.n + 1'));
          }
        } finally {
          await session.close();
        }
      }));
      const { records } = await driver.executeQuery('MATCH (c:Counter {id: 1}) RETURN c.n AS n');
      expect(records).toHaveLength(1);
      expect((records[0]?.get('n') as Integer).toNumber()).toBe(WRITERS * INCREMENTS_PER_WRITER);
    });

  it('keeps concurrent explicit transactions isolated until they commit', async () => {
    const { driver } = fixture();
    const writer = driver.session();
    const reader = driver.session();
    try {
      const tx = writer.beginTransaction();
      await tx.run('CREATE (:Pending {v: 1})');
      const before = await reader.run('MATCH (p:Pending) RETURN count(p) AS n');
      expect(before.records[0]?.get('n')).toEqual(neo4j.int(0));
      await tx.commit();
      const after = await reader.run('MATCH (p:Pending) RETURN count(p) AS n');
      expect(after.records[0]?.get('n')).toEqual(neo4j.int(1));
    } finally {
      await writer.close();
      await reader.close();
    }
  });
});
