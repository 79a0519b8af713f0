/**
 * The official JavaScript drivers against the Bolt server (on the fake backend until the lead
 * switches these to the real database): 6.x, 5.x, 4.4 and 1.7 cover Bolt 6.1 down to 3.
 */
import neo4j, { type Driver } from 'neo4j-driver';
import neo4j5 from 'neo4j-driver-5';
import neo4j4 from 'neo4j-driver-4';
import { v1 } from 'neo4j-driver-1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLive, type Live } from './live.js';

let live: Live;
let url: string;
let driver: Driver;
const auth = neo4j.auth.basic('neo4j', 'secret');

beforeAll(async () => {
  live = await startLive();
  url = `bolt://127.0.0.1:${live.server.port}`;
  driver = neo4j.driver(url, auth);
});
afterAll(async () => {
  await driver.close();
  await live.server.close();
});

async function echo(value: unknown): Promise<unknown> {
  const { records } = await driver.executeQuery('RETURN $x AS x', { x: value });
  return records[0]?.get('x');
}

describe('neo4j-driver 6', () => {
  it('negotiates Bolt 6.1 through the manifest and reports the server agent', async () => {
    const info = await driver.getServerInfo();
    expect(info.agent).toBe('Neo4j/5.26.0');
    expect(info.protocolVersion).toEqual({ major: 6, minor: 1 });
    await driver.verifyConnectivity();
  });

  it('rejects a wrong password with Unauthorized', async () => {
    const bad = neo4j.driver(url, neo4j.auth.basic('neo4j', 'nope'));
    await expect(bad.verifyConnectivity()).rejects.toMatchObject({
      code: 'Neo.ClientError.Security.Unauthorized',
    });
    await bad.close();
  });

  it('runs a query and returns its summary', async () => {
    const session = driver.session();
    const result = await session.run('RETURN 1 AS n');
    expect(result.records[0]?.get('n')).toEqual(neo4j.int(1));
    expect(result.summary.queryType).toBe('r');
    expect(result.summary.database.name).toBe('neo4j');
    expect(result.summary.server.agent).toBe('Neo4j/5.26.0');
    await session.close();
  });

  it('streams a 100k-row result in batches of fetchSize', async () => {
    const session = driver.session({ fetchSize: 1000 });
    let count = 0;
    let last = 0;
    await new Promise<void>((resolve, reject) => {
      session.run('UNWIND range(1, 100000) AS x RETURN x').subscribe({
        onNext: (record) => {
          count += 1;
          last = (record.get('x') as { toNumber(): number }).toNumber();
        },
        onCompleted: () => resolve(),
        onError: reject,
      });
    });
    expect(count).toBe(100_000);
    expect(last).toBe(100_000);
    await session.close();
  });

});

describe('neo4j-driver 6 transactions', () => {
  it('commits and rolls back explicit transactions', async () => {
    const before = live.backend.committedNodes;
    const session = driver.session();
    const tx = session.beginTransaction();
    await tx.run('CREATE (n)');
    await tx.rollback();
    expect(live.backend.committedNodes).toBe(before);
    const summary = await session.executeWrite((work) => work.run('CREATE (n)'));
    expect(summary.summary.counters.updates().nodesCreated).toBe(1);
    expect(live.backend.committedNodes).toBe(before + 1);
    expect(session.lastBookmarks()[0]).toMatch(/^FB:/);
    await session.close();
  });

  it('recovers the session after a failure (RESET)', async () => {
    const session = driver.session();
    await expect(session.run('RETURN 1 +')).rejects.toMatchObject({
      code: 'Neo.ClientError.Statement.SyntaxError',
    });
    const again = await session.run('RETURN 1 AS n');
    expect(again.records).toHaveLength(1);
    await session.close();
  });

  it('reports DatabaseNotFound for an unknown database', async () => {
    const session = driver.session({ database: 'nope' });
    await expect(session.run('RETURN 1')).rejects.toMatchObject({
      code: 'Neo.ClientError.Database.DatabaseNotFound',
    });
    await session.close();
  });

});

