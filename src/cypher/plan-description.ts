/**
 * The plan tree EXPLAIN and PROFILE report, shaped like Neo4j's: operator type, arguments
 * (Details, and at the root the planner and runtime), identifiers, children, and under PROFILE
 * the rows each operator produced.
 */
import type { Value } from '../graph/values.js';
import type { Operator } from './exec/operators/operator.js';
import { isHidden, type ExecState } from './exec/state.js';

export interface PlanDescription {
  readonly operatorType: string;
  readonly arguments: Map<string, Value>;
  readonly identifiers: string[];
  readonly children: PlanDescription[];
  /** PROFILE only. */
  readonly rows?: number;
  readonly dbHits?: number;
}

function describe(op: Operator, state: ExecState): PlanDescription {
  const args = new Map<string, Value>();
  const details = op.details(state);
  if (details !== '') args.set('Details', details);
  const children = op.children.map((child) => describe(child, state));
  const identifiers = [...new Set([...op.identifiers(),
    ...children.flatMap((c) => c.identifiers)])].filter((n) => !isHidden(n)).sort();
  const base = { operatorType: `${op.name}@neo4j`, arguments: args, identifiers, children };
  const profile = state.profile?.get(op);
  if (state.profile === null) return base;
  return { ...base, rows: profile?.rows ?? 0, dbHits: profile?.dbHits ?? 0 };
}

export function describePlan(root: Operator, fields: readonly string[],
  state: ExecState): PlanDescription {
  const child = describe(root, state);
  const args = new Map<string, Value>([
    ['Details', fields.join(', ')],
    ['planner', 'COST'], ['planner-impl', 'IDP'], ['planner-version', '5'],
    ['runtime', 'INTERPRETED'], ['runtime-impl', 'INTERPRETED'], ['runtime-version', '5'],
    ['version', 'CYPHER 5'],
  ]);
  const identifiers = [...new Set([...fields, ...child.identifiers])].sort();
  const produce = { operatorType: 'ProduceResults@neo4j', arguments: args, identifiers,
    children: [child] };
  if (state.profile === null) return produce;
  return { ...produce, rows: child.rows ?? 0, dbHits: 0 };
}
