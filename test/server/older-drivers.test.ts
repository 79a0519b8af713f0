/**
 * Applications still on older official drivers: 5.x (Bolt 5.x), 4.4 (Bolt 4.4) and 1.7 (Bolt 3,
 * `bolt+routing://`) connect, write, read with bookmarks and get Neo4j's error codes.
 */
import neo4j5 from 'neo4j-driver-5';
import neo4j4 from 'neo4j-driver-4';
import { v1 } from 'neo4j-driver-1';
import { describe, expect, it } from 'vitest';
import { useQuiverServer } from '../helpers/server-fixture.js';

const fixture = useQuiverServer();

describe('neo4j-driver 5', () => {
  it('negotiates Bolt 5.x, writes and reads with a bookmark', async () => {
    const { server } = fixture();
    const driver = neo4j5.driver(server.boltUrl, neo4j5.auth.basic('neo4j', server.password));
    try {
      const info = await driver.getServerInfo();
      expect(info.agent).toBe('Neo4j/5.26.0');
      expect(Math.floor(Number(info.protocolVersion))).toBe(5);
      // executeQuery passes each write's bookmark on to the next query (its bookmark manager).
      await driver.executeQuery('CREATE (:Five {v: $v})', { v: neo4j5.int(5) });
      const { records } = await driver.executeQuery('MATCH (f:Five) RETURN f.v AS v', {},
        { routing: neo4j5.routing.READ });
      expect(records[0]?.get('v')).toEqual(neo4j5.int(5));
    } finally {
      await driver.close();
    }
  });

  it('round-trips a zoned DateTime', async () => {
    const { server } = fixture();
    const driver = neo4j5.driver(server.boltUrl, neo4j5.auth.basic('neo4j', server.password));
    try {
      const value = new neo4j5.types.DateTime(2020, 6, 24, 14, 0, 0, 0, 7200, 'Europe/Paris');
      const { records } = await driver.executeQuery('RETURN $x AS x', { x: value });
      expect(String(records[0]?.get('x'))).toBe('2020-06-24T14:00:00+02:00[Europe/Paris]');
    } finally {
      await driver.close();
    }
  });
});

describe('neo4j-driver 4.4', () => {
  it('negotiates Bolt 4.4, routes with neo4j:// and chains a read to a write', async () => {
    const { server } = fixture();
    const driver = neo4j4.driver(`neo4j://127.0.0.1:${server.boltPort}`,
      neo4j4.auth.basic('neo4j', server.password));
    try {
      expect((await driver.verifyConnectivity()).version).toBe('Neo4j/5.26.0');
      const writer = driver.session({ defaultAccessMode: neo4j4.session.WRITE });
      await writer.writeTransaction((tx) => tx.run('CREATE (:Four {v: 4})'));
      const bookmark = writer.lastBookmark();
      await writer.close();
      const reader = driver.session({ defaultAccessMode: neo4j4.session.READ,
        bookmarks: bookmark });
      const result = await reader.readTransaction((tx) =>
        tx.run('MATCH (f:Four) RETURN f.v AS v'));
      await reader.close();
      expect(result.records.map((r) => r.get('v').toNumber())).toEqual([4]);
      expect(result.summary.server.protocolVersion).toBe(4.4);
    } finally {
      await driver.close();
    }
  });

  it('reports a syntax error with its code', async () => {
    const { server } = fixture();
    const driver = neo4j4.driver(server.boltUrl, neo4j4.auth.basic('neo4j', server.password));
    const session = driver.session();
    try {
      await expect(session.run('RETURN 1 +')).rejects.toMatchObject({
        code: 'Neo.ClientError.Statement.SyntaxError' });
      const again = await session.run('RETURN 1 AS n');
      expect(again.records[0]?.get('n').toNumber()).toBe(1);
    } finally {
      await session.close();
      await driver.close();
    }
  });
});

describe('neo4j-driver 1.7', () => {
  it('speaks Bolt 3 through bolt+routing:// and keeps a bookmark', async () => {
    const { server } = fixture();
    const driver = v1.driver(`bolt+routing://127.0.0.1:${server.boltPort}`,
      v1.auth.basic('neo4j', server.password), { encrypted: false });
    const session = driver.session(v1.session.WRITE);
    try {
      const result = await session.writeTransaction((tx) =>
        tx.run('CREATE (o:One {v: 1}) RETURN o.v AS v'));
      expect(result.records[0]?.get('v').toNumber()).toBe(1);
      expect(result.summary.server.version).toBe('Neo4j/5.26.0');
      expect(session.lastBookmark()).toEqual(expect.any(String));
      const read = await session.readTransaction((tx) =>
        tx.run('MATCH (o:One) RETURN count(o) AS n'));
      expect(read.records[0]?.get('n').toNumber()).toBe(1);
    } finally {
      await new Promise<void>((resolve) => session.close(resolve));
      driver.close();
    }
  });
});
