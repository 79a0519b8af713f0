import { describe, expect, it } from 'vitest';
import {
  compareForOrder, compareValues, cypherEquals, valueKey,
} from '../../src/cypher/values/compare.js';
import { NodeRef, PathRef, RelRef, type Value } from '../../src/graph/values.js';
import { call, map } from './helpers.js';

const NaN_ = 0.0 / 0.0;

describe('equality (=)', () => {
  it.each<[Value, Value, boolean | null]>([
    [[1n, 2n], [1n], false],
    [[null], [1n], null],
    [['a'], [1n], false],
    [[[1n]], [[1n], [null]], false],
    [[[1n], [2n]], [[1n], [null]], null],
    [[[1n], [2n, 3n]], [[1n], [null]], false],
  ])('compares lists elementwise: %s = %s', (a, b, expected) => {
    expect(cypherEquals(a, b)).toBe(expected);
  });

  it.each<[Record<string, Value>, Record<string, Value>, boolean | null]>([
    [{}, {}, true],
    [{ k: 1.0 }, { k: 1.0 }, true],
    [{ k: 'a', l: 2n }, { k: 'a', l: 2n }, true],
    [{}, { k: null }, false],
    [{ k: 1n }, { k: 1n, l: null }, false],
    [{ k: null }, { k: null, l: null }, false],
    [{ k: null }, { k: null }, null],
    [{ k: 1n, l: null }, { k: null, l: 1n }, null],
    [{ k: 1n, l: null }, { k: 1n, l: 1n }, null],
  ])('compares maps by keys, then values: %s = %s', (a, b, expected) => {
    expect(cypherEquals(map(a), map(b))).toBe(expected);
  });

  it('treats NaN as equal to nothing, not even NaN', () => {
    for (const other of [1n, 1.0, NaN_, 'a']) expect(cypherEquals(NaN_, other)).toBe(false);
  });

  it('equates integers and floats by value but never strings and numbers', () => {
    expect(cypherEquals(1n, 1.0)).toBe(true);
    expect(cypherEquals('1.0', 1.0)).toBe(false);
    expect(cypherEquals('1', 1n)).toBe(false);
  });

  it('compares large integers exactly', () => {
    expect(cypherEquals(4611686018427387905n, 4611686018427387900n)).toBe(false);
    expect(cypherEquals(2n ** 53n + 1n, 2 ** 53)).toBe(false);
  });

  it('is unknown when null takes part', () => {
    expect(cypherEquals(null, null)).toBeNull();
    expect(cypherEquals(1n, null)).toBeNull();
  });

  it('compares entities by identity and paths by their elements', () => {
    expect(cypherEquals(new NodeRef(1), new NodeRef(1))).toBe(true);
    expect(cypherEquals(new NodeRef(1), new RelRef(1))).toBe(false);
    const loop = new PathRef([new NodeRef(0), new NodeRef(0)], [new RelRef(0)]);
    const same = new PathRef([new NodeRef(0), new NodeRef(0)], [new RelRef(0)]);
    expect(cypherEquals(loop, same)).toBe(true);
  });

  it('tells datetimes in different zones apart, yet orders them by instant', () => {
    const a = call('datetime', ['2020-01-01T01:00+01:00']);
    const b = call('datetime', ['2020-01-01T00:00Z']);
    expect(cypherEquals(a, b)).toBe(false);
    expect(compareValues(a, b)).not.toBeLessThan(0);
  });
});

describe('comparability (< <= > >=)', () => {
  it.each<[Value, Value, boolean | null]>([
    [[1n, 0n], [1n], true],
    [[1n, null], [1n], true],
    [[1n, 2n], [1n, null], null],
    [[1n, 'a'], [1n, null], null],
    [[1n, 2n], [3n, null], false],
  ])('compares lists lexicographically: %s >= %s', (a, b, expected) => {
    const c = compareValues(a, b);
    expect(c === null ? null : c >= 0).toBe(expected);
  });

  it('makes every comparison with NaN false, and NaN with a string null', () => {
    for (const other of [1n, 1.0, NaN_]) {
      const c = compareValues(NaN_, other);
      expect(c).not.toBeNull();
      const n = c as number;
      expect([n < 0, n <= 0, n > 0, n >= 0]).toEqual([false, false, false, false]);
    }
    expect(compareValues(NaN_, 'a')).toBeNull();
  });

  it('compares across types as null, except integers with floats', () => {
    expect(compareValues(1n, 3.14)).toBeLessThan(0);
    expect(compareValues('1', 1n)).toBeNull();
    expect(compareValues(true, 1n)).toBeNull();
    expect(compareValues(map({}), map({}))).toBeNull();
  });

  it('compares strings and booleans', () => {
    expect(compareValues('a', 'b')).toBeLessThan(0);
    expect(compareValues('B', 'a')).toBeLessThan(0);
    expect(compareValues(false, true)).toBeLessThan(0);
  });

  it('compares zoned times by their instant', () => {
    const t = (s: string): Value => call('time', [s]);
    expect(compareValues(t('12:35:15+05:00'), t('12:30:14.645876123+01:01'))).toBeLessThan(0);
    expect(compareValues(t('12:31:14.645876123+01:00'), t('10:35-08:00'))).toBeLessThan(0);
  });
});

describe('orderability (ORDER BY)', () => {
  it('orders distinct types as Cypher does', () => {
    const node = new NodeRef(0);
    const rel = new RelRef(0);
    const path = new PathRef([node, new NodeRef(1)], [rel]);
    const values: Value[] = [node, rel, path, 1.5, ['list'], 'text', null, false, NaN_,
      map({ a: 'map' })];
    const sorted = [...values].sort(compareForOrder);
    expect(sorted).toEqual([map({ a: 'map' }), node, rel, ['list'], path, 'text', false, 1.5,
      NaN_, null]);
  });

  it('orders temporal types before strings, each by its own timeline', () => {
    const d1 = call('date', ['1910-05-06']);
    const d2 = call('date', ['1980-12-24']);
    const dt = call('datetime', ['1980-12-24T00:00Z']);
    expect([d2, 'x', dt, d1].sort(compareForOrder)).toEqual([dt, d1, d2, 'x']);
  });

  it('orders mixed integers and floats numerically', () => {
    expect([1n, 2.0, 5n, 3.2, 0.1].sort(compareForOrder)).toEqual([0.1, 1n, 2.0, 3.2, 5n]);
  });

  it('orders lists elementwise, shorter first on a tie', () => {
    expect([[2n, 1n], [2n], [1n]].sort(compareForOrder)).toEqual([[1n], [2n], [2n, 1n]]);
  });
});

describe('grouping keys (DISTINCT)', () => {
  it('makes equivalent values one key', () => {
    expect(valueKey(1n)).toBe(valueKey(1.0));
    expect(valueKey([1n, null])).toBe(valueKey([1.0, null]));
    expect(valueKey(NaN_)).toBe(valueKey(NaN_));
    expect(valueKey(map({ a: 1n, b: 2n }))).toBe(valueKey(map({ b: 2n, a: 1n })));
  });

  it('keeps different values apart', () => {
    expect(valueKey('1')).not.toBe(valueKey(1n));
    expect(valueKey(1.5)).not.toBe(valueKey(1n));
    expect(valueKey(new NodeRef(1))).not.toBe(valueKey(new RelRef(1)));
    expect(valueKey(null)).not.toBe(valueKey('null'));
  });
});
