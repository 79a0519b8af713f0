/**
 * Every Bolt value type through a real server and neo4j-driver 6: echoed as a parameter
 * (`RETURN $x`) and stored as a property, then read back in a later transaction.
 */
import neo4j from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { useQuiverServer } from '../helpers/server-fixture.js';

// useBigInt: integers beyond 2^53 come back exact, as bigint, instead of lossy numbers.
const fixture = useQuiverServer({}, { useBigInt: true });
const { types } = neo4j;

/** Values a property can hold: compared with toEqual after the round trip. */
const PLAIN: ReadonlyArray<readonly [string, unknown]> = [
  ['true', true],
  ['a small integer', -17n],
  ['an integer beyond 2^53', 2n ** 62n + 1n],
  ['the smallest 64-bit integer', -(2n ** 63n)],
  ['the largest 64-bit integer', 2n ** 63n - 1n],
  ['a float', 0.1],
  ['a float with an exponent', -1.5e300],
  ['negative infinity', -Infinity],
  ['the empty string', ''],
  ['a string with non-ASCII text', 'Größe ✓ 日本語 🎉'],
  ['a long string', 'ab'.repeat(50_000)],
  // The driver hands byte arrays back as Int8Array.
  ['bytes', new Int8Array([0, 1, 127, -128, -1])],
  ['a list of integers', [1n, 2n, 2n ** 60n]],
  ['a list of strings', ['a', 'ü', '']],
  ['a list of floats', [1.5, -0.25]],
];

/** Temporal and spatial values: the driver's text form names every field, offset and zone. */
const STRUCTURED: ReadonlyArray<readonly [string, object]> = [
  ['a Date', new types.Date(2024, 2, 29)],
  ['a Date before 1970', new types.Date(1066, 10, 14)],
  ['a Time with offset', new types.Time(12, 30, 15, 5, 3600)],
  ['a LocalTime', new types.LocalTime(23, 59, 59, 999_999_999)],
  ['a LocalDateTime', new types.LocalDateTime(1969, 7, 20, 20, 17, 40, 0)],
  ['a DateTime with offset', new types.DateTime(2000, 1, 1, 12, 0, 0, 0, -18_000)],
  ['a DateTime with zone', new types.DateTime(2020, 6, 24, 14, 0, 0, 0, 7200,
    'Europe/Stockholm')],
  ['a Duration', new types.Duration(14, -3, 59, 7)],
  ['a 2D cartesian Point', new types.Point(7203n, 1.5, -2)],
  ['a 3D WGS-84 Point', new types.Point(4979n, 12.5, 55.75, 30)],
];

async function echo(value: unknown): Promise<unknown> {
  const { records } = await fixture().driver.executeQuery('RETURN $x AS x', { x: value });
  expect(records).toHaveLength(1);
  return records[0]?.get('x');
}

let stored = 0;
/** CREATE in one transaction, MATCH in the next: the value survived the store's encoding. */
async function storeAndRead(value: unknown): Promise<unknown> {
  const { driver } = fixture();
  const key = `k${++stored}`;
  await driver.executeQuery('CREATE (:Value {key: $key, x: $x})', { key, x: value });
  const { records } = await driver.executeQuery('MATCH (v:Value {key: $key}) RETURN v.x AS x',
    { key }, { routing: neo4j.routing.READ });
  expect(records).toHaveLength(1);
  return records[0]?.get('x');
}

/** The driver decodes temporal fields to bigint here; the class and the ISO text must match. */
function expectSameStructure(actual: unknown, expected: object): void {
  expect(actual).toBeInstanceOf(expected.constructor);
  expect(String(actual)).toBe(String(expected));
}

