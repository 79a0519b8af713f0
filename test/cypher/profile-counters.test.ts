/**
 * PROFILE of a MATCH as a user reads it in Neo4j Browser or cypher-shell: each operator the
 * MATCH is unfolded into (index seek, label scan, expansions, shortest path, cartesian
 * product) shows the rows it produced and the database hits it made, not the whole MATCH's
 * on the top operator. Expected counts come from the edge list the graph is built from.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanDescription } from '../../src/cypher/index.js';
import { Database } from '../../src/db/database.js';
import { dbHits, find, flatten, planOf } from './planner/plan-helpers.js';

const PERSONS = 12;
/** KNOWS edges: person 0 knows six, the rest a few each; 11 knows nobody. */
const KNOWS: ReadonlyArray<readonly [number, number]> = [
  [0, 1], [0, 2], [0, 3], [0, 4], [0, 5], [0, 6],
  [1, 2], [1, 7], [2, 3], [2, 8], [2, 9], [3, 10], [5, 0], [6, 1], [7, 8], [9, 10],
];
const ageOf = (id: number): number => id % 3;
const friendsOf = (id: number): number[] => KNOWS.filter(([a]) => a === id).map(([, b]) => b);

let db: Database;

beforeAll(async () => {
  db = await Database.open(null);
  await db.run('CREATE INDEX person_id FOR (p:Person) ON (p.id)');
  await db.run('UNWIND range(0, $n - 1) AS i CREATE (:Person {id: i, age: i % 3})',
    { n: PERSONS });
  await db.run('UNWIND $edges AS e MATCH (a:Person {id: e[0]}), (b:Person {id: e[1]}) ' +
    'CREATE (a)-[:KNOWS]->(b)', { edges: KNOWS.map(([a, b]) => [a, b]) });
});

afterAll(async () => {
  await db.close();
});

function only(plan: PlanDescription, operator: string): PlanDescription {
  const found = flatten(plan).filter((o) => o.operatorType === `${operator}@neo4j`);
  expect(found, operator).toHaveLength(1);
  return found[0] as PlanDescription;
}

