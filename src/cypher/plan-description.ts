/**
 * The plan tree EXPLAIN and PROFILE report, shaped like Neo4j's: operator type, arguments
 * (Details, and at the root the planner and runtime), identifiers, children, and under PROFILE
 * the rows each operator produced and the database hits it made.
 */
import { assert } from '../assert.js';
import type { Value } from '../graph/values.js';
import { Argument, type Operator } from './exec/operators/operator.js';
import { MatchOp } from './exec/operators/read.js';
import type { ChainSpec } from './exec/pattern-spec.js';
import {
  isHidden, type ChainProfile, type ExecState, type OperatorProfile,
} from './exec/state.js';
import { shapeRow, unfoldMatch, type PlanStep, type StepCounters } from './match-plan.js';

export interface PlanDescription {
  readonly operatorType: string;
  /** Named `args` as on the wire (Bolt's plan metadata), where drivers read it from. */
  readonly args: Map<string, Value>;
  readonly identifiers: string[];
  readonly children: PlanDescription[];
  /** PROFILE only. */
  readonly rows?: number;
  readonly dbHits?: number;
}

interface Described {
  plan: PlanDescription;
  /** The planner's estimate of the rows this part of the plan produces. */
  estimatedRows: number;
}

function estimate(rows: number): number {
  return Math.max(0, Math.round(rows * 100) / 100);
}

function describe(op: Operator, state: ExecState): Described {
  if (op instanceof MatchOp) return describeMatch(op, state);
  const children = op.children.map((child) => describe(child, state));
  const estimatedRows = op.estimateRows(children[0]?.estimatedRows ?? 1, state);
  const args = new Map<string, Value>();
  const details = op.details(state);
  if (details !== '') args.set('Details', details);
  args.set('EstimatedRows', estimate(estimatedRows));
  const identifiers = [...new Set([...op.identifiers(),
    ...children.flatMap((c) => c.plan.identifiers)])].filter((n) => !isHidden(n)).sort();
  const base = { operatorType: `${op.name}@neo4j`, args, identifiers,
    children: children.map((c) => c.plan) };
  return { plan: withProfile(base, state.profile?.get(op), state), estimatedRows };
}

function withProfile(base: PlanDescription, profile: OperatorProfile | undefined,
  state: ExecState): PlanDescription {
  if (state.profile === null) return base;
  return { ...base, rows: profile?.rows ?? 0, dbHits: profile?.dbHits ?? 0 };
}

/**
 * A MATCH unfolded into Neo4j's operators. Under PROFILE each shows the rows and database hits
 * of its step of the walk (docs/decisions/0030-profile-counters.md); the top one shows the
 * rows the MATCH produced, and the reads no step claims (choosing where to start, the
 * predicate of a split OR, a bound start below another operator), so the hits still add up
 * to the MATCH's.
 */
function describeMatch(op: MatchOp, state: ExecState): Described {
  const source = op.source;
  const input = source === null || source instanceof Argument ? null : describe(source, state);
  const top = unfoldMatch<PlanDescription>(op.chains, op.hints, shapeRow(op.boundBefore),
    state, { step: input === null ? null : { operatorType: '', details: '', identifiers: [],
      estimatedRows: input.estimatedRows, children: [], described: input.plan },
    rows: input?.estimatedRows ?? 1 });
  const estimatedRows = top.estimatedRows;
  if (state.profile === null || top.described !== undefined) {
    return { plan: stepPlan(top, null), estimatedRows };
  }
  const entry = state.profile.get(op);
  const placed = { dbHits: 0 };
  const plan = stepPlan(top, { chains: entry?.chains, placed });
  const unclaimed = (entry?.dbHits ?? 0) - placed.dbHits;
  assert(unclaimed >= 0, 'a walk step counted reads its operator did not');
  return { plan: { ...plan, rows: entry?.rows ?? 0, dbHits: (plan.dbHits ?? 0) + unclaimed },
    estimatedRows };
}

/** PROFILE: the counters of one MATCH, and the hits shown on its operators so far. */
interface Tally {
  chains: ReadonlyMap<ChainSpec, ChainProfile> | undefined;
  placed: { dbHits: number };
}

function stepCounts(counters: StepCounters | undefined, children: readonly PlanDescription[],
  tally: Tally): { rows: number; dbHits: number } {
  if (counters === undefined) return { rows: 0, dbHits: 0 };
  if (counters.kind === 'right-input') {
    return { rows: children[children.length - 1]?.rows ?? 0, dbHits: 0 };
  }
  const chain = tally.chains?.get(counters.chain);
  if (chain === undefined) return { rows: 0, dbHits: 0 };
  const steps = [...counters.nodes.map((i) => chain.nodes[i]),
    ...counters.rels.map((i) => chain.rels[i])];
  let rows = 0;
  let dbHits = 0;
  for (const step of steps) {
    rows += step?.rows ?? 0;
    dbHits += step?.dbHits ?? 0;
  }
  tally.placed.dbHits += dbHits;
  return { rows, dbHits };
}

/** `tally` is null without PROFILE. */
function stepPlan(step: PlanStep<PlanDescription>, tally: Tally | null): PlanDescription {
  if (step.described !== undefined) return step.described;
  const children = step.children.map((child) => stepPlan(child, tally));
  const args = new Map<string, Value>();
  if (step.details !== '') args.set('Details', step.details);
  args.set('EstimatedRows', estimate(step.estimatedRows));
  const identifiers = [...new Set([...step.identifiers,
    ...children.flatMap((c) => c.identifiers)])].filter((n) => !isHidden(n)).sort();
  const base = { operatorType: `${step.operatorType}@neo4j`, args, identifiers,
    children };
  if (tally === null) return base;
  return { ...base, ...stepCounts(step.counters, children, tally) };
}

export function describePlan(root: Operator, fields: readonly string[],
  state: ExecState): PlanDescription {
  const described = describe(root, state);
  const child = described.plan;
  const args = new Map<string, Value>([
    ['Details', fields.join(', ')],
    ['planner', 'COST'], ['planner-impl', 'IDP'], ['planner-version', '5'],
    ['runtime', 'INTERPRETED'], ['runtime-impl', 'INTERPRETED'], ['runtime-version', '5'],
    ['version', 'CYPHER 5'], ['EstimatedRows', estimate(described.estimatedRows)],
  ]);
  const identifiers = [...new Set([...fields, ...child.identifiers])].sort();
  const produce = { operatorType: 'ProduceResults@neo4j', args, identifiers,
    children: [child] };
  if (state.profile === null) return produce;
  return { ...produce, rows: child.rows ?? 0, dbHits: 0 };
}
