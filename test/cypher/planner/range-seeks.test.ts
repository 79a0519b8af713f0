import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../../src/db/database.js';
import { dbHits, find, operators, planOf } from './plan-helpers.js';

let db: Database;

beforeAll(async () => {
  db = await Database.open(null);
  await db.run('CREATE INDEX person_age FOR (p:Person) ON (p.age)');
  await db.run('CREATE INDEX person_name FOR (p:Person) ON (p.name)');
  await db.run('CREATE INDEX event_at FOR (e:Event) ON (e.at)');
  await db.run('CREATE INDEX odd_v FOR (o:Odd) ON (o.v)');
  await db.run('UNWIND range(0, 499) AS i CREATE (:Person {id: i, age: i % 50, name: "p" + i})');
  await db.run('UNWIND range(1, 28) AS d CREATE (:Event {day: d, at: date({year: 2024, ' +
    'month: 2, day: d})})');
  await db.run('UNWIND [1, 2.5, 3, "2.7", true, [2], 2.999] AS v CREATE (:Odd {v: v})');
});

afterAll(async () => {
  await db.close();
});

async function count(query: string, params: Record<string, unknown> = {}): Promise<bigint> {
  const result = await db.run(query, params);
  return result.records[0]?.[0] as bigint;
}

describe('range and prefix index seeks', () => {
  it('seeks a range in EXPLAIN, with the predicate and an estimate from the index', async () => {
    const p = await planOf(db, 'EXPLAIN MATCH (p:Person) WHERE p.age > 45 RETURN p');
    const seek = find(p, 'NodeIndexSeekByRange');
    expect(seek?.args.get('Details')).toBe('RANGE INDEX p:Person(age) WHERE age > 45');
    // Four of the fifty distinct ages, ten persons each.
    expect(seek?.args.get('EstimatedRows')).toBe(40);
    expect(operators(p)).not.toContain('NodeByLabelScan');
  });

  it('shows negative and string bounds as written', async () => {
    const p = await planOf(db, 'EXPLAIN MATCH (p:Person) WHERE -1 < p.age < 2 RETURN p');
    expect(find(p, 'NodeIndexSeekByRange')?.args.get('Details'))
      .toBe('RANGE INDEX p:Person(age) WHERE age > -1 AND age < 2');
  });

  it('answers both bounds of a comparison chain and of AND-ed comparisons', async () => {
    expect(await count('MATCH (p:Person) WHERE 10 < p.age <= 20 RETURN count(p)')).toBe(100n);
    expect(await count('MATCH (p:Person) WHERE p.age >= $a AND p.age < $b RETURN count(p)',
      { a: 5, b: 7 })).toBe(20n);
    const p = await planOf(db, 'EXPLAIN MATCH (p:Person) WHERE p.age >= $a AND p.age < $b ' +
      'RETURN p', { a: 5, b: 7 });
    expect(find(p, 'NodeIndexSeekByRange')?.args.get('Details'))
      .toBe('RANGE INDEX p:Person(age) WHERE age >= $a AND age < $b');
  });

  it('seeks a string prefix', async () => {
    const p = await planOf(db, 'EXPLAIN MATCH (p:Person) WHERE p.name STARTS WITH "p4" RETURN p');
    expect(find(p, 'NodeIndexSeekByRange')?.args.get('Details'))
      .toBe("RANGE INDEX p:Person(name) WHERE name STARTS WITH 'p4'");
    // p4, p40..p49, p400..p499.
    expect(await count('MATCH (p:Person) WHERE p.name STARTS WITH $p RETURN count(p)',
      { p: 'p4' })).toBe(111n);
  });

  it('scans the label when the range covers the whole index', async () => {
    const p = await planOf(db, 'EXPLAIN MATCH (p:Person) WHERE p.age >= 0 RETURN p');
    expect(operators(p)).toContain('NodeByLabelScan');
    expect(operators(p)).not.toContain('NodeIndexSeekByRange');
  });

  it('costs fewer database hits than a scan under PROFILE', async () => {
    const seek = await planOf(db, 'PROFILE MATCH (p:Person) WHERE p.age > 47 RETURN count(p)');
    const scan = await planOf(db, 'PROFILE MATCH (p:Person) WHERE p.id % 50 > 47 ' +
      'RETURN count(p)');
    expect(operators(seek)).toContain('NodeIndexSeekByRange');
    expect(dbHits(seek) * 5).toBeLessThan(dbHits(scan));
  });

  it('keeps Cypher\'s comparison rules: numbers with numbers, nothing else', async () => {
    const ids = await db.run('MATCH (o:Odd) WHERE o.v > 2 AND o.v < 3 RETURN o.v ORDER BY o.v');
    expect(ids.records).toEqual([[2.5], [2.999]]);
    expect(await count('MATCH (o:Odd) WHERE o.v >= "2" RETURN count(o)')).toBe(1n);
    expect(await count('MATCH (o:Odd) WHERE o.v > $x RETURN count(o)', { x: null })).toBe(0n);
    // A list bound is not ordered by the index: the WHERE clause compares the lists itself.
    expect(await count('MATCH (o:Odd) WHERE o.v > [1] RETURN count(o)')).toBe(1n);
  });

  it('orders dates in a date range', async () => {
    expect(await count('MATCH (e:Event) WHERE e.at >= date("2024-02-10") AND ' +
      'e.at < date("2024-02-20") RETURN count(e)')).toBe(10n);
    const p = await planOf(db, 'EXPLAIN MATCH (e:Event) WHERE e.at > $d RETURN e',
      { d: '2024-02-27' });
    expect(operators(p)).toContain('NodeIndexSeekByRange');
  });

  it('finds what the same transaction just wrote', async () => {
    const result = await db.run('CREATE (:Person {id: 1000, age: 1000, name: "new"}) WITH 1 AS x ' +
      'MATCH (p:Person) WHERE p.age > 999 RETURN p.id');
    expect(result.records).toEqual([[1000n]]);
    expect(await count('MATCH (p:Person) WHERE p.age > 999 RETURN count(p)')).toBe(1n);
    await db.run('MATCH (p:Person {id: 1000}) DELETE p');
    expect(await count('MATCH (p:Person) WHERE p.age > 999 RETURN count(p)')).toBe(0n);
  });
});
