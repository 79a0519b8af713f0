/**
 * How EXPLAIN and PROFILE show a MATCH: the one matcher operator unfolded into the operators
 * Neo4j would show for the same work (NodeUniqueIndexSeek, NodeIndexSeek, NodeIndexSeekByRange
 * and its unique form, NodeByLabelScan, AllNodesScan, DirectedRelationshipTypeScan,
 * Expand(All) / Expand(Into),
 * VarLengthExpand, ShortestPath, CartesianProduct), each with the planner's estimate of its
 * rows, the patterns in join order.
 */
import type { Expr } from './ast.js';
import {
  explainChain, explainStart, flip, type RangeSeek, type Start, type WalkStep,
} from './exec/anchor-choice.js';
import { joinOrder } from './exec/join-order.js';
import { requiredLabels } from './exec/label-match.js';
import type { ChainSpec, NodeSpec, RelSpec, SeekHint } from './exec/pattern-spec.js';
import type { ExecState, Row } from './exec/state.js';
import { isHidden } from './exec/state.js';

/**
 * Which PROFILE counters an unfolded operator shows: the sum of a chain's counters at these
 * pattern positions (state.ts ChainProfile), or, for a CartesianProduct, the rows of its right
 * input (matched once per row of the left, so its rows are the product's).
 */
export type StepCounters =
  | { kind: 'chain'; chain: ChainSpec; nodes: readonly number[]; rels: readonly number[] }
  | { kind: 'right-input' };

/**
 * One operator of the unfolded plan; `children` are the operators it reads from. `described`
 * carries a part of the plan described elsewhere (the MATCH's input), shown as it is.
 */
export interface PlanStep<T = never> {
  operatorType: string;
  details: string;
  identifiers: string[];
  estimatedRows: number;
  children: PlanStep<T>[];
  described?: T;
  counters?: StepCounters;
}

type ChainCounters = Extract<StepCounters, { kind: 'chain' }>;

function atNodes(chain: ChainSpec, nodes: readonly number[]): ChainCounters {
  return { kind: 'chain', chain, nodes, rels: [] };
}

function atRel(chain: ChainSpec, rel: number): StepCounters {
  return { kind: 'chain', chain, nodes: [], rels: [rel] };
}

function shown(name: string): string {
  return isHidden(name) ? '' : name;
}

function nodeText(node: NodeSpec): string {
  const labels = requiredLabels(node.labels).map((l) => `:${l}`).join('');
  return `(${shown(node.name)}${labels})`;
}

function relText(step: Omit<WalkStep, 'rows'>): string {
  const rel: RelSpec = step.rel;
  const direction = step.reversed ? flip(rel.direction) : rel.direction;
  const types = rel.types.length === 0 ? '' : `:${rel.types.join('|')}`;
  const length = rel.length === null ? ''
    : `*${rel.length.min ?? ''}..${rel.length.max ?? ''}`;
  const body = `[${shown(rel.name)}${types}${length}]`;
  const left = direction === 'in' ? '<-' : '-';
  const right = direction === 'out' ? '->' : '-';
  return `${nodeText(step.from)}${left}${body}${right}${nodeText(step.to)}`;
}

function isUnique(state: ExecState, label: string, key: string): boolean {
  return state.graph.constraints().some((c) => c.entity === 'NODE' && c.labelOrType === label &&
    c.properties.length === 1 && c.properties[0] === key &&
    (c.kind === 'UNIQUENESS' || c.kind === 'NODE_KEY'));
}

function named(spec: NodeSpec | RelSpec): string[] {
  return spec.named ? [spec.name] : [];
}

/** A seek's bound as Neo4j's details show it: a parameter or a literal, else an ellipsis. */
function boundText(expr: Expr): string {
  if (expr.kind === 'param') return `$${expr.name}`;
  if (expr.kind === 'negate') return expr.operand.kind === 'literal' ? `-${boundText(expr.operand)}`
    : '...';
  if (expr.kind !== 'literal') return '...';
  const v = expr.value;
  if (typeof v === 'string') return `'${v.replaceAll("'", "\\'")}'`;
  return typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean' ? String(v)
    : '...';
}

