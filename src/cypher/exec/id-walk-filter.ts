/**
 * The WHERE of a MATCH walked over ids (id-walk.ts), when it is an AND of comparisons of a node
 * property with a value fixed for the execution: `p.age > 30 AND p.city = $city`. Such a
 * predicate cannot fail (a comparison of any two values gives true, false or null) and reads
 * nothing but the properties, so testing it on ids keeps exactly the rows FilterOp keeps: those
 * for which every comparison is true.
 */
import type { ReadView } from '../../graph/read-view.js';
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

/**
 * Keeps the matches of `run` that pass every test, in order: one pass per test, so the
 * property reads of a run overlap.
 */
export type RunFilter = (run: MatchRun) => void;

export function runFilter(tests: readonly PropertyTest[], view: ReadView, state: ExecState,
  arg: Row): RunFilter | null {
  if (tests.length === 0) return null;
  const bound: BoundTest[] = tests.map((test) => ({ test,
    keyId: view.propertyKeyId(test.key), value: evaluate(test.value, arg, state) }));
  return (run) => {
    for (const { test, keyId, value } of bound) {
      keepMatches(run, (k) => {
        const id = nodeIdAt(run, test.node, k);
        const property = keyId === undefined ? null : view.nodePropertyByKeyId(id, keyId);
        return (test.propertyFirst ? compare(test.op, property, value)
          : compare(test.op, value, property)) === true;
      });
    }
  };
}
