/**
 * The function library as the executor sees it: scalar functions by lower-case qualified name
 * ('tolower', 'date.truncate', 'point.distance') and aggregating functions by name.
 */
import type { GraphReader } from '../../graph/types.js';
import type { Value } from '../../graph/values.js';
import { AGGREGATES } from './aggregates.js';
import { CONVERSION_FUNCTIONS } from './conversion-functions.js';
import { GRAPH_FUNCTIONS } from './graph-functions.js';
import { LIST_FUNCTIONS } from './list-functions.js';
import { MATH_FUNCTIONS } from './math-functions.js';
import { SCALAR_FUNCTIONS } from './scalar-functions.js';
import { SPATIAL_FUNCTIONS } from './spatial-functions.js';
import { STRING_FUNCTIONS } from './string-functions.js';
import { TEMPORAL_FUNCTIONS } from './temporal-functions.js';

export interface FunctionContext {
  readonly graph: GraphReader;
  /** When the statement started, in ms since the epoch: what date(), timestamp() … see. */
  readonly statementTimeMs: number;
  /** Uniform in [0, 1); seeded and run once on the leader (rand(), randomUUID()). */
  random(): number;
}

export interface FunctionDef {
  /** Display name with Neo4j's casing, qualified by namespace: 'toLower', 'date.truncate'. */
  readonly name: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  /** As SHOW FUNCTIONS prints it: 'toLower(input :: STRING) :: STRING'. */
  readonly signature: string;
  readonly description: string;
  readonly category: string;
  call(args: Value[], ctx: FunctionContext): Value;
}

export interface Aggregator {
  add(value: Value): void;
  result(): Value;
}

export interface AggregateDef {
  readonly name: string;
  readonly signature: string;
  readonly description: string;
  /** extraArgs: the arguments after the first (the percentile of percentileCont). */
  create(extraArgs: Value[]): Aggregator;
}

const ALL_FUNCTIONS: readonly FunctionDef[] = [
  ...STRING_FUNCTIONS, ...MATH_FUNCTIONS, ...LIST_FUNCTIONS, ...CONVERSION_FUNCTIONS,
  ...GRAPH_FUNCTIONS, ...SCALAR_FUNCTIONS, ...TEMPORAL_FUNCTIONS, ...SPATIAL_FUNCTIONS,
];

const BY_NAME: ReadonlyMap<string, FunctionDef> =
  new Map(ALL_FUNCTIONS.map((f) => [f.name.toLowerCase(), f]));

const AGGREGATES_BY_NAME: ReadonlyMap<string, AggregateDef> =
  new Map(AGGREGATES.map((a) => [a.name.toLowerCase(), a]));

export function lookupFunction(qualifiedLowerCaseName: string): FunctionDef | undefined {
  return BY_NAME.get(qualifiedLowerCaseName);
}

/** Every scalar function, sorted by name, for SHOW FUNCTIONS. */
export function allFunctions(): FunctionDef[] {
  return [...ALL_FUNCTIONS].sort((a, b) => a.name.localeCompare(b.name));
}

export function lookupAggregate(lowerCaseName: string): AggregateDef | undefined {
  return AGGREGATES_BY_NAME.get(lowerCaseName);
}

export function allAggregates(): AggregateDef[] {
  return [...AGGREGATES].sort((a, b) => a.name.localeCompare(b.name));
}
