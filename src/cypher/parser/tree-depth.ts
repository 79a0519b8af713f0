/**
 * A bound on how deep a statement's syntax tree may be. The parser reads chains of operators
 * (`a + b + ...`, `x.a.b ...`, `p OR q OR ...`) in loops, so it never overflows on them, but
 * a chain builds a tree as deep as it is long, and the checks, the planner and the evaluator
 * after the parser walk trees recursively: near 3,000 levels they would overflow the JS stack
 * and the query would fail with an internal error instead of a syntax error. Nesting in
 * brackets has its own, smaller bound in the parser (parseDepthMax).
 */
import type { Statement } from '../ast.js';
import { syntaxError } from '../syntax-error.js';

/** Half the depth at which the recursive passes overflow, leaving room for the caller's stack. */
export const treeDepthMax = 1500;

interface Pending {
  readonly node: object;
  readonly depth: number;
  /** The offset of the nearest enclosing node that has one, for the error's position. */
  readonly offset: number;
}

/** Throws a SyntaxError when any path through the statement's tree is over treeDepthMax. */
export function checkTreeDepth(statement: Statement): void {
  // Iterative: a recursive walk would overflow on exactly the trees it is there to refuse.
  const pending: Pending[] = [{ node: statement.body, depth: 1, offset: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { node, depth } = next;
    const offset = 'offset' in node && typeof node.offset === 'number' ? node.offset : next.offset;
    if (depth > treeDepthMax) {
      throw syntaxError(statement.text, offset,
        `Query nested too deeply (more than ${treeDepthMax} levels of expressions)`);
    }
    for (const child of Object.values(node)) {
      if (isTreeNode(child)) pending.push({ node: child, depth: depth + 1, offset });
    }
  }
}

/** Plain objects and arrays: the tree's nodes and their lists, not the literal values in it. */
function isTreeNode(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === Array.prototype;
}
