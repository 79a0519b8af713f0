import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkStoreConsistency } from '../../src/admin/consistency-check.js';
import { checkSnapshotBytes } from '../../src/admin/snapshot-check.js';
import type { ChangeSet } from '../../src/graph/changeset.js';
import { Database } from '../../src/index.js';
import type { RangeBound, ValueRange } from '../../src/graph/ordered-index.js';
import {
  encodeProperty, indexKeyText, indexKeyValue, propertyIndexKey,
} from '../../src/graph/property-codec.js';
import { writeSnapshot } from '../../src/graph/snapshot.js';
import { GraphStore } from '../../src/graph/store.js';
import type { GraphReader, NodeId } from '../../src/graph/types.js';
import type { PropertyValue, Value } from '../../src/graph/values.js';
import { WriteTx } from '../../src/graph/write-tx.js';
import { allocator, commit } from './commit-helper.js';

const TWO_60 = 2n ** 60n;
const TWO_53 = 2n ** 53n;
const SAFE_MAX = Number.MAX_SAFE_INTEGER;

/**
 * Values an equality seek must find together, group by group, and apart from every other
 * group: integers and floats that are equal in Cypher, zeros of either sign, integers on both
 * sides of 2^53, strings and booleans that print like numbers, and lists of them. A NaN finds
 * NaN (the index keys it as one value; Cypher's MATCH drops it after the seek).
 */
const GROUPS: readonly (readonly PropertyValue[])[] = [
  [1n, 1.0], [1.5], [TWO_60, 2 ** 60], [TWO_60 + 1n], [-TWO_60, -(2 ** 60)], [-0, 0n, 0.0],
  [Number.NaN], [Infinity], [-Infinity], [TWO_53, 2 ** 53], [TWO_53 + 1n],
  [BigInt(SAFE_MAX), SAFE_MAX], [BigInt(-SAFE_MAX), -SAFE_MAX], ['1'], ['n1'], ['1.5'],
  ['NaN'], ['T'], [true], [false], [[1n, 2n], [1.0, 2.0]], [['1', '2']], [[Number.NaN]],
  [[Infinity]], [[-0], [0n]], [[TWO_60], [2 ** 60]],
];

const ALL = GROUPS.flat();

/** The ids of the nodes made from ALL (in order) whose value is in `group`. */
function idsOf(group: readonly PropertyValue[]): NodeId[] {
  return ALL.flatMap((v, i) => (group.includes(v) ? [i] : []));
}

function indexedStore(): GraphStore {
  const store = new GraphStore();
  commit(store, (tx) => {
    tx.createIndex({ name: 'p_v', kind: 'RANGE', entity: 'NODE', labelOrType: 'P',
      properties: ['v'] }, false);
  });
  return store;
}

function sorted(found: Iterable<NodeId> | null): NodeId[] {
  expect(found).not.toBeNull();
  return [...(found ?? [])].sort((a, b) => a - b);
}

/** What a label scan finds for `value`, comparing values by their keys before this change. */
function scan(graph: GraphReader, value: PropertyValue): NodeId[] {
  const wanted = textKeyBefore(value);
  return sorted([...graph.nodesByLabel('P')].filter((id) => {
    const v = graph.nodeProperty(id, 'v');
    return v !== null && textKeyBefore(v as PropertyValue) === wanted;
  }));
}

/** The key text of a value as it was before numbers were their own keys. */
function textKeyBefore(value: PropertyValue): string {
  if (typeof value === 'bigint') return `n${value.toString()}`;
  if (typeof value === 'number') {
    return Number.isInteger(value) ? `n${BigInt(value).toString()}` : `n${value}`;
  }
  if (typeof value === 'string') return `s${value}`;
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  if (Array.isArray(value)) return `l${JSON.stringify(value.map(textKeyBefore))}`;
  throw new Error('textKeyBefore: not used for other values');
}

describe('index keys of numbers', () => {
  it('key a number as itself within 2^53 and as the same text as before past it', () => {
    expect(propertyIndexKey(7n)).toBe(7);
    expect(propertyIndexKey(-0)).toBe(0);
    expect(propertyIndexKey(1.5)).toBe(1.5);
    expect(propertyIndexKey(BigInt(SAFE_MAX))).toBe(SAFE_MAX);
    expect(propertyIndexKey(TWO_53)).toBe('n9007199254740992');
    expect(propertyIndexKey(2 ** 53)).toBe('n9007199254740992');
    expect(propertyIndexKey('7')).toBe('s7');
    const number = fc.oneof(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), fc.double(),
      fc.integer(), fc.constantFrom(-0, 0, 2 ** 53, -(2 ** 53), 2 ** 53 - 1, 2 ** 60));
    fc.assert(fc.property(fc.oneof(number, fc.array(number, { maxLength: 3 })), (v) => {
      expect(indexKeyText(propertyIndexKey(v))).toBe(textKeyBefore(v));
    }), { numRuns: 2000 });
  });

  it('map every key back to a value under that key (the ordered index reads them so)', () => {
    for (const v of ALL) {
      const key = propertyIndexKey(v);
      expect(propertyIndexKey(indexKeyValue(key))).toEqual(key);
    }
  });
});

