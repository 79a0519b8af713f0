import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/index.js';
import type { Transaction } from '../../src/db/transaction.js';
import type { Value } from '../../src/graph/values.js';

/** All records of one statement run inside `tx`. */
function all(tx: Transaction, query: string, params: Record<string, Value> = {}): Value[][] {
  const result = tx.run(query, new Map(Object.entries(params)));
  const records: Value[][] = [];
  for (let r = result.next(); r !== null; r = result.next()) records.push(r);
  return records;
}

/** Every relationship as `start-type->end {props}` text, sorted: what a user compares. */
const EDGES = 'MATCH (a)-[r]->(b) RETURN a.k AS a, type(r) AS t, b.k AS b, properties(r) AS p';

function edgeTexts(records: Value[][]): string[] {
  return records.map((r) => JSON.stringify(r, (_, v: unknown) =>
    typeof v === 'bigint' ? `${v}n` : v instanceof Map ? Object.fromEntries(v) : v)).sort();
}

describe('relationships a write transaction created', () => {
  it('read the same inside the transaction as after its commit', async () => {
    const db = await Database.open(null);
    await db.run('UNWIND range(1, 4) AS k CREATE (:N {k: k})');
    const tx = await db.begin();
    all(tx, `MATCH (a:N {k: 1}), (b:N {k: 2}), (c:N {k: 3})
      CREATE (a)-[:T {w: 1}]->(b), (b)-[:U]->(c), (c)-[:T {w: 3, s: 'x'}]->(c), (b)<-[:T]-(c)`);
    const inside = edgeTexts(all(tx, EDGES));
    const degrees = all(tx, `MATCH (n:N) RETURN n.k AS k, count { (n)--() } AS both,
      count { (n)-->() } AS out, count { (n)<-[:T]-() } AS inT ORDER BY k`);
    await tx.commit();
    const after = await db.run(EDGES);
    expect(inside).toEqual(edgeTexts(after.records));
    expect(inside).toHaveLength(4);
    // The self-loop on 3 counts once in both directions, as in the committed graph.
    const committed = await db.run(`MATCH (n:N) RETURN n.k AS k, count { (n)--() } AS both,
      count { (n)-->() } AS out, count { (n)<-[:T]-() } AS inT ORDER BY k`);
    expect(degrees).toEqual(committed.records);
    expect(degrees[2]).toEqual([3n, 3n, 2n, 1n]);
    await db.close();
  });

  it('leave nothing when deleted again, and count as created and deleted', async () => {
    const db = await Database.open(null);
    await db.run('CREATE (:N {k: 1}), (:N {k: 2})');
    const r = await db.run(`MATCH (a:N {k: 1}), (b:N {k: 2})
      CREATE (a)-[r:T]->(b), (b)-[s:T {w: 2}]->(a) DELETE r RETURN type(s) AS t`);
    expect(r.summary.statistics.relationshipsCreated).toBe(2);
    expect(r.summary.statistics.relationshipsDeleted).toBe(1);
    expect(edgeTexts((await db.run(EDGES)).records))
      .toEqual(edgeTexts([[2n, 'T', 1n, new Map([['w', 2n]])]]));
    await db.close();
  });

  it('fail a read of a relationship the transaction deleted with EntityNotFound', async () => {
    const db = await Database.open(null);
    const tx = await db.begin();
    expect(() => all(tx, 'CREATE ()-[r:T {w: 1}]->() DELETE r RETURN r.w')).toThrowError(
      expect.objectContaining({ code: 'Neo.ClientError.Statement.EntityNotFound' }) as Error);
    await tx.rollback();
    await db.close();
  });

  it('keep properties set and removed after creation, as committed', async () => {
    const db = await Database.open(null);
    const r = await db.run(`CREATE (a {k: 1})-[r:T]->(b {k: 2}), (b)-[s:T {w: 1, v: 5}]->(a)
      SET r.x = 7, s.w = null, s.v = 6 RETURN properties(r) AS pr, properties(s) AS ps`);
    expect(r.records[0]).toEqual([new Map([['x', 7n]]), new Map([['v', 6n]])]);
    // Four set by CREATE, three by SET (a removal counts too), as Neo4j reports.
    expect(r.summary.statistics.propertiesSet).toBe(7);
    expect(edgeTexts((await db.run(EDGES)).records)).toEqual(edgeTexts([
      [1n, 'T', 2n, new Map([['x', 7n]])], [2n, 'T', 1n, new Map([['v', 6n]])]]));
    const keys = await db.run('CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey');
    expect(keys.records.map((k) => k[0])).toEqual(expect.arrayContaining(['x', 'v', 'k']));
    await db.close();
  });

  it('show the same graph in the transaction as after commit, whatever the writes', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('create' as const), a: fc.nat(3), b: fc.nat(3),
        t: fc.constantFrom('T', 'U'), w: fc.option(fc.integer({ min: 0, max: 9 })) }),
      fc.record({ kind: fc.constant('delete' as const), t: fc.constantFrom('T', 'U') }),
      fc.record({ kind: fc.constant('set' as const), w: fc.integer({ min: 0, max: 9 }) }));
    await fc.assert(fc.asyncProperty(fc.array(op, { maxLength: 12 }), async (ops) => {
      const db = await Database.open(null);
      await db.run('UNWIND range(0, 3) AS k CREATE (:N {k: k})');
      await db.run('MATCH (a:N {k: 0}), (b:N {k: 1}) CREATE (a)-[:T {w: 0}]->(b)');
      const tx = await db.begin();
      for (const o of ops) {
        if (o.kind === 'create') {
          all(tx, `MATCH (a:N {k: $a}), (b:N {k: $b}) CREATE (a)-[:${o.t} {w: $w}]->(b)`,
            { a: BigInt(o.a), b: BigInt(o.b), w: o.w === null ? null : BigInt(o.w) });
        } else if (o.kind === 'delete') {
          all(tx, `MATCH ()-[r:${o.t}]->() WITH r ORDER BY r.w LIMIT 1 DELETE r`);
        } else {
          all(tx, 'MATCH ()-[r]->() WHERE r.w IS NULL OR r.w < $w SET r.w = $w',
            { w: BigInt(o.w) });
        }
      }
      const inside = edgeTexts(all(tx, EDGES));
      const count = all(tx, 'MATCH ()-[r]->() RETURN count(r)');
      await tx.commit();
      expect(inside).toEqual(edgeTexts((await db.run(EDGES)).records));
      expect(count).toEqual((await db.run('MATCH ()-[r]->() RETURN count(r)')).records);
      await db.close();
    }), { numRuns: 40 });
  });
});