function rangeText(key: string, seek: RangeSeek): string {
  if (seek.kind === 'prefix') return `${key} STARTS WITH ${boundText(seek.value)}`;
  const parts: string[] = [];
  if (seek.lower !== null) {
    parts.push(`${key} ${seek.lower.inclusive ? '>=' : '>'} ${boundText(seek.lower.value)}`);
  }
  if (seek.upper !== null) {
    parts.push(`${key} ${seek.upper.inclusive ? '<=' : '<'} ${boundText(seek.upper.value)}`);
  }
  return parts.join(' AND ');
}

function leaf<T>(node: NodeSpec, start: Start, rows: number, state: ExecState,
  counters: StepCounters): PlanStep<T> | null {
  const base = { identifiers: named(node), estimatedRows: rows, children: [] as PlanStep<T>[],
    counters };
  switch (start.kind) {
    case 'bound': case 'rels': return null;
    case 'all': return { ...base, operatorType: 'AllNodesScan', details: shown(node.name) };
    case 'label':
      return { ...base, operatorType: 'NodeByLabelScan',
        details: `${shown(node.name)}:${start.label}` };
    case 'seek': {
      const unique = isUnique(state, start.label, start.key);
      const predicate = start.many ? `${start.key} IN ...` : `${start.key} = ...`;
      return { ...base, operatorType: unique ? 'NodeUniqueIndexSeek' : 'NodeIndexSeek',
        details: `${unique ? 'UNIQUE' : 'RANGE INDEX'} ${shown(node.name)}:${start.label}` +
          `(${start.key}) WHERE ${predicate}` };
    }
    case 'range': {
      const unique = isUnique(state, start.label, start.key);
      return { ...base,
        operatorType: unique ? 'NodeUniqueIndexSeekByRange' : 'NodeIndexSeekByRange',
        details: `${unique ? 'UNIQUE' : 'RANGE INDEX'} ${shown(node.name)}:${start.label}` +
          `(${start.key}) WHERE ${rangeText(start.key, start.seek)}` };
    }
  }
}

/**
 * A type scan (the walk's first step, over the chain's relationship it scans), with the rows
 * of both ends that fit; its counters are the start's and that relationship's.
 */
function typeScan<T>(chain: ChainSpec, scan: WalkStep, startCounters: ChainCounters):
  PlanStep<T> {
  return { operatorType: 'DirectedRelationshipTypeScan', details: relText(scan),
    identifiers: [...named(scan.from), ...named(scan.rel), ...named(scan.to)],
    estimatedRows: scan.rows, children: [],
    counters: { ...startCounters, rels: [chain.rels.indexOf(scan.rel)] } };
}

/** The bound-variable row EXPLAIN costs with: each name present, its value unknown. */
export function shapeRow(names: Iterable<string>): Row {
  return new Map([...names].map((name) => [name, null]));
}

function argument<T>(counters?: StepCounters): PlanStep<T> {
  const step: PlanStep<T> = { operatorType: 'Argument', details: '', identifiers: [],
    estimatedRows: 1, children: [] };
  if (counters !== undefined) step.counters = counters;
  return step;
}

/** `top` then `next` as a cross product, or just `next` when nothing came before. */
function product<T>(top: PlanStep<T> | null, next: PlanStep<T>, rows: number): PlanStep<T> {
  if (top === null) return next;
  return { operatorType: 'CartesianProduct', details: '', identifiers: [],
    estimatedRows: rows * next.estimatedRows, children: [top, next],
    counters: { kind: 'right-input' } };
}