describe('neo4j-driver 6 values and routing', () => {
  it('round-trips every value type', async () => {
    const { types } = neo4j;
    const plain: unknown[] = [
      null, true, neo4j.int(-17), neo4j.int(2 ** 40), 1.5, 'Größe', new Int8Array([1, 2]),
      [neo4j.int(1), 'two', [3.5]], { a: neo4j.int(1), b: { c: 'd' } },
    ];
    for (const value of plain) expect(await echo(value)).toEqual(value);
    // The driver hands temporal fields back as Integers; their ISO text must match exactly.
    const temporal: object[] = [
      new types.Date(2024, 2, 29), new types.Time(12, 30, 15, 5, 3600),
      new types.LocalTime(23, 59, 59, 999_999_999),
      new types.LocalDateTime(1969, 7, 20, 20, 17, 40, 0),
      new types.DateTime(2000, 1, 1, 12, 0, 0, 0, 7200),
      new types.DateTime(2020, 6, 24, 14, 0, 0, 0, 7200, 'Europe/Stockholm'),
      new types.Duration(14, -3, 59, 7),
      new types.Point(neo4j.int(7203), 1.5, -2), new types.Point(neo4j.int(4979), 1, 2, 3),
    ];
    for (const value of temporal) expect(String(await echo(value))).toBe(String(value));
  });

  it('decodes nodes, relationships and paths with element ids', async () => {
    const { records } = await driver.executeQuery('RETURN graph');
    const record = records[0];
    expect(record?.get('a')).toMatchObject({ labels: ['Person'], elementId: '4:db:1',
      properties: { name: 'Ann' } });
    expect(record?.get('r')).toMatchObject({ type: 'KNOWS', startNodeElementId: '4:db:1',
      endNodeElementId: '4:db:2' });
    const path = record?.get('p') as { segments: { start: { elementId: string } }[] };
    expect(path.segments.map((s) => s.start.elementId)).toEqual(['4:db:1', '4:db:2']);
  });

  it('routes with neo4j:// through ROUTE', async () => {
    const routing = neo4j.driver(`neo4j://127.0.0.1:${live.server.port}?region=eu`, auth);
    await routing.verifyConnectivity();
    const { records } = await routing.executeQuery('RETURN 1 AS n', {},
      { routing: neo4j.routing.READ });
    expect(records).toHaveLength(1);
    const context = live.backend.log.routes.at(-1)?.routingContext;
    expect(context?.get('region')).toBe('eu');
    await routing.close();
  });
});

describe('neo4j-driver 5', () => {
  it('negotiates Bolt 5.8 and round-trips a zoned DateTime', async () => {
    const d5 = neo4j5.driver(url, neo4j5.auth.basic('neo4j', 'secret'));
    expect((await d5.getServerInfo()).protocolVersion).toBe(5.8);
    const value = new neo4j5.types.DateTime(2020, 6, 24, 14, 0, 0, 0, undefined, 'Europe/Paris');
    const { records } = await d5.executeQuery('RETURN $x AS x', { x: value });
    expect(String(records[0]?.get('x'))).toBe('2020-06-24T14:00:00+02:00[Europe/Paris]');
    await d5.close();
  });
});

describe('neo4j-driver 4.4', () => {
  it('negotiates Bolt 4.4 with the utc patch and routes with neo4j://', async () => {
    const d4 = neo4j4.driver(`neo4j://127.0.0.1:${live.server.port}`,
      neo4j4.auth.basic('neo4j', 'secret'));
    const info = await d4.verifyConnectivity();
    expect(info.version).toBe('Neo4j/5.26.0');
    const session = d4.session();
    const value = new neo4j4.types.DateTime(2000, 1, 1, 12, 0, 0, 0, 7200);
    const result = await session.readTransaction((tx) => tx.run('RETURN $x AS x', { x: value }));
    expect(String(result.records[0]?.get('x'))).toBe('2000-01-01T12:00:00+02:00');
    expect(result.summary.server.protocolVersion).toBe(4.4);
    await session.close();
    await d4.close();
  });
});

describe('neo4j-driver 1.7', () => {

  it('speaks Bolt 3 and routes with bolt+routing:// through the routing procedure', async () => {
    const d1 = v1.driver(`bolt+routing://127.0.0.1:${live.server.port}`,
      v1.auth.basic('neo4j', 'secret'), { encrypted: false });
    const session = d1.session(v1.session.WRITE);
    const result = await session.writeTransaction((tx) => tx.run('RETURN 1 AS n'));
    expect(result.records[0]?.get('n').toNumber()).toBe(1);
    expect(result.summary.server.version).toBe('Neo4j/5.26.0');
    expect(session.lastBookmark()).toMatch(/^FB:/);
    session.close();
    d1.close();
  });
});
