/**
 * Compile-time argument type checks of library functions, read from each function's declared
 * signature (`type(input :: RELATIONSHIP) :: STRING`), so that `type(n)` over a node fails
 * before any row is read, as in Neo4j. Only arguments whose static type is known are checked.
 */
import type { FunctionCall } from '../ast.js';
import { lookupFunction } from '../functions/registry.js';
import { inferType, mayBe, staticTypeName, type ReadonlyScope, type StaticType } from
  './static-types.js';

/** Declared type names the check understands; a parameter using any other is not checked. */
const DECLARED: Readonly<Record<string, readonly StaticType[]>> = {
  NODE: ['node'], RELATIONSHIP: ['relationship'], PATH: ['path'], MAP: ['map'],
  STRING: ['string'], BOOLEAN: ['boolean'],
  // Neo4j coerces between the number types when a function is called.
  INTEGER: ['integer', 'float'], FLOAT: ['integer', 'float'],
};

/** Per function, per parameter: the allowed static types, or null when not checked. */
const parsedSignatures = new Map<string, (readonly StaticType[] | null)[]>();

function parameterTypes(signature: string): (readonly StaticType[] | null)[] {
  const open = signature.indexOf('(');
  const close = signature.includes(') ::') ? signature.lastIndexOf(') ::')
    : signature.lastIndexOf(')');
  const inner = signature.slice(open + 1, close).trim();
  if (open < 0 || close < open || inner === '') return [];
  return inner.split(',').map((param) => {
    const declared = param.split('::')[1]?.split('|').map((t) => t.trim()) ?? [];
    const allowed: StaticType[] = [];
    for (const name of declared) {
      if (name.startsWith('LIST<')) {
        allowed.push('list');
        continue;
      }
      const types = DECLARED[name];
      if (types === undefined) return null;
      allowed.push(...types);
    }
    return allowed.length > 0 ? allowed : null;
  });
}

function signatureOf(name: string): (readonly StaticType[] | null)[] {
  let types = parsedSignatures.get(name);
  if (types === undefined) {
    const def = lookupFunction(name);
    types = def === undefined ? [] : parameterTypes(def.signature);
    parsedSignatures.set(name, types);
  }
  return types;
}

/** A message for the first argument that cannot have a declared type, or null. */
export function argumentTypeMismatch(call: FunctionCall, scope: ReadonlyScope): string | null {
  const types = signatureOf(call.name);
  for (let i = 0; i < call.args.length && i < types.length; i++) {
    const allowed = types[i];
    const arg = call.args[i];
    if (allowed === null || allowed === undefined || arg === undefined) continue;
    const actual = inferType(arg, scope);
    if (!mayBe(actual, allowed)) {
      const expected = [...new Set(allowed.map(staticTypeName))].join(', ');
      return `Type mismatch: expected ${expected} but was ${staticTypeName(actual)}`;
    }
  }
  return null;
}