describe('PROFILE of a MATCH', () => {
  it('shows one row at the index seek, the degree at the expansion and at the results',
    async () => {
      const p = await planOf(db, 'PROFILE MATCH (a:Person {id: $id})-[:KNOWS]->(b) RETURN b',
        { id: 0 });
      const seek = only(p, 'NodeIndexSeek');
      const expand = only(p, 'Expand(All)');
      expect(seek.rows).toBe(1);
      expect(expand.rows).toBe(friendsOf(0).length);
      expect(p.rows).toBe(friendsOf(0).length);
      expect(seek.dbHits).toBeGreaterThan(0);
      // Each relationship walked is read at least once.
      expect(expand.dbHits).toBeGreaterThanOrEqual(friendsOf(0).length);
    });

  it('charges the walk to the expansion: a larger degree costs the seek nothing more',
    async () => {
      const query = 'PROFILE MATCH (a:Person {id: $id})-[:KNOWS]->(b) RETURN b';
      const big = await planOf(db, query, { id: 0 });
      const small = await planOf(db, query, { id: 3 });
      expect(only(big, 'NodeIndexSeek').dbHits).toBeGreaterThan(0);
      expect(only(big, 'NodeIndexSeek').dbHits).toBe(only(small, 'NodeIndexSeek').dbHits);
      const extra = friendsOf(0).length - friendsOf(3).length;
      expect((only(big, 'Expand(All)').dbHits ?? 0) - (only(small, 'Expand(All)').dbHits ?? 0))
        .toBeGreaterThanOrEqual(extra);
    });

  it('shows at a Filter the rows that passed, below it the rows before it', async () => {
    const result = await db.run('PROFILE MATCH (a:Person {id: 0})-[:KNOWS]->(b) ' +
      'WHERE b.age = 1 RETURN b.id');
    const p = result.summary.plan as PlanDescription;
    const passed = friendsOf(0).filter((b) => ageOf(b) === 1).length;
    expect(result.records).toHaveLength(passed);
    expect(only(p, 'Filter').rows).toBe(passed);
    expect(only(p, 'Expand(All)').rows).toBe(friendsOf(0).length);
  });

  it('shows each expansion of a longer path its own rows, the node checks included',
    async () => {
      const p = await planOf(db, 'PROFILE MATCH (a:Person {id: 0})-[:KNOWS]->(b)' +
        '-[:KNOWS]->(c:Person {age: 2}) RETURN c');
      const expands = flatten(p).filter((o) => o.operatorType === 'Expand(All)@neo4j');
      expect(expands.map((o) => o.args.get('Details'))).toEqual([
        '(b)-[:KNOWS]->(c:Person)', '(a:Person)-[:KNOWS]->(b)']);
      // b -> c never reuses a -> b: the edges differ, so no row is lost to uniqueness.
      const twoHops = friendsOf(0).flatMap(friendsOf);
      expect(expands[1]?.rows).toBe(friendsOf(0).length);
      expect(expands[0]?.rows).toBe(twoHops.filter((c) => ageOf(c) === 2).length);
      expect(p.rows).toBe(expands[0]?.rows);
    });

  it('shows Expand(Into) the relationships found between two bound nodes', async () => {
    const p = await planOf(db, 'PROFILE MATCH (a:Person {id: 0}), (b:Person {id: 5}) ' +
      'MATCH (a)-[r:KNOWS]-(b) RETURN r');
    expect(only(p, 'Expand(Into)').rows).toBe(2);
    expect(only(p, 'CartesianProduct').rows).toBe(1);
    expect(flatten(p).filter((o) => o.operatorType === 'NodeIndexSeek@neo4j')
      .map((o) => o.rows)).toEqual([1, 1]);
  });

  it('shows a variable-length expansion the paths it found', async () => {
    const p = await planOf(db,
      'PROFILE MATCH (a:Person {id: 0})-[:KNOWS*1..2]->(c) RETURN c');
    const oneHop = friendsOf(0);
    // No two-hop walk repeats an edge (0 -> 5 -> 0 uses two), so each is a path.
    const twoHops = oneHop.flatMap(friendsOf);
    expect(only(p, 'VarLengthExpand(All)').rows).toBe(oneHop.length + twoHops.length);
    expect(only(p, 'NodeIndexSeek').rows).toBe(1);
    expect(p.rows).toBe(oneHop.length + twoHops.length);
  });

  it('shows shortestPath its two ends and the path found', async () => {
    const result = await db.run('PROFILE MATCH p = shortestPath((a:Person {id: 0})' +
      '-[:KNOWS*]->(b:Person {id: 10})) RETURN length(p)');
    expect(result.records).toEqual([[2n]]);
    const p = result.summary.plan as PlanDescription;
    expect(only(p, 'ShortestPath').rows).toBe(1);
    expect(only(p, 'ShortestPath').dbHits).toBeGreaterThan(0);
    expect(flatten(p).filter((o) => o.operatorType === 'NodeIndexSeek@neo4j')
      .map((o) => o.rows)).toEqual([1, 1]);
  });

  it('shows at a type scan the relationships whose ends fit, and stops it at a LIMIT',
    async () => {
      const all = await planOf(db, 'PROFILE MATCH (a:Person)-[:KNOWS]->(b:Person) RETURN b');
      expect(only(all, 'DirectedRelationshipTypeScan').rows).toBe(KNOWS.length);
      expect(only(all, 'DirectedRelationshipTypeScan').dbHits).toBeGreaterThanOrEqual(
        KNOWS.length);
      const few = await planOf(db, 'PROFILE MATCH (a:Person)-[:KNOWS]->(b) RETURN b LIMIT 2');
      expect(only(few, 'DirectedRelationshipTypeScan').rows).toBeGreaterThanOrEqual(2);
      expect(only(few, 'DirectedRelationshipTypeScan').rows).toBeLessThan(KNOWS.length);
    });

  it('shows a label scan every node it found, and the scan again for each input row',
    async () => {
      const p = await planOf(db, 'PROFILE MATCH (a:Person {id: 0}), (b:Person) RETURN b');
      expect(only(p, 'NodeIndexSeek').rows).toBe(1);
      expect(only(p, 'NodeByLabelScan').rows).toBe(PERSONS);
      expect(only(p, 'CartesianProduct').rows).toBe(PERSONS);
    });

  it('shows the rows an expansion gave before a LIMIT stopped it', async () => {
    // Both ways, so that no type scan starts it: a label scan and an expansion.
    const p = await planOf(db, 'PROFILE MATCH (a:Person)-[:KNOWS]-(b) RETURN b LIMIT 3');
    const expand = only(p, 'Expand(All)');
    expect(expand.rows).toBeGreaterThanOrEqual(3);
    expect(expand.rows).toBeLessThan(KNOWS.length);
    expect(only(p, 'Projection').rows).toBe(expand.rows);
    expect(only(p, 'NodeByLabelScan').rows).toBeGreaterThan(0);
    expect(only(p, 'NodeByLabelScan').rows).toBeLessThan(PERSONS);
  });

  it('shows an OPTIONAL MATCH the argument row it expanded from', async () => {
    const p = await planOf(db, 'PROFILE MATCH (a:Person {id: 2}) ' +
      'OPTIONAL MATCH (a)-[:KNOWS]->(b:Person {age: 0}) RETURN b.id');
    const passed = friendsOf(2).filter((b) => ageOf(b) === 0).length;
    expect(only(p, 'Argument').rows).toBe(1);
    expect(only(p, 'Expand(All)').rows).toBe(passed);
    expect(p.rows).toBe(Math.max(1, passed));
  });

  it('reports true rows at the top when the start moves from row to row', async () => {
    // For each x the walk starts at x or at z, whichever is cheaper for that x: the rows at
    // each expansion mix both directions, but the MATCH's output is what follows it.
    const result = await db.run('PROFILE MATCH (x:Person) WITH x ' +
      'MATCH (x)-[:KNOWS]->(y)<-[:KNOWS]-(z:Person {id: 0}) RETURN count(*) AS n');
    const p = result.summary.plan as PlanDescription;
    // x -> y and 0 -> y must be two relationships: x is not 0.
    const expected = KNOWS.filter(([x, y]) => x !== 0 && friendsOf(0).includes(y)).length;
    expect(result.records).toEqual([[BigInt(expected)]]);
    const aggregate = only(p, 'EagerAggregation');
    expect(aggregate.children[0]?.rows).toBe(expected);
    expect(flatten(p).every((o) => (o.rows ?? -1) >= 0 && (o.dbHits ?? -1) >= 0)).toBe(true);
  });

  it('puts every hit of the MATCH on an operator it is unfolded into',
    async () => {
      const one = await planOf(db, 'PROFILE MATCH (a:Person {id: 0})-[:KNOWS]->(b) RETURN b');
      const seekHits = only(one, 'NodeIndexSeek').dbHits ?? 0;
      const expandHits = only(one, 'Expand(All)').dbHits ?? 0;
      expect(dbHits(one)).toBe(seekHits + expandHits);
      expect(find(one, 'Projection')?.dbHits).toBe(0);
    });

  it('leaves EXPLAIN without rows or hits', async () => {
    const p = await planOf(db, 'EXPLAIN MATCH (a:Person {id: 0})-[:KNOWS]->(b) RETURN b');
    expect(flatten(p).some((o) => o.rows !== undefined || o.dbHits !== undefined)).toBe(false);
  });
});
