/**
 * List functions (and the ones Neo4j lists beside them that also take strings: size, reverse,
 * isEmpty). range() is bounded: a list longer than LIST_ELEMENTS_MAX is refused by name.
 */
import type { Value } from '../../graph/values.js';
import { checkListElements, checkListLength } from '../values/value-size.js';
import { arg, badValue, defineAll, integerArg, listArg, wrongType } from './define.js';
import { codePoints } from './string-functions.js';

/** range()'s integers, checked but not yet built; null when an argument is null. */
interface RangeSpec {
  readonly start: bigint;
  readonly step: bigint;
  /** How many integers; 0 for an empty range. */
  readonly count: number;
}

function rangeSpec(a: readonly Value[]): RangeSpec | null {
  if (a.some((x) => x === null)) return null;
  const start = integerArg('range', arg(a, 0));
  const end = integerArg('range', arg(a, 1));
  const step = a.length > 2 ? integerArg('range', arg(a, 2)) : 1n;
  if (step === 0n) throw badValue('range', 'step argument to range() can\'t be 0');
  const span = (end - start) / step;
  if (span < 0n) return { start, step, count: 0 };
  checkListElements(span + 1n, 'range()');
  return { start, step, count: Number(span) + 1 };
}

function* rangeItems(spec: RangeSpec): Generator<Value> {
  let value = spec.start;
  for (let i = 0; i < spec.count; i++, value += spec.step) yield value;
}

/**
 * range(...args) one integer at a time, for UNWIND: a long range then never exists as a list.
 * Arguments are checked now, so errors are the same as range()'s; null for a null argument.
 */
export function lazyRange(a: readonly Value[]): Iterable<Value> | null {
  const spec = rangeSpec(a);
  return spec === null ? null : rangeItems(spec);
}

function range(a: Value[]): Value {
  const spec = rangeSpec(a);
  if (spec === null) return null;
  // Only a range built as a list needs room for it; lazyRange's never exists as one.
  checkListLength(spec.count, 'range()');
  const out: Value[] = [];
  let value = spec.start;
  for (let i = 0; i < spec.count; i++, value += spec.step) out.push(value);
  return out;
}

export const LIST_FUNCTIONS = defineAll('List', [
  {
    name: 'range',
    signature: 'range(start :: INTEGER, end :: INTEGER, step :: INTEGER) :: LIST<INTEGER>',
    description: 'Returns a LIST<INTEGER> from start to end (inclusive) in steps.',
    minArgs: 2, nullInNullOut: false, call: range,
  },
  {
    name: 'head', signature: 'head(list :: LIST<ANY>) :: ANY',
    description: 'Returns the first element of a LIST, or null when it is empty.',
    call: (a) => listArg('head', arg(a, 0))[0] ?? null,
  },
  {
    name: 'last', signature: 'last(list :: LIST<ANY>) :: ANY',
    description: 'Returns the last element of a LIST, or null when it is empty.',
    call: (a) => listArg('last', arg(a, 0)).at(-1) ?? null,
  },
  {
    name: 'tail', signature: 'tail(input :: LIST<ANY>) :: LIST<ANY>',
    description: 'Returns all but the first element of a LIST.',
    call: (a) => listArg('tail', arg(a, 0)).slice(1),
  },
  {
    name: 'size', signature: 'size(input :: STRING | LIST<ANY>) :: INTEGER',
    description: 'Returns the number of elements of a LIST or characters of a STRING.',
    call: (a) => {
      const v = arg(a, 0);
      if (typeof v === 'string') return BigInt(codePoints(v).length);
      if (Array.isArray(v)) return BigInt(v.length);
      throw wrongType('size', 'a String or List', v);
    },
  },
  {
    name: 'reverse', signature: 'reverse(input :: STRING | LIST<ANY>) :: STRING | LIST<ANY>',
    description: 'Returns a STRING or LIST in reverse order.',
    call: (a) => {
      const v = arg(a, 0);
      if (typeof v === 'string') return codePoints(v).reverse().join('');
      if (Array.isArray(v)) return [...v].reverse();
      throw wrongType('reverse', 'a String or List', v);
    },
  },
  {
    name: 'isEmpty', signature: 'isEmpty(input :: STRING | MAP | LIST<ANY>) :: BOOLEAN',
    description: 'Returns whether a STRING, MAP or LIST is empty.',
    call: (a) => {
      const v = arg(a, 0);
      if (typeof v === 'string') return v.length === 0;
      if (Array.isArray(v)) return v.length === 0;
      if (v instanceof Map) return v.size === 0;
      throw wrongType('isEmpty', 'a String, Map or List', v);
    },
  },
]);