describe('equality seeks through number keys', () => {
  it('find the same nodes as a label scan in a committed view', () => {
    const store = indexedStore();
    commit(store, (tx) => { for (const v of ALL) tx.createNode(['P'], new Map([['v', v]])); });
    const view = store.openView();
    for (const group of GROUPS) {
      for (const probe of group) {
        expect(sorted(view.seekNodes('P', 'v', probe))).toEqual(idsOf(group));
        expect(scan(view, probe)).toEqual(idsOf(group));
      }
    }
    view.close();
  });

  it('find committed and draft nodes alike inside an open write transaction', () => {
    const store = indexedStore();
    const half = Math.floor(ALL.length / 2);
    commit(store, (tx) => {
      for (const v of ALL.slice(0, half)) tx.createNode(['P'], new Map([['v', v]]));
    });
    const view = store.openView();
    const tx = new WriteTx(view, allocator(store));
    for (const v of ALL.slice(half)) tx.createNode(['P'], new Map([['v', v]]));
    // A committed node moved to another value is found under its new value only.
    tx.setNodeProperty(0, 'v', 'moved');
    for (const group of GROUPS) {
      const expected = idsOf(group).filter((id) => id !== 0);
      for (const probe of group) {
        expect(sorted(tx.seekNodes('P', 'v', probe))).toEqual(expected);
        expect(scan(tx, probe)).toEqual(expected);
      }
    }
    expect(sorted(tx.seekNodes('P', 'v', 'moved'))).toEqual([0]);
    view.close();
  });

  it('find nothing for a value no node holds, of any type', () => {
    const store = indexedStore();
    commit(store, (tx) => { for (const v of ALL) tx.createNode(['P'], new Map([['v', v]])); });
    const view = store.openView();
    for (const absent of [2n, 2.0, 's1', '0', [1n], 2n ** 61n, 0.5]) {
      expect(sorted(view.seekNodes('P', 'v', absent))).toEqual([]);
    }
    view.close();
  });
});

function between(lower: RangeBound | null, upper: RangeBound | null): ValueRange {
  return { kind: 'between', lower, upper };
}

describe('range seeks over number keys', () => {
  it('order integers, floats and integers past 2^53 together, exactly', () => {
    const store = indexedStore();
    const values: PropertyValue[] = [1n, 1.5, 2, TWO_53, TWO_53 + 1n, 2 ** 60, TWO_60 + 1n, -0,
      -3n, Number.NaN, Infinity, '5', true];
    commit(store, (tx) => { for (const v of values) tx.createNode(['P'], new Map([['v', v]])); });
    const view = store.openView();
    const seek = (range: ValueRange): NodeId[] => sorted(view.seekNodesInRange?.('P', 'v', range)
      ?? null);
    expect(seek(between({ value: 1n, inclusive: true }, { value: 2n, inclusive: true })))
      .toEqual([0, 1, 2]);
    expect(seek(between({ value: TWO_53, inclusive: false }, { value: 2 ** 60, inclusive: true })))
      .toEqual([4, 5]);
    expect(seek(between({ value: TWO_60, inclusive: false }, null))).toEqual([6, 10]);
    expect(seek(between(null, { value: 0n, inclusive: true }))).toEqual([7, 8]);
    expect(seek(between({ value: 0.0, inclusive: true }, { value: 0n, inclusive: true })))
      .toEqual([7]);
    view.close();
  });
});

