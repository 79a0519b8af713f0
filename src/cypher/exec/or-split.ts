/**
 * Splitting a MATCH on an OR of seekable equalities (`WHERE a.name = $x OR b.name = $x`): no
 * single index seek serves the whole predicate, so matching once per side, each with that
 * side's seek, can beat one scan. The split is taken when its estimated cost, summed over the
 * sides, is below the unsplit plan's. Each row is kept only by the first side whose predicate
 * claims it (pattern-match.ts), so the union has no duplicates.
 */
import type { Expr } from '../ast.js';
import { joinOrder, orderCost } from './join-order.js';
import type { ChainSpec, SeekHint } from './pattern-spec.js';
import type { ExecState, Row } from './state.js';

export interface SplitBranch {
  readonly predicate: Expr;
  readonly hints: readonly SeekHint[];
  /** The chains in the order to match them with this side's hints. */
  readonly order: readonly ChainSpec[];
}

type Either = Extract<SeekHint, { kind: 'either' }>;

function branchesOf(either: Either, chains: readonly ChainSpec[], hints: readonly SeekHint[],
  row: Row, state: ExecState): SplitBranch[] | null {
  const plain = orderCost(joinOrder(chains, hints, row, state), hints, row, state);
  const others = hints.filter((h) => h !== either);
  let split = 0;
  const branches = either.branches.map(({ predicate, hints: own }) => {
    const branchHints = [...others, ...own];
    const order = joinOrder(chains, branchHints, row, state);
    split += orderCost(order, branchHints, row, state);
    return { predicate, hints: branchHints, order };
  });
  return split < plain ? branches : null;
}

/**
 * The sides to match separately, or null to match once. The choice depends on which
 * variables the row binds, so it is remembered per OR and row shape for the execution.
 */
export function orSplit(chains: readonly ChainSpec[], hints: readonly SeekHint[], row: Row,
  state: ExecState): readonly SplitBranch[] | null {
  if (state.naivePlanning) return null;
  const either = hints.find((h): h is Either => h.kind === 'either');
  if (either === undefined) return null;
  let byShape = state.memo.get(either) as Map<number, SplitBranch[] | null> | undefined;
  if (byShape === undefined) {
    byShape = new Map();
    state.memo.set(either, byShape);
  }
  let branches = byShape.get(row.size);
  if (branches === undefined) {
    branches = branchesOf(either, chains, hints, row, state);
    byShape.set(row.size, branches);
  }
  return branches;
}
