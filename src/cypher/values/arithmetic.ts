/**
 * The arithmetic operators + - * / % ^ and unary minus, as Neo4j evaluates them: INTEGER
 * results are checked against 64 bits, INTEGER mixed with FLOAT gives FLOAT, `+` also joins
 * strings and lists, and temporals and durations combine with durations.
 */
import { QuiverError } from '../../errors/quiver-error.js';
import { Duration, Point, type Value } from '../../graph/values.js';
import { checkedInt64 } from './int64.js';
import { isTemporal } from './kind.js';
import { checkListLength, checkStringLength } from './value-size.js';
import { formatValue } from './format.js';
import { typeName } from './type-names.js';
import {
  addDurations, divideDuration, multiplyDuration, negateDuration,
} from './temporal/duration.js';
import { plusDuration } from './temporal/temporal-arithmetic.js';

type Num = bigint | number;

function isNum(v: Value): v is Num {
  return typeof v === 'bigint' || typeof v === 'number';
}

function cannot(verb: string, a: Value, b: Value): QuiverError {
  return new QuiverError('TypeError',
    `Cannot ${verb} \`${typeName(a)}\` and \`${typeName(b)}\``);
}

/** Applies an operator to two numbers: exact on two integers, float otherwise. */
function numeric(a: Num, b: Num, onInts: (x: bigint, y: bigint) => bigint,
  onFloats: (x: number, y: number) => number): Num {
  if (typeof a === 'bigint' && typeof b === 'bigint') return checkedInt64(onInts(a, b));
  return onFloats(Number(a), Number(b));
}

/** What can sit beside a string in `+`: a value with a text form (not a map or an entity). */
function concatenable(v: Value): boolean {
  return typeof v === 'string' || typeof v === 'boolean' || isNum(v) || isTemporal(v) ||
    v instanceof Duration || v instanceof Point;
}

export function add(a: Value, b: Value): Value {
  if (a === null || b === null) return null;
  if (isNum(a) && isNum(b)) return numeric(a, b, (x, y) => x + y, (x, y) => x + y);
  if (Array.isArray(a) || Array.isArray(b)) return concatenated(a, b);
  if ((typeof a === 'string' && concatenable(b)) || (typeof b === 'string' && concatenable(a))) {
    const left = formatValue(a);
    const right = formatValue(b);
    checkStringLength(left.length + right.length, 'string concatenation (+)');
    return left + right;
  }
  if (a instanceof Duration && b instanceof Duration) return addDurations(a, b);
  if (isTemporal(a) && b instanceof Duration) return plusDuration(a, b);
  if (a instanceof Duration && isTemporal(b)) return plusDuration(b, a);
  throw cannot('add', a, b);
}

/** `list + list`, `list + value` and `value + list`, within the longest list a query builds. */
function concatenated(a: Value, b: Value): Value[] {
  const length = (Array.isArray(a) ? a.length : 1) + (Array.isArray(b) ? b.length : 1);
  checkListLength(length, 'list concatenation (+)');
  if (!Array.isArray(a)) return [a, ...(b as Value[])];
  return Array.isArray(b) ? [...a, ...b] : [...a, b];
}

export function sub(a: Value, b: Value): Value {
  if (a === null || b === null) return null;
  if (isNum(a) && isNum(b)) return numeric(a, b, (x, y) => x - y, (x, y) => x - y);
  if (a instanceof Duration && b instanceof Duration) return addDurations(a, negateDuration(b));
  if (isTemporal(a) && b instanceof Duration) return plusDuration(a, negateDuration(b));
  throw cannot('subtract', a, b);
}

export function mul(a: Value, b: Value): Value {
  if (a === null || b === null) return null;
  if (isNum(a) && isNum(b)) return numeric(a, b, (x, y) => x * y, (x, y) => x * y);
  if (a instanceof Duration && isNum(b)) return multiplyDuration(a, b);
  if (isNum(a) && b instanceof Duration) return multiplyDuration(b, a);
  throw cannot('multiply', a, b);
}

function divideIntegers(x: bigint, y: bigint): bigint {
  if (y === 0n) throw new QuiverError('ArithmeticError', '/ by zero');
  return x / y;
}

export function div(a: Value, b: Value): Value {
  if (a === null || b === null) return null;
  if (isNum(a) && isNum(b)) return numeric(a, b, divideIntegers, (x, y) => x / y);
  if (a instanceof Duration && isNum(b)) return divideDuration(a, b);
  throw cannot('divide', a, b);
}

function moduloIntegers(x: bigint, y: bigint): bigint {
  if (y === 0n) throw new QuiverError('ArithmeticError', '/ by zero');
  return x % y;
}

export function mod(a: Value, b: Value): Value {
  if (a === null || b === null) return null;
  if (isNum(a) && isNum(b)) return numeric(a, b, moduloIntegers, (x, y) => x % y);
  throw cannot('modulo', a, b);
}

/** `^` is always FLOAT in Cypher, even for two integers. */
export function pow(a: Value, b: Value): Value {
  if (a === null || b === null) return null;
  if (isNum(a) && isNum(b)) return Number(a) ** Number(b);
  throw cannot('raise', a, b);
}

export function negate(a: Value): Value {
  if (a === null) return null;
  if (typeof a === 'bigint') return checkedInt64(-a);
  if (typeof a === 'number') return -a;
  if (a instanceof Duration) return negateDuration(a);
  throw new QuiverError('TypeError', `Cannot negate \`${typeName(a)}\``);
}
