/**
 * What an application does with neo4j-driver 6 against a real server: connect, run auto-commit,
 * explicit and managed transactions, stream a large result, chain sessions with bookmarks, and
 * ask the system database and the built-in procedures about the graph.
 */
import neo4j, { type Integer } from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { useQuiverServer } from '../helpers/server-fixture.js';

const fixture = useQuiverServer();

async function countNodes(label: string): Promise<number> {
  const { records } = await fixture().driver.executeQuery(
    `MATCH (n:${label}) RETURN count(n) AS n`);
  return (records[0]?.get('n') as Integer).toNumber();
}

describe('connecting', () => {
  it('verifies connectivity and reports the server agent and Bolt 6.1', async () => {
    const { driver, server } = fixture();
    await driver.verifyConnectivity();
    const info = await driver.getServerInfo();
    expect(info.agent).toBe('Neo4j/5.26.0');
    expect(info.address).toBe(`127.0.0.1:${server.boltPort}`);
    expect(info.protocolVersion).toEqual({ major: 6, minor: 1 });
  });

  it('rejects a wrong password with Unauthorized, and still accepts the right one', async () => {
    const { server, driver } = fixture();
    const bad = neo4j.driver(server.boltUrl, neo4j.auth.basic('neo4j', 'not-the-password'));
    try {
      await expect(bad.verifyConnectivity()).rejects.toMatchObject({
        code: 'Neo.ClientError.Security.Unauthorized' });
    } finally {
      await bad.close();
    }
    await driver.verifyConnectivity();
  });

  it('routes with neo4j:// to this server for reads and writes', async () => {
    const { server, auth } = fixture();
    const routing = neo4j.driver(`neo4j://127.0.0.1:${server.boltPort}`, auth);
    try {
      await routing.executeQuery('CREATE (:Routed)', {}, { routing: neo4j.routing.WRITE });
      const { records } = await routing.executeQuery('MATCH (r:Routed) RETURN count(r) AS n', {},
        { routing: neo4j.routing.READ });
      expect(records[0]?.get('n')).toEqual(neo4j.int(1));
    } finally {
      await routing.close();
    }
  });
});

describe('auto-commit and explicit transactions', () => {
  it('runs auto-commit queries with a summary', async () => {
    const session = fixture().driver.session();
    try {
      const result = await session.run('CREATE (a:Auto {n: $n}) RETURN a.n AS n',
        { n: neo4j.int(7) });
      expect(result.records.map((r) => r.get('n'))).toEqual([neo4j.int(7)]);
      expect(result.summary.queryType).toBe('rw');
      expect(result.summary.counters.updates().nodesCreated).toBe(1);
      expect(result.summary.counters.updates().propertiesSet).toBe(1);
      expect(result.summary.database.name).toBe('neo4j');
    } finally {
      await session.close();
    }
    expect(await countNodes('Auto')).toBe(1);
  });

  it('commits an explicit transaction and discards a rolled back one', async () => {
    const session = fixture().driver.session();
    try {
      const kept = session.beginTransaction();
      await kept.run('CREATE (:Explicit {kept: true})');
      await kept.run('CREATE (:Explicit {kept: true})');
      await kept.commit();
      const dropped = session.beginTransaction();
      await dropped.run('CREATE (:Explicit {kept: false})');
      // Inside the transaction its own write is visible; outside it never is.
      const inside = await dropped.run('MATCH (e:Explicit) RETURN count(e) AS n');
      expect(inside.records[0]?.get('n')).toEqual(neo4j.int(3));
      await dropped.rollback();
    } finally {
      await session.close();
    }
    expect(await countNodes('Explicit')).toBe(2);
  });

});

describe('managed transactions', () => {
  it('runs managed transactions with executeWrite and executeRead', async () => {
    const session = fixture().driver.session();
    try {
      const created = await session.executeWrite(async (tx) => {
        const result = await tx.run('UNWIND range(1, 5) AS i CREATE (:Managed {i: i})');
        return result.summary.counters.updates().nodesCreated;
      });
      expect(created).toBe(5);
      const total = await session.executeRead(async (tx) => {
        const result = await tx.run('MATCH (m:Managed) RETURN sum(m.i) AS total');
        return (result.records[0]?.get('total') as Integer).toNumber();
      });
      expect(total).toBe(15);
    } finally {
      await session.close();
    }
  });

  it('rolls back a managed transaction whose work function throws', async () => {
    const session = fixture().driver.session();
    try {
      await expect(session.executeWrite(async (tx) => {
        await tx.run('CREATE (:Abandoned)');
        throw new Error('application gave up');
      })).rejects.toThrow('application gave up');
    } finally {
      await session.close();
    }
    expect(await countNodes('Abandoned')).toBe(0);
  });

  it('refuses a write in a read transaction', async () => {
    const session = fixture().driver.session({ defaultAccessMode: neo4j.session.READ });
    try {
      await expect(session.executeRead((tx) => tx.run('CREATE (:ReadOnly)'))).rejects
        .toMatchObject({ code: 'Neo.ClientError.Statement.AccessMode' });
    } finally {
      await session.close();
    }
    expect(await countNodes('ReadOnly')).toBe(0);
  });

});

