/**
 * Operators on values that the executor evaluates itself: three-valued logic, comparison chains,
 * IN, string predicates, regular expressions, subscripts and property access on entities.
 */
import { QuiverError } from '../../errors/quiver-error.js';
import type { GraphReader } from '../../graph/types.js';
import {
  Node, NodeRef, Relationship, RelRef, isCypherMap, type Value,
} from '../../graph/values.js';
import type { CompareOp } from '../ast.js';
import { compareValues, cypherEquals } from '../values/compare.js';
import { propertyOfValue } from '../values/properties.js';
import { typeName } from '../values/type-names.js';

export function asBoolean(value: Value, context: string): boolean | null {
  if (value === null || typeof value === 'boolean') return value;
  throw new QuiverError('TypeError',
    `Type mismatch: expected Boolean but was ${typeName(value)} (in ${context})`);
}

export function and(a: boolean | null, b: boolean | null): boolean | null {
  if (a === false || b === false) return false;
  return a === null || b === null ? null : true;
}

export function or(a: boolean | null, b: boolean | null): boolean | null {
  if (a === true || b === true) return true;
  return a === null || b === null ? null : false;
}

export function xor(a: boolean | null, b: boolean | null): boolean | null {
  return a === null || b === null ? null : a !== b;
}

export function compare(op: CompareOp, a: Value, b: Value): boolean | null {
  if (op === '=') return cypherEquals(a, b);
  if (op === '<>') {
    const eq = cypherEquals(a, b);
    return eq === null ? null : !eq;
  }
  const order = compareValues(a, b);
  if (order === null) return null;
  switch (op) {
    case '<': return order < 0;
    case '<=': return order <= 0;
    case '>': return order > 0;
    case '>=': return order >= 0;
  }
}

export function inList(item: Value, list: Value): boolean | null {
  if (list === null) return null;
  if (!Array.isArray(list)) {
    throw new QuiverError('TypeError',
      `Type mismatch: expected List<T> but was ${typeName(list)}`);
  }
  let sawNull = false;
  for (const element of list) {
    const eq = cypherEquals(item, element);
    if (eq === true) return true;
    if (eq === null) sawNull = true;
  }
  return sawNull ? null : false;
}

export function stringPredicate(op: 'STARTS WITH' | 'ENDS WITH' | 'CONTAINS', a: Value,
  b: Value): boolean | null {
  if (typeof a !== 'string' || typeof b !== 'string') return null;
  if (op === 'STARTS WITH') return a.startsWith(b);
  if (op === 'ENDS WITH') return a.endsWith(b);
  return a.includes(b);
}

const regexCacheSizeMax = 256;
const regexCache = new Map<string, RegExp>();

/** Java regular expressions as Neo4j uses them, mapped onto JS for the common subset. */
export function regexMatch(text: Value, pattern: Value): boolean | null {
  if (typeof text !== 'string' || typeof pattern !== 'string') return null;
  let regex = regexCache.get(pattern);
  if (regex === undefined) {
    let source = pattern;
    let flags = 'u';
    const inline = /^\(\?([imsu]+)\)/.exec(source);
    if (inline?.[1] !== undefined) {
      flags += inline[1].replace(/u/g, '');
      source = source.slice(inline[0].length);
    }
    try {
      regex = new RegExp(`^(?:${source})$`, flags);
    } catch (e) {
      throw new QuiverError('ArgumentError', `Invalid Regex: ${(e as Error).message}`);
    }
    if (regexCache.size >= regexCacheSizeMax) regexCache.clear();
    regexCache.set(pattern, regex);
  }
  return regex.test(text);
}

function listIndex(list: Value[], index: Value): Value {
  if (typeof index !== 'bigint') {
    if (index === null) return null;
    throw new QuiverError('TypeError',
      `Type mismatch: expected Integer but was ${typeName(index)}`);
  }
  const i = Number(index < 0n ? BigInt(list.length) + index : index);
  return i >= 0 && i < list.length ? (list[i] ?? null) : null;
}

export function subscript(graph: GraphReader, target: Value, index: Value): Value {
  if (target === null) return null;
  if (Array.isArray(target)) return listIndex(target, index);
  if (index === null) return null;
  if (typeof index === 'string' &&
    (isCypherMap(target) || target instanceof NodeRef || target instanceof RelRef ||
      target instanceof Node || target instanceof Relationship)) {
    return propertyOf(graph, target, index);
  }
  throw new QuiverError('TypeError',
    `Type mismatch: cannot index ${typeName(target)} with ${typeName(index)}`);
}

function sliceBound(bound: Value, length: number, fallback: number): number {
  if (bound === null) return fallback;
  if (typeof bound !== 'bigint') {
    throw new QuiverError('TypeError',
      `Type mismatch: expected Integer but was ${typeName(bound)}`);
  }
  const n = bound < 0n ? BigInt(length) + bound : bound;
  return Number(n < 0n ? 0n : n > BigInt(length) ? BigInt(length) : n);
}

export function slice(target: Value, from: Value | undefined, to: Value | undefined): Value {
  if (target === null || from === null || to === null) return null;
  if (!Array.isArray(target)) {
    throw new QuiverError('TypeError',
      `Type mismatch: expected List<T> but was ${typeName(target)}`);
  }
  const start = sliceBound(from ?? null, target.length, 0);
  const end = sliceBound(to ?? null, target.length, target.length);
  return target.slice(start, end);
}

export function propertyOf(graph: GraphReader, target: Value, key: string): Value {
  if (target === null) return null;
  if (target instanceof NodeRef) return graph.nodeProperty(target.id, key);
  if (target instanceof RelRef) return graph.relProperty(target.id, key);
  if (isCypherMap(target)) return target.get(key) ?? null;
  if (target instanceof Node || target instanceof Relationship) {
    return target.properties.get(key) ?? null;
  }
  return propertyOfValue(target, key);
}

/** All properties of an entity or the entries of a map, as a fresh map. */
export function propertiesOf(graph: GraphReader, target: Value): Map<string, Value> | null {
  if (target === null) return null;
  if (target instanceof NodeRef) return new Map(graph.nodeProperties(target.id));
  if (target instanceof RelRef) return new Map(graph.relProperties(target.id));
  if (isCypherMap(target)) return new Map(target);
  if (target instanceof Node || target instanceof Relationship) return new Map(target.properties);
  throw new QuiverError('TypeError',
    `Type mismatch: expected a map, node or relationship but was ${typeName(target)}`);
}
