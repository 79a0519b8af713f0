import { describe, expect, it } from 'vitest';
import { add, div, mod, mul, negate, pow, sub } from '../../src/cypher/values/arithmetic.js';
import { formatValue } from '../../src/cypher/values/format.js';
import { QuiverError } from '../../src/errors/quiver-error.js';
import { StatusCode } from '../../src/errors/status-codes.js';
import { call, map } from './helpers.js';

const MAX = 9223372036854775807n;
const MIN = -9223372036854775808n;

function errorOf(f: () => unknown): QuiverError {
  try {
    f();
  } catch (e) {
    if (e instanceof QuiverError) return e;
    throw e;
  }
  throw new Error('expected a QuiverError');
}

describe('numeric operators', () => {
  it('keeps integer arithmetic exact and in precedence examples', () => {
    const r1 = sub(mul(div(12n, 4n), 3n), mul(2n, 4n));
    expect(r1).toBe(1n);
    expect(mul(div(12n, 4n), sub(3n, mul(2n, 4n)))).toBe(-15n);
    expect(add(99n, 5n)).toBe(104n);
  });

  it('divides integers towards zero and takes the sign of the dividend for %', () => {
    expect(div(7n, 2n)).toBe(3n);
    expect(div(-7n, 2n)).toBe(-3n);
    expect(mod(-7n, 2n)).toBe(-1n);
    expect(mod(7.5, 2n)).toBe(1.5);
  });

  it('gives floats when a float takes part, and always for ^', () => {
    expect(add(1n, 0.5)).toBe(1.5);
    expect(div(1n, 2.0)).toBe(0.5);
    expect(pow(2n, 3n)).toBe(8);
    expect(typeof pow(2n, 3n)).toBe('number');
  });

  it('refuses integer division and modulo by zero, but not float division', () => {
    expect(errorOf(() => div(1n, 0n)).code).toBe(StatusCode.ArithmeticError);
    expect(errorOf(() => mod(1n, 0n)).message).toBe('/ by zero');
    expect(div(1.0, 0n)).toBe(Infinity);
    expect(Number.isNaN(div(0.0, 0.0))).toBe(true);
  });

  it('detects 64-bit overflow on every integer operation', () => {
    for (const f of [() => add(MAX, 1n), () => sub(MIN, 1n), () => mul(MAX, 2n),
      () => negate(MIN), () => div(MIN, -1n)]) {
      const e = errorOf(f);
      expect(e.code).toBe(StatusCode.ArithmeticError);
      expect(e.message).toBe('long overflow');
    }
    expect(add(MAX - 1n, 1n)).toBe(MAX);
  });

  it('propagates null', () => {
    for (const op of [add, sub, mul, div, mod, pow]) expect(op(null, 1n)).toBeNull();
    expect(negate(null)).toBeNull();
  });

  it('rejects operands of the wrong type with a TypeError', () => {
    expect(errorOf(() => sub('a', 1n)).code).toBe(StatusCode.TypeError);
    expect(errorOf(() => add(map({}), 1n)).message).toBe('Cannot add `Map` and `Integer`');
    expect(errorOf(() => negate('a')).code).toBe(StatusCode.TypeError);
  });
});

describe('+ on strings and lists', () => {
  it('concatenates strings with numbers and booleans in their printed form', () => {
    expect(add('a', 'b')).toBe('ab');
    expect(add('a', 1n)).toBe('a1');
    expect(add(1.5, 'a')).toBe('1.5a');
    expect(add('x', 1.0)).toBe('x1.0');
    expect(add('x', true)).toBe('xtrue');
  });

  it('joins lists and appends or prepends single values', () => {
    expect(add([1n], [2n, 3n])).toEqual([1n, 2n, 3n]);
    expect(add([1n], 2n)).toEqual([1n, 2n]);
    expect(add('a', [1n])).toEqual(['a', 1n]);
  });
});

describe('temporal arithmetic', () => {
  const d = (s: string) => call('duration', [s]);

  it('adds months with the day clamped to the end of the month', () => {
    expect(formatValue(add(call('date', ['2012-01-31']), d('P1M')))).toBe('2012-02-29');
    expect(formatValue(sub(call('date', ['2012-03-31']), d('P1M')))).toBe('2012-02-29');
  });

  it('adds whole days of a duration\'s time part to a date', () => {
    expect(formatValue(add(call('date', ['2020-01-01']), d('PT49H')))).toBe('2020-01-03');
  });

  it('wraps times around midnight and ignores months and days', () => {
    expect(formatValue(add(call('localtime', ['23:00']), d('P1DT2H')))).toBe('01:00');
    expect(formatValue(add(call('time', ['23:00+01:00']), d('PT1H30M')))).toBe('00:30+01:00');
  });

  it('moves datetimes in a region across a daylight-saving change by the instant', () => {
    const before = call('datetime', ['2020-03-29T01:30[Europe/Stockholm]']);
    expect(formatValue(add(before, d('PT1H'))))
      .toBe('2020-03-29T03:30+02:00[Europe/Stockholm]');
    expect(formatValue(add(before, d('P1D'))))
      .toBe('2020-03-30T01:30+02:00[Europe/Stockholm]');
  });

  it('adds, negates, multiplies and divides durations', () => {
    expect(formatValue(add(d('P1M'), d('P1DT1H')))).toBe('P1M1DT1H');
    expect(formatValue(sub(d('PT1H'), d('PT90M')))).toBe('PT-30M');
    expect(formatValue(negate(d('PT0.5S')))).toBe('PT-0.5S');
    expect(formatValue(mul(d('P1DT1H'), 2n))).toBe('P2DT2H');
    expect(formatValue(mul(0.5, d('P1D')))).toBe('PT12H');
    expect(formatValue(div(d('P1M'), 2n))).toBe('P15DT5H14M33S');
  });

  it('adds a duration to a local datetime across month ends', () => {
    const ldt = call('localdatetime', ['2015-01-31T23:30']);
    expect(formatValue(add(ldt, d('P1MT1H')))).toBe('2015-03-01T00:30');
  });
});