describe('large results', () => {
  it('streams a 100k-row result in batches of fetchSize, in order', async () => {
    const session = fixture().driver.session({ fetchSize: 1000 });
    let count = 0;
    let inOrder = true;
    try {
      await new Promise<void>((resolve, reject) => {
        session.run('UNWIND range(1, 100000) AS x RETURN x').subscribe({
          onNext: (record) => {
            count += 1;
            if ((record.get('x') as Integer).toNumber() !== count) inOrder = false;
          },
          onCompleted: () => resolve(),
          onError: reject,
        });
      });
    } finally {
      await session.close();
    }
    expect(count).toBe(100_000);
    expect(inOrder).toBe(true);
  });

  it('stops a large result early when the consumer breaks out of the stream', async () => {
    const session = fixture().driver.session({ fetchSize: 100 });
    const seen: number[] = [];
    try {
      for await (const record of session.run('UNWIND range(1, 1000000) AS x RETURN x')) {
        seen.push((record.get('x') as Integer).toNumber());
        if (seen.length === 250) break;
      }
      // The session is usable afterwards: the rest was discarded, not streamed.
      const next = await session.run('RETURN 42 AS n');
      expect(next.records[0]?.get('n')).toEqual(neo4j.int(42));
    } finally {
      await session.close();
    }
    expect(seen.at(-1)).toBe(250);
  });
});

describe('bookmarks', () => {
  it('makes a read in a new session see the write whose bookmark it was given', async () => {
    const { driver } = fixture();
    const writer = driver.session();
    let bookmarks: string[];
    try {
      await writer.executeWrite((tx) => tx.run('CREATE (:Chained {v: 1})'));
      bookmarks = writer.lastBookmarks();
    } finally {
      await writer.close();
    }
    expect(bookmarks).toHaveLength(1);
    const reader = driver.session({ bookmarks, defaultAccessMode: neo4j.session.READ });
    try {
      const result = await reader.executeRead((tx) =>
        tx.run('MATCH (c:Chained) RETURN c.v AS v'));
      expect(result.records.map((r) => r.get('v'))).toEqual([neo4j.int(1)]);
    } finally {
      await reader.close();
    }
  });

  it('advances the bookmark on every write', async () => {
    const session = fixture().driver.session();
    try {
      await session.run('CREATE (:Mark)');
      const first = session.lastBookmarks();
      await session.run('CREATE (:Mark)');
      const second = session.lastBookmarks();
      expect(first).toHaveLength(1);
      expect(second).toHaveLength(1);
      expect(second).not.toEqual(first);
    } finally {
      await session.close();
    }
  });

  it('rejects a malformed bookmark with InvalidBookmark', async () => {
    const session = fixture().driver.session({ bookmarks: ['not-a-bookmark'] });
    try {
      await expect(session.run('RETURN 1')).rejects.toMatchObject({
        code: 'Neo.ClientError.Transaction.InvalidBookmark' });
    } finally {
      await session.close();
    }
  });
});

describe('the system database and built-in procedures', () => {
  it('lists neo4j and system with SHOW DATABASES', async () => {
    const { records } = await fixture().driver.executeQuery('SHOW DATABASES', {},
      { database: 'system' });
    const rows = records.map((r) => ({ name: r.get('name') as unknown,
      currentStatus: r.get('currentStatus') as unknown, default: r.get('default') as unknown }));
    expect(rows).toEqual(expect.arrayContaining([
      { name: 'neo4j', currentStatus: 'online', default: true },
      { name: 'system', currentStatus: 'online', default: false },
    ]));
    expect(rows).toHaveLength(2);
  });

  it('lists labels, relationship types and property keys in use', async () => {
    const { driver } = fixture();
    await driver.executeQuery('CREATE (:Catalog {title: "x"})-[:LISTS {rank: 1}]->(:Entry)');
    const column = async (query: string, name: string) =>
      (await driver.executeQuery(query)).records.map((r) => r.get(name) as unknown);
    expect(await column('CALL db.labels()', 'label')).toEqual(
      expect.arrayContaining(['Catalog', 'Entry']));
    expect(await column('CALL db.relationshipTypes()', 'relationshipType')).toEqual(
      expect.arrayContaining(['LISTS']));
    expect(await column('CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey',
      'propertyKey')).toEqual(expect.arrayContaining(['title', 'rank']));
  });

  it('reports the component version through dbms.components()', async () => {
    const { records } = await fixture().driver.executeQuery(
      'CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition');
    expect(records[0]?.get('name')).toBe('Neo4j Kernel');
    expect(records[0]?.get('versions')).toEqual(['5.26.0']);
  });
});
