import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareForOrder, cypherEquals, valueKey } from '../../src/cypher/values/compare.js';
import {
  civilOf, dayOfWeekOf, epochDayOf, epochDayOfWeekDate, isoWeekOf,
} from '../../src/cypher/values/temporal/calendar.js';
import type { Value } from '../../src/graph/values.js';

const scalar: fc.Arbitrary<Value> = fc.oneof(
  fc.constant(null), fc.boolean(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.double(), fc.integer({ min: -5, max: 5 }).map((n) => n + 0.0), fc.string({ maxLength: 3 }),
);
const value: fc.Arbitrary<Value> = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }));

describe('calendar arithmetic', () => {
  it('maps epoch days to dates and back for any day in ±3 million years', () => {
    fc.assert(fc.property(fc.integer({ min: -1_100_000_000, max: 1_100_000_000 }), (day) => {
      const c = civilOf(day);
      expect(epochDayOf(c.year, c.month, c.day)).toBe(day);
    }));
  });

  it('agrees with JavaScript dates where both are defined', () => {
    fc.assert(fc.property(fc.integer({ min: -100_000_000, max: 100_000_000 }), (day) => {
      const d = new Date(day * 86_400_000);
      const c = civilOf(day);
      expect([c.year, c.month, c.day])
        .toEqual([d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]);
      expect(dayOfWeekOf(day)).toBe(d.getUTCDay() === 0 ? 7 : d.getUTCDay());
    }));
  });

  it('maps ISO week dates back to the same day', () => {
    fc.assert(fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (day) => {
      const w = isoWeekOf(day);
      expect(epochDayOfWeekDate(w.weekYear, w.week, dayOfWeekOf(day))).toBe(day);
    }));
  });
});

describe('value order and keys', () => {
  it('orders any two values antisymmetrically', () => {
    fc.assert(fc.property(value, value, (a, b) => {
      expect(Math.sign(compareForOrder(a, b))).toBe(-Math.sign(compareForOrder(b, a)) || 0);
    }));
  });

  it('orders transitively', () => {
    fc.assert(fc.property(value, value, value, (a, b, c) => {
      const [x, y, z] = [a, b, c].sort(compareForOrder);
      expect(compareForOrder(x ?? null, z ?? null)).toBeLessThanOrEqual(0);
      expect(compareForOrder(x ?? null, y ?? null)).toBeLessThanOrEqual(0);
    }));
  });

  it('gives equal keys to values that are equal', () => {
    fc.assert(fc.property(value, value, (a, b) => {
      if (cypherEquals(a, b) === true) expect(valueKey(a)).toBe(valueKey(b));
    }));
  });
});
