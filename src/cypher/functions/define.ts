/**
 * How a library function is declared, and the argument checks every function shares, with
 * Neo4j's wording ("Invalid input for function 'left()': …").
 */
import { QuiverError } from '../../errors/quiver-error.js';
import type { Value } from '../../graph/values.js';
import { tckLiteral } from '../values/format.js';
import { kindOf, type ValueKind } from '../values/kind.js';
import { typeName } from '../values/type-names.js';
import type { FunctionContext, FunctionDef } from './registry.js';

export interface FunctionSpec {
  readonly name: string;
  readonly signature: string;
  readonly description: string;
  readonly minArgs?: number;
  readonly maxArgs?: number;
  /** Most functions answer null when their first argument is null; those that do not say so. */
  readonly nullInNullOut?: boolean;
  call(args: Value[], ctx: FunctionContext): Value;
}

/** Builds the definitions of one category; arity is read from the signature unless given. */
export function defineAll(category: string, specs: readonly FunctionSpec[]): FunctionDef[] {
  return specs.map((spec) => {
    const declared = countParameters(spec.signature);
    const minArgs = spec.minArgs ?? declared;
    const maxArgs = spec.maxArgs ?? declared;
    const nullInNullOut = spec.nullInNullOut ?? true;
    return {
      name: spec.name, minArgs, maxArgs, signature: spec.signature,
      description: spec.description, category,
      call(args: Value[], ctx: FunctionContext): Value {
        if (nullInNullOut && args.length > 0 && args[0] === null) return null;
        return spec.call(args, ctx);
      },
    };
  });
}

function countParameters(signature: string): number {
  const inner = signature.slice(signature.indexOf('(') + 1, signature.lastIndexOf(') ::'));
  return inner.trim() === '' ? 0 : inner.split(',').length;
}

const COMPOSITE_KINDS: ReadonlySet<ValueKind> = new Set(['LIST', 'MAP', 'NODE', 'RELATIONSHIP',
  'PATH']);

/** Short text of an offending argument for messages: `List [1, 2]`. */
function describe(v: Value): string {
  const kind = kindOf(v);
  // Composite values may hold references, which only the executor can print.
  if (COMPOSITE_KINDS.has(kind)) return typeName(v);
  return `${typeName(v)} ${tckLiteral(v)}`;
}

export function wrongType(fn: string, expected: string, got: Value): QuiverError {
  return new QuiverError('TypeError',
    `Invalid input for function '${fn}()': Expected ${expected}, got: ${describe(got)}`);
}

export function badValue(fn: string, detail: string): QuiverError {
  return new QuiverError('ArgumentError', `Invalid input for function '${fn}()': ${detail}`);
}

export function arg(args: readonly Value[], index: number): Value {
  return args[index] ?? null;
}

export function stringArg(fn: string, v: Value): string {
  if (typeof v !== 'string') throw wrongType(fn, 'a String', v);
  return v;
}

export function integerArg(fn: string, v: Value): bigint {
  if (typeof v !== 'bigint') throw wrongType(fn, 'an Integer', v);
  return v;
}

export function numberArg(fn: string, v: Value): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v !== 'number') throw wrongType(fn, 'a numeric value', v);
  return v;
}

export function listArg(fn: string, v: Value): Value[] {
  if (!Array.isArray(v)) throw wrongType(fn, 'a List', v);
  return v;
}