describe('conflicts of a relationship load', () => {
  it('fails the load when a concurrent transaction deleted one of its end nodes', async () => {
    const db = await Database.open(null);
    await db.run('CREATE CONSTRAINT p FOR (p:P) REQUIRE p.id IS UNIQUE');
    await db.run('UNWIND range(1, 3) AS i CREATE (:P {id: i})');
    const gone = (await db.run('MATCH (p:P {id: 3}) RETURN id(p)')).records[0]?.[0];
    const load = await db.begin();
    all(load, `UNWIND $rows AS r MATCH (a:P {id: r.src}) MATCH (b:P {id: r.dst})
      CREATE (a)-[:K]->(b)`, { rows: [new Map([['src', 1n], ['dst', 2n]]),
      new Map([['src', 2n], ['dst', 3n]])] });
    const remover = await db.begin();
    all(remover, 'MATCH (p:P {id: 3}) DELETE p');
    await remover.commit();
    await expect(load.commit()).rejects.toMatchObject({
      code: 'Neo.TransientError.Transaction.DeadlockDetected',
      message: expect.stringContaining(`changed node ${String(gone)} `) as string });
    expect((await db.run('MATCH ()-[r]->() RETURN count(r)')).records).toEqual([[0n]]);
    await db.close();
  });

  it('fails the second of two transactions that change one relationship', async () => {
    const db = await Database.open(null);
    await db.run('CREATE ()-[:T {w: 0}]->()');
    const rel = (await db.run('MATCH ()-[r]->() RETURN id(r)')).records[0]?.[0];
    const first = await db.begin();
    const second = await db.begin();
    all(first, 'MATCH ()-[r:T]->() SET r.w = 1');
    all(second, 'MATCH ()-[r:T]->() DELETE r');
    await first.commit();
    await expect(second.commit()).rejects.toMatchObject({
      message: expect.stringContaining(`changed relationship ${String(rel)} `) as string });
    expect((await db.run('MATCH ()-[r]->() RETURN r.w')).records).toEqual([[1n]]);
    await db.close();
  });

  it('links a load to nodes the same transaction created, found through the index', async () => {
    const db = await Database.open(null);
    await db.run('CREATE CONSTRAINT p FOR (p:P) REQUIRE p.id IS UNIQUE');
    await db.run('CREATE (:P {id: 1})');
    const tx = await db.begin();
    all(tx, 'UNWIND [2, 3] AS i CREATE (:P {id: i})');
    all(tx, 'MATCH (p:P {id: 1}) SET p.id = 10');
    const rows = [[1n, 2n], [10n, 2n], [2n, 3n], [3n, 4n]]
      .map(([src, dst]) => new Map<string, Value>([['src', src ?? null], ['dst', dst ?? null]]));
    all(tx, `UNWIND $rows AS r MATCH (a:P {id: r.src}) MATCH (b:P {id: r.dst})
      CREATE (a)-[:K]->(b)`, { rows });
    await tx.commit();
    const edges = await db.run('MATCH (a)-[:K]->(b) RETURN a.id, b.id ORDER BY a.id');
    expect(edges.records).toEqual([[2n, 3n], [10n, 2n]]);
    await db.close();
  });
});
