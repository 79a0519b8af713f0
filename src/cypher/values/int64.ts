/**
 * Cypher INTEGER is a signed 64-bit integer. JS bigint is unbounded, so every arithmetic result
 * is checked here and overflow becomes the ArithmeticError Neo4j raises ("long overflow").
 */
import { QuiverError } from '../../errors/quiver-error.js';

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

export function isInt64(n: bigint): boolean {
  return n >= INT64_MIN && n <= INT64_MAX;
}

/** Returns n, or throws the client error Neo4j gives when a long result overflows. */
export function checkedInt64(n: bigint): bigint {
  if (!isInt64(n)) throw new QuiverError('ArithmeticError', 'long overflow');
  return n;
}

/** Java's (long) cast of a double truncates toward zero; out of range is a client error here. */
export function floatToInt64(x: number, what: string): bigint {
  if (Number.isNaN(x)) return 0n;
  if (!Number.isFinite(x) || x >= 9223372036854775808 || x < -9223372036854775808) {
    throw new QuiverError('ArgumentError', `${what}, ${x}, is too large`);
  }
  return BigInt(Math.trunc(x));
}

/** Floor division for bigint (bigint `/` truncates toward zero). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

export function floorMod(a: bigint, b: bigint): bigint {
  return a - floorDiv(a, b) * b;
}
