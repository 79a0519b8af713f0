/**
 * Mathematical functions. Results are FLOAT except abs() (keeps its type) and sign()
 * (INTEGER); round() with a precision rounds the decimal the double prints as, the way Java's
 * BigDecimal.valueOf does, so round(2.675, 2) is 2.68.
 */
import type { Value } from '../../graph/values.js';
import { checkedInt64 } from '../values/int64.js';
import { arg, badValue, defineAll, integerArg, numberArg, stringArg, wrongType } from './define.js';

type RoundingMode = 'UP' | 'DOWN' | 'CEILING' | 'FLOOR' | 'HALF_UP' | 'HALF_DOWN' | 'HALF_EVEN';
const ROUNDING_MODES: ReadonlySet<string> =
  new Set(['UP', 'DOWN', 'CEILING', 'FLOOR', 'HALF_UP', 'HALF_DOWN', 'HALF_EVEN']);

/** Whether dropping a remainder r (0 < |r| < divisor) moves the quotient away from zero. */
function roundsAway(mode: RoundingMode, negative: boolean, twiceRemainder: bigint,
  divisor: bigint, quotientOdd: boolean): boolean {
  switch (mode) {
    case 'UP': return true;
    case 'DOWN': return false;
    case 'CEILING': return !negative;
    case 'FLOOR': return negative;
    case 'HALF_UP': return twiceRemainder >= divisor;
    case 'HALF_DOWN': return twiceRemainder > divisor;
    case 'HALF_EVEN':
      return twiceRemainder > divisor || (twiceRemainder === divisor && quotientOdd);
  }
}

export function roundToPrecision(x: number, precision: number, mode: RoundingMode): number {
  if (!Number.isFinite(x)) return x;
  const [mantissa = '0', exponent = '0'] = x.toExponential().split('e');
  const digits = mantissa.replace('-', '').replace('.', '');
  const scale = digits.length - 1 - Number(exponent);
  if (scale <= precision) return x;
  const negative = x < 0;
  const unscaled = BigInt(digits);
  const divisor = 10n ** BigInt(scale - precision);
  let quotient = unscaled / divisor;
  const remainder = unscaled % divisor;
  if (remainder !== 0n &&
    roundsAway(mode, negative, remainder * 2n, divisor, quotient % 2n === 1n)) quotient += 1n;
  const result = Number(`${quotient}e${-precision}`);
  return negative ? -result : result;
}

function float1(name: string, description: string, f: (x: number) => number) {
  return {
    name, signature: `${name}(input :: FLOAT) :: FLOAT`, description,
    call: (a: Value[]): Value => f(numberArg(name, arg(a, 0))),
  };
}

function constant(name: string, description: string, value: number) {
  return { name, signature: `${name}() :: FLOAT`, description, call: (): Value => value };
}

function round(a: Value[]): Value {
  const x = numberArg('round', arg(a, 0));
  // Adding 0 turns -0 into 0: Java rounds to a long, which has no negative zero.
  if (a.length === 1) return Math.round(x) + 0;
  const p = arg(a, 1);
  if (p === null || (a.length > 2 && arg(a, 2) === null)) return null;
  const precision = Number(integerArg('round', p));
  const modeText = a.length > 2 ? stringArg('round', arg(a, 2)).toUpperCase() : null;
  if (modeText !== null && !ROUNDING_MODES.has(modeText)) {
    throw badValue('round', `Unknown rounding mode: ${modeText}`);
  }
  // Neo4j keeps Math.round's half-towards-positive-infinity when no mode is asked for.
  if (modeText === null && precision === 0) return Math.round(x) + 0;
  return roundToPrecision(x, precision, (modeText ?? 'HALF_UP') as RoundingMode);
}

export const MATH_FUNCTIONS = defineAll('Numeric', [
  {
    name: 'abs', signature: 'abs(input :: INTEGER | FLOAT) :: INTEGER | FLOAT',
    description: 'Returns the absolute value of a number.',
    call: (a) => {
      const x = arg(a, 0);
      if (typeof x === 'bigint') return checkedInt64(x < 0n ? -x : x);
      if (typeof x === 'number') return Math.abs(x);
      throw wrongType('abs', 'a numeric value', x);
    },
  },
  float1('ceil', 'Returns the smallest FLOAT that is greater than or equal to a number.',
    Math.ceil),
  float1('floor', 'Returns the largest FLOAT that is less than or equal to a number.',
    Math.floor),
  {
    name: 'round',
    signature: 'round(value :: FLOAT, precision :: INTEGER | FLOAT, mode :: STRING) :: FLOAT',
    description: 'Rounds a number to a precision using a rounding mode (default HALF_UP).',
    minArgs: 1, call: round,
  },
  {
    name: 'sign', signature: 'sign(input :: INTEGER | FLOAT) :: INTEGER',
    description: 'Returns the signum of a number: 0, -1 or 1.',
    call: (a) => {
      const x = numberArg('sign', arg(a, 0));
      return BigInt(Number.isNaN(x) ? 0 : Math.sign(x));
    },
  },
  {
    name: 'isNaN', signature: 'isNaN(input :: INTEGER | FLOAT) :: BOOLEAN',
    description: 'Returns whether a number is NaN.',
    call: (a) => Number.isNaN(numberArg('isNaN', arg(a, 0))),
  },
  float1('sqrt', 'Returns the square root of a number.', Math.sqrt),
  float1('exp', 'Returns e raised to the power of a number.', Math.exp),
  float1('log', 'Returns the natural logarithm of a number.', Math.log),
  float1('log10', 'Returns the common logarithm (base 10) of a number.', Math.log10),
  constant('e', 'Returns the base of the natural logarithm, e.', Math.E),
  constant('pi', 'Returns the mathematical constant pi.', Math.PI),
  {
    name: 'rand', signature: 'rand() :: FLOAT',
    description: 'Returns a random FLOAT in the range from 0 (inclusive) to 1 (exclusive).',
    call: (_a, ctx) => ctx.random(),
  },
  float1('sin', 'Returns the sine of a number.', Math.sin),
  float1('cos', 'Returns the cosine of a number.', Math.cos),
  float1('tan', 'Returns the tangent of a number.', Math.tan),
  float1('asin', 'Returns the arcsine of a number.', Math.asin),
  float1('acos', 'Returns the arccosine of a number.', Math.acos),
  float1('atan', 'Returns the arctangent of a number.', Math.atan),
  {
    name: 'atan2', signature: 'atan2(y :: FLOAT, x :: FLOAT) :: FLOAT',
    description: 'Returns the arctangent2 of a set of coordinates in radians.',
    nullInNullOut: false,
    call: (a) => {
      if (arg(a, 0) === null || arg(a, 1) === null) return null;
      return Math.atan2(numberArg('atan2', arg(a, 0)), numberArg('atan2', arg(a, 1)));
    },
  },
  float1('cot', 'Returns the cotangent of a number.', (x) => 1 / Math.tan(x)),
  float1('haversin', 'Returns half the versine of a number.', (x) => (1 - Math.cos(x)) / 2),
  float1('degrees', 'Converts radians to degrees.', (x) => x * 180 / Math.PI),
  float1('radians', 'Converts degrees to radians.', (x) => x * Math.PI / 180),
]);
