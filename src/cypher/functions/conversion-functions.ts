/**
 * Type conversion: toInteger, toFloat, toBoolean, their OrNull twins (null instead of a type
 * error) and the list forms. Unparseable text is null, as in Neo4j; a value of a type that can
 * never convert is a TypeError.
 */
import { QuiverError } from '../../errors/quiver-error.js';
import type { Value } from '../../graph/values.js';
import { floatToInt64, isInt64 } from '../values/int64.js';
import { arg, defineAll, wrongType, type FunctionSpec } from './define.js';
import { toStringValue } from './string-functions.js';

const INTEGER_TEXT = /^[+-]?\d+$/;
const FLOAT_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[dDfF]?$/;
const SPECIAL_FLOATS: ReadonlyMap<string, number> = new Map([
  ['NaN', NaN], ['Infinity', Infinity], ['+Infinity', Infinity], ['-Infinity', -Infinity],
]);

export function parseFloatText(text: string): number | null {
  const t = text.trim();
  const special = SPECIAL_FLOATS.get(t);
  if (special !== undefined) return special;
  if (!FLOAT_TEXT.test(t)) return null;
  return Number(t.replace(/[dDfF]$/, ''));
}

function parseIntegerText(text: string): bigint | null {
  const t = text.trim();
  if (INTEGER_TEXT.test(t)) {
    const n = BigInt(t);
    if (isInt64(n)) return n;
  }
  const hex = /^([+-]?)0x([0-9a-fA-F]+)$/.exec(t);
  if (hex) {
    const n = BigInt(`0x${hex[2] ?? ''}`) * (hex[1] === '-' ? -1n : 1n);
    return isInt64(n) ? n : null;
  }
  const x = parseFloatText(t);
  // Text naming a number beyond 64 bits converts to nothing rather than failing.
  if (x === null || !Number.isFinite(x) || Math.abs(x) >= 2 ** 63) return null;
  return floatToInt64(x, 'integer');
}

export function toInteger(fn: string, v: Value): Value {
  if (v === null || typeof v === 'bigint') return v;
  if (typeof v === 'number') return floatToInt64(v, 'integer');
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'string') return parseIntegerText(v);
  throw wrongType(fn, 'a String, Float, Integer or Boolean', v);
}

export function toFloat(fn: string, v: Value): Value {
  if (v === null || typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') return parseFloatText(v);
  throw wrongType(fn, 'a String, Float or Integer', v);
}

export function toBoolean(fn: string, v: Value): Value {
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'string') {
    const lower = v.toLowerCase();
    return lower === 'true' ? true : lower === 'false' ? false : null;
  }
  throw wrongType(fn, 'a String, Integer or Boolean', v);
}

function orNull(convert: (fn: string, v: Value) => Value, fn: string, v: Value): Value {
  try {
    return convert(fn, v);
  } catch (e) {
    if (e instanceof QuiverError) return null;
    throw e;
  }
}

function converter(name: string, target: string, convert: (fn: string, v: Value) => Value):
FunctionSpec[] {
  return [
    {
      name, signature: `${name}(input :: ANY) :: ${target}`,
      description: `Converts a value to ${target}.`,
      call: (a) => convert(name, arg(a, 0)),
    },
    {
      name: `${name}OrNull`, signature: `${name}OrNull(input :: ANY) :: ${target}`,
      description: `Converts a value to ${target}, or returns null.`,
      call: (a) => orNull(convert, name, arg(a, 0)),
    },
  ];
}

function listConverter(name: string, target: string, convert: (fn: string, v: Value) => Value):
FunctionSpec {
  return {
    name, signature: `${name}(input :: LIST<ANY>) :: LIST<${target}>`,
    description: `Converts a LIST of values to a LIST<${target}>; unconvertible values are null.`,
    call: (a) => {
      const list = arg(a, 0);
      if (!Array.isArray(list)) throw wrongType(name, 'a List', list);
      return list.map((v) => orNull(convert, name, v));
    },
  };
}

export const CONVERSION_FUNCTIONS = defineAll('Scalar', [
  ...converter('toInteger', 'INTEGER', toInteger),
  ...converter('toFloat', 'FLOAT', toFloat),
  ...converter('toBoolean', 'BOOLEAN', toBoolean),
  listConverter('toIntegerList', 'INTEGER', toInteger),
  listConverter('toFloatList', 'FLOAT', toFloat),
  listConverter('toBooleanList', 'BOOLEAN', toBoolean),
  listConverter('toStringList', 'STRING', toStringValue),
]);
