/**
 * Queries of a size only a program writes: a path of a thousand relationships, a MATCH of a
 * thousand comma-separated patterns, chains of thousands of operators. Each either runs, in
 * about the time its size calls for, or fails with a syntax error; none may fail inside the
 * engine or take the server down. Before the bounds, a path of 20,000 relationships exhausted
 * the heap while its start was chosen (the process died), one of 3,000 overflowed the stack,
 * the thousand patterns took half a minute to plan, and a CREATE of one path of 20,000
 * relationships a quarter of a minute.
 */
import { describe, expect, it } from 'vitest';
import { pathStepsMax } from '../../src/cypher/parser/pattern-parser.js';
import { Database } from '../../src/index.js';

describe('queries a program generates', () => {
  it('matches a path of a thousand relationships, and refuses a longer one', async () => {
    const db = await Database.open(null);
    const hops = pathStepsMax;
    const created = await db.run(`CREATE (:Start)${'-[:NEXT]->()'.repeat(hops)}`);
    expect(created.summary.statistics.relationshipsCreated).toBe(hops);
    const matched = await db.run(
      `MATCH p = (a:Start)${'-[:NEXT]->()'.repeat(hops)} RETURN length(p) AS hops`);
    expect(matched.records).toEqual([[BigInt(hops)]]);
    await expect(db.run(`MATCH (a:Start)${'-[:NEXT]->()'.repeat(20_000)} RETURN count(*)`))
      .rejects.toMatchObject({ code: 'Neo.ClientError.Statement.SyntaxError',
        message: expect.stringContaining(`Pattern too long (more than ${hops}`) as unknown });
    await db.close();
  });

  it('creates one path of 20,000 relationships as comma-separated parts', async () => {
    const db = await Database.open(null);
    const parts = Array.from({ length: 20_000 }, (_, k) => `(n${k})-[:NEXT]->(n${k + 1})`);
    const created = await db.run(`CREATE ${parts.join(', ')}`);
    expect(created.summary.statistics.relationshipsCreated).toBe(20_000);
    expect(created.summary.statistics.nodesCreated).toBe(20_001);
    await db.close();
  });

  it('matches a thousand comma-separated patterns, in the order written', async () => {
    const db = await Database.open(null);
    await db.run('CREATE (:One {v: 1})');
    const patterns = Array.from({ length: 1000 }, (_, k) => `(n${k}:One)`).join(', ');
    const result = await db.run(`MATCH ${patterns} RETURN n999.v AS v, count(*) AS c`);
    expect(result.records).toEqual([[1n, 1n]]);
    await db.close();
  });

  it('refuses a chain of operators deeper than the engine walks, with a syntax error', async () => {
    const db = await Database.open(null);
    await expect(db.run(`MATCH (x) WHERE x.v = 0${' OR x.v = 1'.repeat(5000)} RETURN x`))
      .rejects.toMatchObject({ code: 'Neo.ClientError.Statement.SyntaxError',
        message: expect.stringContaining('nested too deeply') as unknown });
    expect((await db.run(`RETURN 0${' + 1'.repeat(1400)} AS sum`)).records).toEqual([[1400n]]);
    await db.close();
  });
});
