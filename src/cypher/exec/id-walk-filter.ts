/**
 * The WHERE of a MATCH walked over ids (id-walk.ts), when it is an AND of comparisons of a node
 * property with a value fixed for the execution: `p.age > 30 AND p.city = $city`. Such a
 * predicate cannot fail (a comparison of any two values gives true, false or null) and reads
 * nothing but the properties, so testing it on ids keeps exactly the rows FilterOp keeps: those
 * for which every comparison is true.
 */
import { assert } from '../../assert.js';
import type { ReadView } from '../../graph/read-view.js';
import { isKeptAsText, NumberKind, type NumberRead } from '../../graph/snapshot-codec.js';
import type { NodeVersion } from '../../graph/store.js';
import type { Value } from '../../graph/values.js';
import type { CompareOp, Expr } from '../ast.js';
import { evaluate } from './evaluate.js';
import { keepMatches, nodeIdAt, type MatchRun } from './match-run.js';
import { conjuncts, type ChainSpec } from './pattern-spec.js';
import type { ExecState, Row } from './state.js';
import { compare } from './value-ops.js';

/** `nodes[node].key op value`, or `value op nodes[node].key` when not `propertyFirst`. */
export interface PropertyTest {
  readonly node: number;
  readonly key: string;
  readonly op: CompareOp;
  readonly value: Expr;
  readonly propertyFirst: boolean;
}

/** A node property of the chain, as the chain position and key; null for anything else. */
function chainProperty(expr: Expr, chain: ChainSpec): { node: number; key: string } | null {
  if (expr.kind !== 'prop' || expr.target.kind !== 'var') return null;
  const name = expr.target.name;
  const node = chain.nodes.findIndex((n) => n.name === name);
  return node < 0 ? null : { node, key: expr.key };
}

function isFixed(expr: Expr): boolean {
  return expr.kind === 'literal' || expr.kind === 'param';
}

/** The tests `predicate` is made of, or null when it is not of that form. */
export function propertyTests(predicate: Expr, chain: ChainSpec): PropertyTest[] | null {
  const tests: PropertyTest[] = [];
  for (const part of conjuncts(predicate)) {
    if (part.kind !== 'compare' || part.ops.length !== 1) return null;
    const [left, right] = part.operands as [Expr, Expr];
    const op = part.ops[0] as CompareOp;
    const property = chainProperty(left, chain);
    if (property !== null && isFixed(right)) {
      tests.push({ ...property, op, value: right, propertyFirst: true });
      continue;
    }
    const mirrored = chainProperty(right, chain);
    if (mirrored === null || !isFixed(left)) return null;
    tests.push({ ...mirrored, op, value: left, propertyFirst: false });
  }
  return tests;
}

/** A test with its value and key id resolved for one execution. */
interface BoundTest {
  readonly test: PropertyTest;
  readonly keyId: number | undefined;
  readonly value: Value;
}

/** Whether a visible node passes one test. */
type NodeTest = (node: NodeVersion) => boolean;

/** A test of the chain node at position `node`. */
interface Check {
  readonly node: number;
  readonly passes: NodeTest;
}

/**
 * Keeps the matches of `run` that pass every test, in order: one pass per test, so the
 * property reads of a run overlap.
 */
export type RunFilter = (run: MatchRun) => void;

export function runFilter(tests: readonly PropertyTest[], view: ReadView, state: ExecState,
  arg: Row): RunFilter | null {
  if (tests.length === 0) return null;
  const bound: BoundTest[] = tests.map((test) => ({ test, keyId: view.propertyKeyId(test.key),
    value: evaluate(test.value, arg, state) }));
  // The tests cannot fail and read only properties, so their order changes nothing but the
  // cost: equalities, usually the most selective, go first (a stable sort) and leave the
  // others fewer nodes to read.
  bound.sort((a, b) => Number(b.test.op === '=') - Number(a.test.op === '='));
  const checks: Check[] = bound.map((b) => ({ node: b.test.node, passes: nodeTest(view, b) }));
  return (run) => {
    for (const { node: at, passes } of checks) {
      keepMatches(run, (k) => {
        const node = view.node(nodeIdAt(run, at, k));
        assert(node !== null, 'runFilter: a matched node is visible');
        return passes(node);
      });
    }
  };
}

/**
 * The test as a function of a node. A string equality, and an ordering or equality of a number
 * with a number of the same kind (integer with integer, float with float), read the encoded
 * property without decoding it, with the answer compare() gives; anything else (another kind,
 * NaN, `<>`, updated properties) decodes the value and asks compare().
 */
function nodeTest(view: ReadView, bound: BoundTest): NodeTest {
  const { test, keyId, value } = bound;
  const decoded: NodeTest = (node) => {
    const property = keyId === undefined ? null : view.versionPropertyByKeyId(node, keyId);
    return (test.propertyFirst ? compare(test.op, property, value)
      : compare(test.op, value, property)) === true;
  };
  if (keyId === undefined) return decoded;
  if (test.op === '=' && typeof value === 'string' && isKeptAsText(value)) {
    const utf8 = Buffer.from(value, 'utf8');
    return (node) => view.versionTextEquals(node, keyId, utf8) ?? decoded(node);
  }
  const target = numberOf(value);
  if (target === null || test.op === '<>') return decoded;
  const op = test.propertyFirst ? test.op : MIRRORED[test.op];
  const read: NumberRead = { kind: NumberKind.Absent, value: 0 };
  return (node) => {
    view.versionNumberByKeyId(node, keyId, read);
    // A missing property compares as null: never true.
    if (read.kind === NumberKind.Absent) return false;
    if (read.kind !== target.kind || Number.isNaN(read.value)) return decoded(node);
    return numberTest(op, read.value, target.value);
  };
}

/** `a op b` with the operands swapped. */
const MIRRORED: Readonly<Record<Exclude<CompareOp, '<>'>, Exclude<CompareOp, '<>'>>> = {
  '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=',
};

/** A fixed value as a number of its kind, when compared exactly as a double; else null. */
function numberOf(value: Value): { kind: number; value: number } | null {
  if (typeof value === 'bigint') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? { kind: NumberKind.Integer, value: n } : null;
  }
  if (typeof value !== 'number' || Number.isNaN(value)) return null;
  return { kind: NumberKind.Float, value };
}

function numberTest(op: Exclude<CompareOp, '<>'>, a: number, b: number): boolean {
  switch (op) {
    case '=': return a === b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
  }
}