/** shortestPath: both ends found, then the search between them. */
function unfoldShortest<T>(chain: ChainSpec, row: Row, state: ExecState,
  input: { step: PlanStep<T> | null; rows: number }): { step: PlanStep<T>; rows: number } {
  const first = chain.nodes[0] as NodeSpec;
  const last = chain.nodes[chain.nodes.length - 1] as NodeSpec;
  let top = input.step;
  let rows = input.rows;
  const from = explainStart(first, [], row, state);
  const fromLeaf = leaf<T>(first, from.start, from.rows, state, atNodes(chain, [0]));
  if (fromLeaf !== null) top = product(top, fromLeaf, rows);
  rows *= from.rows;
  const withFirst = new Map(row).set(first.name, null);
  const to = explainStart(last, [], withFirst, state);
  const toLeaf = leaf<T>(last, to.start, to.rows, state,
    atNodes(chain, [chain.nodes.length - 1]));
  if (toLeaf !== null) top = product(top, toLeaf, rows);
  rows *= to.rows;
  const rel = chain.rels[0] as RelSpec;
  const details = `${chain.pathVariable === null ? '' : `${chain.pathVariable} = `}` +
    relText({ from: first, rel, to: last, reversed: false });
  return { rows, step: { operatorType: chain.shortest === 'all' ? 'AllShortestPaths'
    : 'ShortestPath', details, identifiers: [...(chain.pathVariable === null ? []
    : [chain.pathVariable]), ...named(rel)], estimatedRows: rows,
  children: [top ?? argument<T>()], counters: atRel(chain, 0) } };
}

/**
 * The operators for `chains` matched per row of `input` (step null: nothing before, or only
 * the argument). `bound` names the variables bound before the MATCH.
 */
export function unfoldMatch<T>(chains: readonly ChainSpec[], hints: readonly SeekHint[],
  bound: Row, state: ExecState, input: { step: PlanStep<T> | null; rows: number }): PlanStep<T> {
  let top = input.step;
  let rows = input.rows;
  const names = new Set(bound.keys());
  for (const chain of joinOrder(chains, hints, bound, state)) {
    const row = shapeRow(names);
    for (const node of chain.nodes) names.add(node.name);
    for (const rel of chain.rels) names.add(rel.name);
    if (chain.shortest !== null) {
      const shortest = unfoldShortest(chain, row, state, { step: top, rows });
      top = shortest.step;
      rows = shortest.rows;
      continue;
    }
    const { choice, startRows, steps } = explainChain(chain, hints, row, state);
    const anchor = chain.nodes[choice.index] as NodeSpec;
    // The start may move from row to row (a bound node makes another end cheaper): wherever
    // the walk began, its start shows on this one.
    const startCounters = atNodes(chain, chain.nodes.map((_, i) => i));
    // A type scan is the walk's first step too: it binds both ends of its relationship.
    const scan = choice.start.kind === 'rels' ? steps[0] : undefined;
    const start = scan === undefined
      ? leaf<T>(anchor, choice.start, startRows, state, startCounters)
      : typeScan<T>(chain, scan, startCounters);
    // A bound start with nothing before it reads the argument row: its rows are the start's.
    if (start !== null) top = product(top, start, rows);
    else top ??= argument<T>(startCounters);
    const seen = new Set([...row.keys(), anchor.name]);
    if (scan !== undefined) seen.add(scan.to.name);
    let chainRows = scan?.rows ?? startRows;
    for (const step of scan === undefined ? steps : steps.slice(1)) {
      chainRows = step.rows;
      const into = seen.has(step.to.name);
      top = { operatorType: `${step.rel.length === null ? 'Expand' : 'VarLengthExpand'}` +
        `(${into ? 'Into' : 'All'})`, details: relText(step),
      identifiers: [...named(step.rel), ...named(step.to)], estimatedRows: rows * chainRows,
      children: [top ?? argument<T>()], counters: atRel(chain, chain.rels.indexOf(step.rel)) };
      seen.add(step.to.name);
    }
    rows *= chainRows;
  }
  return top ?? argument<T>();
}
