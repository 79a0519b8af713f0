import { describe, expect, it } from 'vitest';
import { LIST_ELEMENTS_MAX } from '../../src/cypher/values/value-size.js';
import { StatusCode } from '../../src/errors/status-codes.js';
import { NodeRef, type Value } from '../../src/graph/values.js';
import { call, map } from './helpers.js';

describe('list functions', () => {
  it('builds ranges with steps in either direction', () => {
    expect(call('range', [0n, 5n])).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
    expect(call('range', [0n, 10n, 3n])).toEqual([0n, 3n, 6n, 9n]);
    expect(call('range', [5n, 0n, -2n])).toEqual([5n, 3n, 1n]);
    expect(call('range', [5n, 0n])).toEqual([]);
    expect((call('range', [1000000n, 2000000n]) as Value[]).length).toBe(1000001);
  });

  it('refuses a zero step and a range beyond its bound', () => {
    expect(() => call('range', [0n, 5n, 0n]))
      .toThrow(expect.objectContaining({ code: StatusCode.ArgumentError }));
    expect(() => call('range', [0n, BigInt(LIST_ELEMENTS_MAX)]))
      .toThrow(/listElementsMax/);
  });

  it('takes heads, lasts and tails, null for an empty list', () => {
    expect(call('head', [[1n, 2n]])).toBe(1n);
    expect(call('head', [[]])).toBeNull();
    expect(call('last', [[1n, 2n]])).toBe(2n);
    expect(call('tail', [[1n, 2n, 3n]])).toEqual([2n, 3n]);
    expect(call('tail', [[]])).toEqual([]);
  });

  it('measures, reverses and tests emptiness', () => {
    expect(call('size', [[1n, null]])).toBe(2n);
    expect(call('reverse', [[1n, 2n]])).toEqual([2n, 1n]);
    expect(call('isEmpty', [[]])).toBe(true);
    expect(call('isEmpty', [map({ a: 1n })])).toBe(false);
    expect(call('isEmpty', [''])).toBe(true);
    expect(() => call('size', [1n])).toThrow(expect.objectContaining({
      code: StatusCode.TypeError }));
  });

  it('coalesces to the first non-null argument', () => {
    expect(call('coalesce', [null, null, 'x', 'y'])).toBe('x');
    expect(call('coalesce', [null])).toBeNull();
  });
});

describe('conversion functions', () => {
  it('converts to integers, truncating floats and parsing text', () => {
    expect(call('toInteger', [82.9])).toBe(82n);
    expect(call('toInteger', ['1.7'])).toBe(1n);
    expect(call('toInteger', ['42'])).toBe(42n);
    expect(call('toInteger', ['9223372036854775807'])).toBe(9223372036854775807n);
    expect(call('toInteger', [true])).toBe(1n);
    expect(call('toInteger', ['foo'])).toBeNull();
    expect(call('toInteger', [''])).toBeNull();
  });

  it('converts to floats and booleans', () => {
    expect(call('toFloat', [3n])).toBe(3);
    expect(call('toFloat', ['5'])).toBe(5);
    expect(call('toFloat', ['1e3'])).toBe(1000);
    expect(call('toFloat', ['foo'])).toBeNull();
    expect(call('toFloat', [''])).toBeNull();
    expect(call('toBoolean', ['true'])).toBe(true);
    expect(call('toBoolean', ['FALSE'])).toBe(false);
    expect(call('toBoolean', [' tru '])).toBeNull();
    expect(call('toBoolean', [0n])).toBe(false);
  });

  it.each<[string, Value]>([
    ['toBoolean', 1.0], ['toBoolean', []], ['toInteger', map({})], ['toInteger', new NodeRef(0)],
    ['toFloat', true], ['toFloat', []], ['toString', []], ['toString', new NodeRef(0)],
  ])('%s fails on a value of the wrong type (%o)', (fn, value) => {
    expect(() => call(fn, [value])).toThrow(expect.objectContaining({
      code: StatusCode.TypeError, message: expect.stringContaining(`'${fn}()'`) }));
  });

  it('answers null instead of failing in the OrNull variants', () => {
    expect(call('toIntegerOrNull', [[]])).toBeNull();
    expect(call('toFloatOrNull', [true])).toBeNull();
    expect(call('toBooleanOrNull', [1.5])).toBeNull();
    expect(call('toStringOrNull', [map({})])).toBeNull();
    expect(call('toIntegerOrNull', ['7'])).toBe(7n);
  });

  it('prints values with toString', () => {
    expect(call('toString', [42n])).toBe('42');
    expect(call('toString', [2.3])).toBe('2.3');
    expect(call('toString', [1.0])).toBe('1.0');
    expect(call('toString', [true])).toBe('true');
    expect(call('toString', [call('duration', ['P1D'])])).toBe('P1D');
  });

  it('converts lists elementwise, with null for what cannot convert', () => {
    expect(call('toIntegerList', [[1n, '2', 'x', 2.9, []]])).toEqual([1n, 2n, null, 2n, null]);
    expect(call('toFloatList', [[1n, 'x']])).toEqual([1, null]);
    expect(call('toBooleanList', [['true', 0n, 1.5]])).toEqual([true, false, null]);
    expect(call('toStringList', [[1n, 1.5, [1n]]])).toEqual(['1', '1.5', null]);
    expect(call('toIntegerList', [null])).toBeNull();
  });
});
