/**
 * What the load path's shortcuts must not change: a node a seek found and the same transaction
 * then deleted is no end for a new relationship; the store refuses a relationship to a node it
 * deleted (its liveness bytes follow deletes); and a conflicting concurrent transaction is still
 * refused by the commit gate, which keeps each transaction's key sets rather than copying them.
 */
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/index.js';
import { ChangeSetWriter } from '../../src/graph/changeset-writer.js';
import { TestGraph } from './harness.js';

function graphWithPersons(): TestGraph {
  const graph = new TestGraph();
  graph.run('CREATE CONSTRAINT person_id FOR (p:Person) REQUIRE p.id IS UNIQUE');
  graph.run('UNWIND range(1, 3) AS i CREATE (:Person {id: i})');
  return graph;
}

describe('the load path', () => {
  it('refuses a relationship to a node the seek found and the statement deleted', () => {
    const graph = graphWithPersons();
    expect(() => graph.run('MATCH (a:Person {id: 1}), (b:Person {id: 2}) DELETE a ' +
      'CREATE (a)-[:KNOWS]->(b)')).toThrow(/has been deleted in this transaction/);
    expect(graph.values('MATCH (p:Person) RETURN count(p)')).toEqual([[3]]);
    expect(graph.values('MATCH ()-[k:KNOWS]->() RETURN count(k)')).toEqual([[0]]);
  });

  it('links nodes found by seeks in an earlier statement of the same transaction', async () => {
    const db = await Database.open(null);
    try {
      await db.run('CREATE CONSTRAINT person_id FOR (p:Person) REQUIRE p.id IS UNIQUE');
      await db.run('UNWIND range(1, 3) AS i CREATE (:Person {id: i})');
      const tx = await db.begin();
      expect(tx.run('MATCH (a:Person {id: 1}) RETURN a.id').next()).toEqual([1n]);
      tx.run('MATCH (a:Person {id: 1}), (b:Person {id: 3}) CREATE (a)-[:KNOWS]->(b)');
      await tx.commit();
      const result = await db.run('MATCH (a)-[:KNOWS]->(b) RETURN a.id, b.id');
      expect(result.records).toEqual([[1n, 3n]]);
    } finally {
      await db.close();
    }
  });

  it('stops the applier on a relationship to a node an earlier ChangeSet deleted', () => {
    const graph = graphWithPersons();
    const ids = graph.values('MATCH (p:Person) RETURN id(p) ORDER BY p.id').map((r) => r[0]);
    graph.run('MATCH (p:Person {id: 1}) DELETE p');
    const out = new ChangeSetWriter();
    out.relCreate({ id: 0, type: 'KNOWS', start: ids[1] as number, end: ids[0] as number,
      props: null });
    const frame = out.finish([], undefined);
    expect(() => graph.store.apply(frame, graph.store.version + 1))
      .toThrow(/relationship to a missing node/);
  });

  it('fails the second of two concurrent loads that link to a node the first deleted',
    async () => {
      const db = await Database.open(null);
      try {
        await db.run('UNWIND range(1, 3) AS i CREATE (:Person {id: i})');
        const linker = await db.begin();
        const deleter = await db.begin();
        deleter.run('MATCH (p:Person {id: 2}) DETACH DELETE p');
        linker.run('UNWIND [[1, 2], [3, 1]] AS r MATCH (a:Person {id: r[0]}), ' +
          '(b:Person {id: r[1]}) CREATE (a)-[:KNOWS]->(b)');
        await deleter.commit();
        await expect(linker.commit()).rejects.toThrow(/changed node/);
        const result = await db.run('MATCH ()-[k:KNOWS]->() RETURN count(k)');
        expect(result.records).toEqual([[0n]]);
      } finally {
        await db.close();
      }
    });
});
