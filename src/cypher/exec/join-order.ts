/**
 * The order in which the comma-separated patterns of one MATCH are matched. Each chain is
 * matched once per row the chains before it produced, so the order decides the work: greedily,
 * the next chain is the one that minimises its own cost plus the rows it produces times the
 * cost of the chains still waiting, each costed (start point and walk, anchor-choice.ts) with
 * the variables the chains already placed, and the candidate itself, will bind. A selective
 * chain (an index seek) thus comes first, and a chain joined to it through a shared variable
 * follows, starting from that bound node instead of scanning. Costing the waiting chains as if
 * the candidate had not bound its variables would make a scan that the candidate turns into an
 * expansion look unavoidable, and a chain estimated at no rows (however costly) look free.
 */
import { chooseAnchor } from './anchor-choice.js';
import type { ChainSpec, SeekHint } from './pattern-spec.js';
import type { ExecState, Row } from './state.js';

/**
 * Chains past this many keep the text order: choosing costs each waiting chain against every
 * other at each step, cubic in their number, and only a generated query has hundreds.
 */
const ORDERED_CHAINS_MAX = 64;

/**
 * Chains whose order could change the answer keep the text order: a shortestPath search skips
 * the relationships the chains before it matched, so moving it changes which path it finds.
 */
function reorderable(chains: readonly ChainSpec[]): boolean {
  return chains.length > 1 && chains.length <= ORDERED_CHAINS_MAX &&
    chains.every((c) => c.shortest === null);
}

/** `row` with every variable of `chain` added (values unknown: only the names matter). */
function withNamesOf(row: Row, chain: ChainSpec): Row {
  const next = new Map(row);
  for (const p of [...chain.nodes, ...chain.rels]) if (!next.has(p.name)) next.set(p.name, null);
  return next;
}

/** The chains in the order to match them for rows shaped like `row`. */
export function joinOrder(chains: readonly ChainSpec[], hints: readonly SeekHint[], row: Row,
  state: ExecState): readonly ChainSpec[] {
  if (state.naivePlanning || !reorderable(chains)) return chains;
  const waiting = [...chains];
  const ordered: ChainSpec[] = [];
  let shape = row;
  while (waiting.length > 0) {
    let best = 0;
    let bestScore = Infinity;
    waiting.forEach((chain, i) => {
      const choice = chooseAnchor(chain, hints, shape, state);
      const after = withNamesOf(shape, chain);
      const rest = waiting.reduce((sum, other) => other === chain ? sum
        : sum + chooseAnchor(other, hints, after, state).cost, 0);
      const score = choice.cost + choice.estimatedRows * rest;
      // Ties keep the text order.
      if (score < bestScore) {
        best = i;
        bestScore = score;
      }
    });
    const [next] = waiting.splice(best, 1);
    if (next === undefined) break;
    ordered.push(next);
    shape = withNamesOf(shape, next);
  }
  return ordered;
}

/**
 * The order for this row, remembered per MATCH and number of bound variables for the
 * execution: the choice depends on which variables are bound, not on their values.
 */
export function memoJoinOrder(chains: readonly ChainSpec[], hints: readonly SeekHint[],
  row: Row, state: ExecState): readonly ChainSpec[] {
  if (!reorderable(chains)) return chains;
  let byShape = state.memo.get(chains) as Map<number, readonly ChainSpec[]> | undefined;
  if (byShape === undefined) {
    byShape = new Map();
    state.memo.set(chains, byShape);
  }
  let order = byShape.get(row.size);
  if (order === undefined) {
    order = joinOrder(chains, hints, row, state);
    byShape.set(row.size, order);
  }
  return order;
}

/** Estimated work of matching the chains in this order, for one row shaped like `row`. */
export function orderCost(order: readonly ChainSpec[], hints: readonly SeekHint[], row: Row,
  state: ExecState): number {
  let cost = 0;
  let rows = 1;
  let shape = row;
  for (const chain of order) {
    const choice = chooseAnchor(chain, hints, shape, state);
    cost += rows * choice.cost;
    rows *= choice.estimatedRows;
    shape = withNamesOf(shape, chain);
  }
  return cost;
}
