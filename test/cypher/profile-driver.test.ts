/**
 * PROFILE through a real server and the official driver: `summary.profile` is the tree tools
 * draw (operatorType, rows, dbHits, children), with each operator of a MATCH showing its own
 * rows and database hits.
 */
import neo4j, { type ProfiledPlan } from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { useQuiverServer } from '../helpers/server-fixture.js';

const fixture = useQuiverServer();
const DEGREE = 7;

function flatten(plan: ProfiledPlan): ProfiledPlan[] {
  return [plan, ...plan.children.flatMap(flatten)];
}

describe('PROFILE through the driver', () => {
  it('shows the seek, the expansion and the results each with its own rows and hits',
    async () => {
      const session = fixture().driver.session();
      try {
        await session.run('CREATE INDEX person_id FOR (p:Person) ON (p.id)');
        await session.run('CREATE (a:Person {id: 1}) WITH a UNWIND range(1, $n) AS i ' +
          'CREATE (a)-[:KNOWS]->(:Person {id: 100 + i})', { n: neo4j.int(DEGREE) });
        const result = await session.run(
          'PROFILE MATCH (a:Person {id: $id})-[:KNOWS]->(b) RETURN b', { id: neo4j.int(1) });
        expect(result.records).toHaveLength(DEGREE);
        const profile = result.summary.profile;
        if (profile === false) throw new Error('the summary has no profile');
        expect(profile.operatorType).toBe('ProduceResults@neo4j');
        expect(profile.rows).toBe(DEGREE);
        const all = flatten(profile);
        const byType = (type: string): ProfiledPlan | undefined =>
          all.find((o) => o.operatorType === `${type}@neo4j`);
        expect(byType('NodeIndexSeek')?.rows).toBe(1);
        expect(byType('NodeIndexSeek')?.dbHits).toBeGreaterThan(0);
        expect(byType('Expand(All)')?.rows).toBe(DEGREE);
        expect(byType('Expand(All)')?.dbHits).toBeGreaterThanOrEqual(DEGREE);
        expect(byType('Expand(All)')?.arguments.Details).toBe('(a:Person)-[:KNOWS]->(b)');
      } finally {
        await session.close();
      }
    });
});

describe('deep plans through the driver', () => {
  it('keeps every operator of a plan deeper than sixteen levels', async () => {
    const session = fixture().driver.session();
    try {
      const withs = Array.from({ length: 30 }, (_, i) => `WITH x${i} + 1 AS x${i + 1}`);
      const result = await session.run(`PROFILE UNWIND [1, 2] AS x0 ${withs.join(' ')} ` +
        'RETURN x30');
      expect(result.records.map((r) => r.get('x30').toNumber())).toEqual([31, 32]);
      const profile = result.summary.profile;
      if (profile === false) throw new Error('the summary has no profile');
      let depth = 1;
      let leaf: ProfiledPlan = profile;
      while (leaf.children.length > 0) {
        leaf = leaf.children[0] as ProfiledPlan;
        depth++;
      }
      expect(depth).toBeGreaterThan(16);
      const unwind = flatten(profile).find((o) => o.operatorType === 'Unwind@neo4j');
      expect(unwind?.rows).toBe(2);
    } finally {
      await session.close();
    }
  });
});