async function outcome(db: Database, query: string): Promise<string> {
  try {
    await db.run(query);
    return 'ok';
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

async function ids(db: Database, query: string, params: Record<string, Value>):
  Promise<Value[]> {
  const result = await db.run(query, new Map(Object.entries(params)));
  return result.records.map((r) => r[0] ?? null).sort();
}

describe('uniqueness and MATCH with number keys', () => {
  it('reject a value equal to a unique one whatever its type, and only such a value', async () => {
    const db = await Database.open(null);
    await db.run('CREATE CONSTRAINT u FOR (n:U) REQUIRE n.v IS UNIQUE');
    const firsts = ['1', '2.5', `${TWO_60}`, '0', '0.0/0.0', '[1, 2]', "'1'", 'true',
      `${TWO_53 + 1n}`];
    for (const v of firsts) expect(await outcome(db, `CREATE (:U {v: ${v}})`)).toBe('ok');
    const equal = ['1.0', '2.5', `toFloat(${TWO_60})`, '-0.0', '0.0/0.0', '[1.0, 2.0]', "'1'",
      'true'];
    for (const v of equal) {
      expect(await outcome(db, `CREATE (:U {v: ${v}})`)).toMatch(/already exists with label/);
    }
    const apart = ["'2.5'", "'n1'", '[1, 3]', `${TWO_60 + 1n}`, `${TWO_53}`, 'false', '1.5'];
    for (const v of apart) expect(await outcome(db, `CREATE (:U {v: ${v}})`)).toBe('ok');
    expect((await db.run('MATCH (n:U) RETURN count(n)')).records).toEqual([[16n]]);
    await db.close();
  });

  it('reject two equal values created by one transaction', async () => {
    const db = await Database.open(null);
    await db.run('CREATE CONSTRAINT u FOR (n:U) REQUIRE n.v IS UNIQUE');
    expect(await outcome(db, 'CREATE (:U {v: 7}), (:U {v: 7.0})'))
      .toMatch(/already exists with label/);
    expect(await outcome(db, "CREATE (:U {v: 7}), (:U {v: '7'})")).toBe('ok');
    await db.close();
  });

  it('keep composite keys apart when a string holds what once separated them', async () => {
    const db = await Database.open(null);
    await db.run('CREATE CONSTRAINT k FOR (n:K) REQUIRE (n.a, n.b) IS NODE KEY');
    expect(await outcome(db, "CREATE (:K {a: 'a\\u0000sb', b: 'c'})")).toBe('ok');
    expect(await outcome(db, "CREATE (:K {a: 'a', b: 'b\\u0000sc'})")).toBe('ok');
    expect(await outcome(db, 'CREATE (:K {a: 1, b: 2})')).toBe('ok');
    expect(await outcome(db, 'CREATE (:K {a: 1.0, b: 2.0})')).toMatch(/already exists/);
    await db.close();
  });

  it('MATCH the same nodes through the index as through a label scan', async () => {
    const db = await Database.open(null);
    await db.run('CREATE INDEX p_v FOR (n:P) ON (n.v)');
    const values: Value[] = [1n, 1.0, 1.5, TWO_60, 2 ** 60, TWO_60 + 1n, -0, 0n, Number.NaN,
      '1', true, [1n, 2n], [1.0, 2.0], ['1', '2']];
    await db.run('UNWIND range(0, size($vs) - 1) AS i CREATE (:P {v: $vs[i], i: i}), ' +
      '(:Q {v: $vs[i], i: i})', new Map([['vs', values]]));
    const plan = await db.run('EXPLAIN MATCH (n:P {v: $x}) RETURN n.i', new Map([['x', 1n]]));
    expect(JSON.stringify(plan.summary.plan, (_, v: unknown) =>
      typeof v === 'bigint' ? Number(v) : v)).toMatch(/NodeIndexSeek/);
    for (const x of [...values, 2n, 'x']) {
      const viaIndex = await ids(db, 'MATCH (n:P {v: $x}) RETURN n.i', { x });
      expect(viaIndex).toEqual(await ids(db, 'MATCH (n:Q {v: $x}) RETURN n.i', { x }));
      const inTx = await db.begin();
      const r = inTx.run('CREATE (:P {v: $x, i: -1}) WITH 1 AS one MATCH (n:P {v: $x}) ' +
        'RETURN n.i', new Map([['x', x]]));
      const found: Value[] = [];
      for (let row = r.next(); row !== null; row = r.next()) found.push(row[0] ?? null);
      await inTx.rollback();
      // NaN equals nothing in Cypher, not even the NaN just created.
      expect(found.sort()).toEqual(Number.isNaN(x) ? [] : [...viaIndex, -1n].sort());
    }
    await db.close();
  });
});

describe('quiver-admin checks of unique values', () => {
  it('report the same pairs of Cypher-equal values in a store and in its snapshot', () => {
    // Restored as a follower would, without the commit's check: the checks must find them.
    const values: PropertyValue[] = [1n, 1.0, '1', Number.NaN, Number.NaN, -0, 0n, TWO_60,
      2 ** 60, TWO_60 + 1n, [1n], [1.0], true];
    const cs: ChangeSet = {
      nodes: values.map((v, id) => ({ op: 'create' as const, id, labels: ['U'],
        props: [['v', encodeProperty(v)]] })),
      rels: [],
      schema: [{ op: 'createConstraint', constraint: { name: 'u', kind: 'UNIQUENESS',
        entity: 'NODE', labelOrType: 'U', properties: ['v'] } }],
    };
    const store = new GraphStore();
    store.restore(cs, 3);
    const pairs = ['0 and 1', '3 and 4', '5 and 6', '7 and 8', '10 and 11'].map((p) =>
      `Constraint u: nodes ${p} share the value of :U.v`);
    expect(checkStoreConsistency(store).problems).toEqual(pairs);
    const view = store.openView();
    const bytes = Buffer.concat([...writeSnapshot(store, view, [])]);
    view.close();
    expect(checkSnapshotBytes(bytes)?.problems).toEqual(pairs);
  });

  it('report a node missing from a unique index whose number key names another node', () => {
    const store = indexedStore();
    commit(store, (tx) => {
      tx.createConstraint({ name: 'u', kind: 'UNIQUENESS', entity: 'NODE', labelOrType: 'U',
        properties: ['v'] }, false);
    });
    commit(store, (tx) => {
      tx.createNode(['U'], new Map([['v', 1n]]));
      tx.createNode(['U'], new Map([['v', 2.0]]));
    });
    expect(checkStoreConsistency(store).problems).toEqual([]);
    store.propertyIndexes.get('u')?.set(propertyIndexKey(2n), 0);
    expect(checkStoreConsistency(store).problems).toEqual(['Index u is missing node 1 (:U.v)']);
  });
});