describe('values through RETURN $x', () => {
  it.each(PLAIN)('returns %s unchanged', async (_name, value) => {
    expect(await echo(value)).toEqual(value);
  });

  it('returns null, NaN, nested lists and maps unchanged', async () => {
    expect(await echo(null)).toBeNull();
    expect(await echo(NaN)).toBeNaN();
    const nested = [1n, 'two', [3.5, [null]], { a: { b: [true] } }];
    expect(await echo(nested)).toEqual(nested);
    const map = { name: 'Ann', tags: ['x'], inner: { depth: 2n }, 'key with space': null };
    expect(await echo(map)).toEqual(map);
  });

  it.each(STRUCTURED)('returns %s unchanged', async (_name, value) => {
    expectSameStructure(await echo(value), value);
  });

  it('returns a list of temporal values', async () => {
    const dates = [new types.Date(2001, 1, 1), new types.Date(2002, 2, 2)];
    const back = await echo(dates);
    expect(Array.isArray(back)).toBe(true);
    expect((back as unknown[]).map(String)).toEqual(['2001-01-01', '2002-02-02']);
  });
});

describe('values stored as properties', () => {
  it.each(PLAIN)('stores and reads back %s', async (_name, value) => {
    expect(await storeAndRead(value)).toEqual(value);
  });

  it.each(STRUCTURED)('stores and reads back %s', async (_name, value) => {
    expectSameStructure(await storeAndRead(value), value);
  });

  it('stores a whole map of properties with SET n = $map and returns them by properties()',
    async () => {
      const { driver } = fixture();
      const props = { i: 2n ** 62n, s: 'ø', b: new Int8Array([9]), l: [1.5],
        d: new types.Date(2024, 1, 31) };
      await driver.executeQuery('CREATE (n:Whole) SET n = $props', { props });
      const { records } = await driver.executeQuery('MATCH (n:Whole) RETURN properties(n) AS p');
      const back = records[0]?.get('p') as Record<string, unknown>;
      expect({ ...back, d: String(back.d) }).toEqual({ ...props, d: '2024-01-31' });
    });

  it('refuses maps and mixed lists as property values with a TypeError', async () => {
    const { driver } = fixture();
    const typeError = { code: 'Neo.ClientError.Statement.TypeError' };
    await expect(driver.executeQuery('CREATE (:Bad {x: $x})', { x: { a: 1n } }))
      .rejects.toMatchObject(typeError);
    await expect(driver.executeQuery('CREATE (:Bad {x: $x})', { x: [1n, 'two'] }))
      .rejects.toMatchObject(typeError);
    const { records } = await driver.executeQuery('MATCH (b:Bad) RETURN count(b) AS n');
    expect(records[0]?.get('n')).toBe(0n);
  });
});

describe('graph entities', () => {
  it('returns nodes, relationships and paths whose element ids agree', async () => {
    const { driver } = fixture();
    const { records } = await driver.executeQuery(
      'CREATE p = (a:Person {name: "Ann"})-[r:KNOWS {since: 2001}]->' +
      '(b:Person:Admin {name: "Bo"}) RETURN a, r, b, p');
    const record = records[0];
    const a = record?.get('a') as InstanceType<typeof types.Node>;
    const r = record?.get('r') as InstanceType<typeof types.Relationship>;
    const b = record?.get('b') as InstanceType<typeof types.Node>;
    const p = record?.get('p') as InstanceType<typeof types.Path>;
    expect(a).toMatchObject({ labels: ['Person'], properties: { name: 'Ann' } });
    expect([...b.labels].sort()).toEqual(['Admin', 'Person']);
    expect(r).toMatchObject({ type: 'KNOWS', properties: { since: 2001n },
      startNodeElementId: a.elementId, endNodeElementId: b.elementId });
    expect(a.elementId).not.toBe(b.elementId);
    expect(p.length).toBe(1);
    expect(p.start.elementId).toBe(a.elementId);
    expect(p.end.elementId).toBe(b.elementId);
    expect(p.segments[0]?.relationship.elementId).toBe(r.elementId);
  });

  it('finds a node again by the element id it was returned with', async () => {
    const { driver } = fixture();
    const created = await driver.executeQuery('CREATE (n:Findable {k: 1}) RETURN n');
    const node = created.records[0]?.get('n') as InstanceType<typeof types.Node>;
    const { records } = await driver.executeQuery(
      'MATCH (n) WHERE elementId(n) = $id RETURN n.k AS k', { id: node.elementId });
    expect(records.map((x) => x.get('k') as unknown)).toEqual([1n]);
  });
});
