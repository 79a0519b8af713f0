/**
 * Scalar functions that are not about one type: coalesce, nullIf, timestamp, randomUUID,
 * valueType. Time and randomness come from the statement's context, never from the host, so a
 * statement evaluated on the leader is reproducible.
 */
import type { Value } from '../../graph/values.js';
import { cypherEquals } from '../values/compare.js';
import { valueType } from '../values/type-names.js';
import { arg, defineAll } from './define.js';
import type { FunctionContext } from './registry.js';

/** A version 4 UUID drawn from the context's seeded random source. */
function randomUuid(ctx: FunctionContext): string {
  const bytes = Array.from({ length: 16 }, () => Math.floor(ctx.random() * 256) & 0xff);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-` +
    hex.slice(20);
}

export const SCALAR_FUNCTIONS = defineAll('Scalar', [
  {
    name: 'coalesce', signature: 'coalesce(input :: ANY) :: ANY',
    description: 'Returns the first non-null value in a list of expressions.',
    minArgs: 1, maxArgs: Number.MAX_SAFE_INTEGER, nullInNullOut: false,
    call: (a) => a.find((v) => v !== null) ?? null,
  },
  {
    name: 'nullIf', signature: 'nullIf(v1 :: ANY, v2 :: ANY) :: ANY',
    description: 'Returns null if the two values are equal, else the first value.',
    nullInNullOut: false,
    call: (a) => (cypherEquals(arg(a, 0), arg(a, 1)) === true ? null : arg(a, 0)),
  },
  {
    name: 'timestamp', signature: 'timestamp() :: INTEGER',
    description: 'Returns the milliseconds since 1970-01-01T00:00Z at the statement\'s start.',
    call: (_a, ctx) => BigInt(Math.floor(ctx.statementTimeMs)),
  },
  {
    name: 'randomUUID', signature: 'randomUUID() :: STRING',
    description: 'Generates a random UUID.',
    call: (_a, ctx) => randomUuid(ctx),
  },
  {
    name: 'valueType', signature: 'valueType(input :: ANY) :: STRING',
    description: 'Returns the Cypher type name of a value, such as "INTEGER NOT NULL".',
    nullInNullOut: false,
    call: (a: Value[]) => valueType(arg(a, 0)),
  },
]);
