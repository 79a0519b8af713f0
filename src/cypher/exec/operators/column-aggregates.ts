/**
 * count(*), count(x) and avg(x) of an aggregation over an id walk (id-walk.ts), kept in typed
 * arrays indexed by the group's ordinal rather than in an Aggregator per group: no call through
 * an aggregator, no boxed number, per match. count(v) of a chain variable counts every match as
 * count(*) does. count(x) and avg(x) of a property take this form only when the property was
 * read ahead into a column (node-columns.ts), and avg(x) only when that column holds nothing
 * but numbers and nulls, so it can neither fail nor see a value it would treat otherwise. Each
 * group still receives its values in the walk's order, and avg computes the same running mean
 * as the avg aggregator (functions/aggregates.ts), step for step: the answers are the same to
 * the last bit.
 */
import { assert } from '../../../assert.js';
import { NumberKind } from '../../../graph/snapshot-codec.js';
import type { Value } from '../../../graph/values.js';
import type { FunctionCall } from '../../ast.js';
import type { Aggregator } from '../../functions/registry.js';
import { columnFor, type NodeColumns, type NumberColumn } from '../node-columns.js';
import { nodeIdAt, type MatchRun } from '../match-run.js';
import type { ChainSpec } from '../pattern-spec.js';
import type { AggregateSpec } from './projection.js';

/** Groups the arrays first make room for; they double when full. */
const GROUPS_INITIAL = 64;

/** One aggregate of every group, in typed arrays. */
export interface ColumnAggregate {
  /** Adds match k of `run` to group ordinal `groups[k]`, for every k < run.count. */
  addRun(run: MatchRun, groups: Int32Array): void;
  /** The result of group `ordinal`, as an Aggregator whose add is never called. */
  resultOf(ordinal: number): Aggregator;
}

type Doubles = Float64Array<ArrayBuffer>;

function grown(array: Doubles, ordinal: number): Doubles {
  if (ordinal < array.length) return array;
  const bigger = new Float64Array(Math.max(array.length * 2, ordinal + 1));
  bigger.set(array);
  return bigger;
}

function readOnly(result: () => Value): Aggregator {
  return {
    add: () => { assert(false, 'a column aggregate is added to by runs only'); },
    result,
  };
}

/** count(*): every match. */
class CountStar implements ColumnAggregate {
  private counts = new Float64Array(GROUPS_INITIAL);

  addRun(run: MatchRun, groups: Int32Array): void {
    for (let k = 0; k < run.count; k++) {
      const g = groups[k] as number;
      this.counts = grown(this.counts, g);
      (this.counts[g] as number)++;
    }
  }

  resultOf(ordinal: number): Aggregator {
    return readOnly(() => BigInt(this.counts[ordinal] ?? 0));
  }
}

/** count(x) and avg(x) of a column: the count of non-null values, and their running mean. */
class ColumnCountAvg implements ColumnAggregate {
  private counts = new Float64Array(GROUPS_INITIAL);
  private means = new Float64Array(GROUPS_INITIAL);

  constructor(private readonly column: NumberColumn, private readonly average: boolean) {}

  addRun(run: MatchRun, groups: Int32Array): void {
    const { kinds, values } = this.column;
    for (let k = 0; k < run.count; k++) {
      const id = nodeIdAt(run, this.column.nodeIndex, k);
      if (kinds[id] === NumberKind.Absent) continue;
      const g = groups[k] as number;
      this.counts = grown(this.counts, g);
      const count = ++(this.counts[g] as number);
      if (!this.average) continue;
      this.means = grown(this.means, g);
      const mean = this.means[g] as number;
      // As functions/aggregates.ts's avg: a running mean, in the same floating-point steps.
      this.means[g] = mean + ((values[id] as number) - mean) / count;
    }
  }

  resultOf(ordinal: number): Aggregator {
    return readOnly(() => {
      const count = this.counts[ordinal] ?? 0;
      if (!this.average) return BigInt(count);
      return count === 0 ? null : (this.means[ordinal] ?? 0);
    });
  }
}

/** count(v) of a variable of the chain: never null in a match, so it counts every match. */
function isCountOfMatched(call: FunctionCall, chain: ChainSpec): boolean {
  const expr = call.args[0];
  if (call.name !== 'count' || call.distinct || expr?.kind !== 'var') return false;
  const name = expr.name;
  return chain.nodes.some((n) => n.name === name) || chain.rels.some((r) => r.name === name);
}

/** The column holding the property of a chain node that `argument` reads, if any. */
function columnOf(argument: FunctionCall, chain: ChainSpec, columns: readonly NodeColumns[],
  keyId: (key: string) => number | undefined): NumberColumn | null {
  const expr = argument.args[0];
  if (expr?.kind !== 'prop' || expr.target.kind !== 'var') return null;
  const name = expr.target.name;
  const node = chain.nodes.findIndex((n) => n.name === name);
  return node < 0 ? null : columnFor(columns, node, keyId(expr.key));
}

/**
 * The typed form of aggregate `spec` over a walk of `chain` with `columns`, or null when it
 * must be given its values one by one (see the file comment).
 */
export function columnAggregate(spec: AggregateSpec, chain: ChainSpec,
  columns: readonly NodeColumns[], keyId: (key: string) => number | undefined):
  ColumnAggregate | null {
  const call = spec.call;
  if (call === null || isCountOfMatched(call, chain)) return new CountStar();
  if (call.distinct || (call.name !== 'count' && call.name !== 'avg')) return null;
  const column = columnOf(call, chain, columns, keyId);
  // count(x) counts any value; avg(x) only the numbers this column holds.
  if (column === null || (call.name === 'avg' && column.hasOther)) return null;
  return new ColumnCountAvg(column, call.name === 'avg');
}
