/**
 * Aggregating functions. Every one skips nulls; over no values count and sum give 0, stDev and
 * stDevP 0.0, collect [], and avg, min, max and the percentiles null. sum and avg also work on
 * durations; integer sums are checked against 64 bits.
 */
import { QuiverError } from '../../errors/quiver-error.js';
import { Duration, type Value } from '../../graph/values.js';
import { add } from '../values/arithmetic.js';
import { compareForOrder, valueKey } from '../values/compare.js';
import { checkListGrowth } from '../values/value-size.js';
import { divideDuration, ZERO_DURATION } from '../values/temporal/duration.js';
import { typeName } from '../values/type-names.js';
import type { AggregateDef, Aggregator } from './registry.js';

function numericOrDuration(fn: string, v: Value): bigint | number | Duration {
  if (typeof v === 'bigint' || typeof v === 'number' || v instanceof Duration) return v;
  throw new QuiverError('TypeError',
    `${fn}() can only handle numerical values, duration, and null. Got ${typeName(v)}`);
}

function numeric(fn: string, v: Value): number {
  if (typeof v === 'bigint' || typeof v === 'number') return Number(v);
  throw new QuiverError('TypeError',
    `${fn}() can only handle numerical values and null. Got ${typeName(v)}`);
}

function sumAggregator(): Aggregator {
  let total: Value = null;
  return {
    add(v) {
      if (v === null) return;
      const x = numericOrDuration('sum', v);
      if (total === null) total = x;
      else if ((total instanceof Duration) !== (x instanceof Duration)) {
        throw new QuiverError('TypeError', 'sum() cannot mix number and duration');
      } else total = add(total, x);
    },
    result: () => total ?? 0n,
  };
}

function avgAggregator(): Aggregator {
  let count = 0;
  let mean = 0;
  let durationTotal: Value = null;
  return {
    add(v) {
      if (v === null) return;
      if ((typeof v === 'bigint' || typeof v === 'number') && durationTotal === null) {
        count++;
        // Running mean: no intermediate sum to overflow or lose precision on.
        mean += (Number(v) - mean) / count;
        return;
      }
      const x = numericOrDuration('avg', v);
      // Here x is a number after durations, or a duration, which must not follow numbers.
      if (!(x instanceof Duration) || (durationTotal === null && count > 0)) {
        throw new QuiverError('TypeError', 'avg() cannot mix number and duration');
      }
      count++;
      durationTotal = add(durationTotal ?? ZERO_DURATION, x);
    },
    result: () => {
      if (count === 0) return null;
      return durationTotal instanceof Duration ? divideDuration(durationTotal, count) : mean;
    },
  };
}

function extremeAggregator(sign: 1 | -1): Aggregator {
  let best: Value = null;
  return {
    add(v) {
      if (v === null) return;
      if (best === null || sign * compareForOrder(v, best) > 0) best = v;
    },
    result: () => best,
  };
}

function deviationAggregator(sample: boolean): Aggregator {
  let count = 0;
  let mean = 0;
  let squares = 0;
  return {
    add(v) {
      if (v === null) return;
      const x = numeric(sample ? 'stDev' : 'stDevP', v);
      count++;
      const delta = x - mean;
      mean += delta / count;
      squares += delta * (x - mean);
    },
    result: () => {
      const n = sample ? count - 1 : count;
      return n <= 0 ? 0 : Math.sqrt(squares / n);
    },
  };
}

function percentileArg(fn: string, extra: Value[]): number {
  const p = extra[0] ?? null;
  if (typeof p !== 'bigint' && typeof p !== 'number') {
    throw new QuiverError('TypeError', `${fn}(): the percentile must be a number`);
  }
  const x = Number(p);
  if (!(x >= 0 && x <= 1)) {
    throw new QuiverError('ArgumentError',
      `Invalid input '${x}' is not a valid argument, must be a number in the range 0.0 to 1.0`);
  }
  return x;
}

function percentileAggregator(fn: string, extra: Value[], continuous: boolean): Aggregator {
  const percentile = percentileArg(fn, extra);
  const values: (bigint | number)[] = [];
  return {
    add(v) {
      if (v === null) return;
      numeric(fn, v);
      values.push(v as bigint | number);
    },
    result: () => {
      if (values.length === 0) return null;
      const sorted = [...values].sort(compareForOrder);
      if (!continuous) {
        const index = percentile === 0 ? 0 : Math.ceil(percentile * sorted.length) - 1;
        return sorted[Math.max(0, index)] ?? null;
      }
      const position = percentile * (sorted.length - 1);
      const lower = Math.floor(position);
      const low = Number(sorted[lower] ?? 0);
      const high = Number(sorted[Math.ceil(position)] ?? 0);
      return low + (high - low) * (position - lower);
    },
  };
}

/** A plain number counts exactly to 2^53 rows, without a BigInt allocation per row. */
function countAggregator(): Aggregator {
  let count = 0;
  return {
    add(v) {
      if (v !== null) count++;
    },
    result: () => BigInt(count),
  };
}

function collectAggregator(): Aggregator {
  const items: Value[] = [];
  return {
    add(v) {
      if (v === null) return;
      checkListGrowth(items.length, 'collect()');
      items.push(v);
    },
    result: () => [...items],
  };
}

/** DISTINCT in front of any aggregate: each equivalent value is passed on once. */
export function distinctAggregator(inner: Aggregator): Aggregator {
  const seen = new Set<string>();
  return {
    add(v) {
      if (v === null) return;
      const key = valueKey(v);
      if (seen.has(key)) return;
      seen.add(key);
      inner.add(v);
    },
    result: () => inner.result(),
  };
}

export const AGGREGATES: readonly AggregateDef[] = [
  { name: 'count', signature: 'count(input :: ANY) :: INTEGER',
    description: 'Returns the number of values or rows.', create: countAggregator },
  { name: 'sum', signature: 'sum(input :: INTEGER | FLOAT | DURATION) :: INTEGER | FLOAT | ' +
    'DURATION', description: 'Returns the sum of a set of numeric values.', create: sumAggregator },
  { name: 'avg', signature: 'avg(input :: INTEGER | FLOAT | DURATION) :: INTEGER | FLOAT | ' +
    'DURATION', description: 'Returns the average of a set of values.', create: avgAggregator },
  { name: 'min', signature: 'min(input :: ANY) :: ANY',
    description: 'Returns the minimum value in a set of values.',
    create: () => extremeAggregator(-1) },
  { name: 'max', signature: 'max(input :: ANY) :: ANY',
    description: 'Returns the maximum value in a set of values.',
    create: () => extremeAggregator(1) },
  { name: 'collect', signature: 'collect(input :: ANY) :: LIST<ANY>',
    description: 'Returns a list containing the values returned by an expression.',
    create: collectAggregator },
  { name: 'stDev', signature: 'stDev(input :: FLOAT) :: FLOAT',
    description: 'Returns the standard deviation for a sample of a population.',
    create: () => deviationAggregator(true) },
  { name: 'stDevP', signature: 'stDevP(input :: FLOAT) :: FLOAT',
    description: 'Returns the standard deviation for an entire population.',
    create: () => deviationAggregator(false) },
  { name: 'percentileCont',
    signature: 'percentileCont(input :: FLOAT, percentile :: FLOAT) :: FLOAT',
    description: 'Returns the percentile of a value over a group using linear interpolation.',
    create: (extra) => percentileAggregator('percentileCont', extra, true) },
  { name: 'percentileDisc',
    signature: 'percentileDisc(input :: INTEGER | FLOAT, percentile :: FLOAT) :: INTEGER | FLOAT',
    description: 'Returns the nearest value to the given percentile over a group.',
    create: (extra) => percentileAggregator('percentileDisc', extra, false) },
];
