/**
 * PROFILE's database hits: the graph seen through a wrapper that counts each store read against
 * the operator working at the time, and each node or relationship a scan or expansion yields.
 * Inside a pattern walk the read also counts against the walk's current step, which is how one
 * matching operator's hits are spread over the operators EXPLAIN unfolds it into; the walk
 * (pattern-match.ts, shortest-path.ts) sets the step and counts its rows.
 */
import type { GraphReader, GraphWriter } from '../../graph/types.js';
import type { ChainSpec } from './pattern-spec.js';
import type { ChainProfile, Profiling, StepProfile } from './state.js';

/** Reads whose every yielded item is a hit of its own (Neo4j counts each record visited). */
const PER_ITEM = new Set<PropertyKey>([
  'allNodes', 'nodesByLabel', 'allRelationships', 'relationshipsOfTypes', 'relationshipsOf',
  'seekNodes',
  'seekNodesInRange',
]);

function hit(profiling: Profiling): void {
  const current = profiling.current;
  if (current === null) return;
  current.dbHits++;
  // A step left set by a walk whose operator is not the one working now is not its work.
  const step = profiling.step;
  if (step !== undefined && step !== null && step.owner === current) step.dbHits++;
}

function* countItems<T>(items: Iterable<T>, profiling: Profiling): Generator<T> {
  for (const item of items) {
    hit(profiling);
    yield item;
  }
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.iterator in value;
}

export function profiledGraph<G extends GraphReader | GraphWriter>(graph: G,
  profiling: Profiling): G {
  return new Proxy(graph, {
    get(target, prop) {
      const member: unknown = Reflect.get(target, prop, target);
      if (typeof member !== 'function') return member;
      return (...args: unknown[]): unknown => {
        hit(profiling);
        const result: unknown = Reflect.apply(member, target, args);
        return PER_ITEM.has(prop) && isIterable(result) ? countItems(result, profiling) : result;
      };
    },
  });
}

/** Chains broken down per operator; past this, a chain's work counts on its operator alone. */
const PROFILED_CHAINS_MAX = 256;

/** A chain's counters for the operator working now, and the step to hand back to. */
export interface ChainCounters {
  readonly counters: ChainProfile;
  /** The step that was working when the walk began: set again whenever a row leaves it. */
  readonly caller: StepProfile | null;
}

/**
 * The counters a walk of `chain` adds to under PROFILE, or null when its work is not broken
 * down: no operator is working, the breakdown is full, or a step of the same operator is
 * working (a pattern predicate on a node): the pattern is then part of that step's work.
 */
export function chainCounters(chain: ChainSpec, profiling: Profiling): ChainCounters | null {
  const owner = profiling.current;
  if (owner === null) return null;
  const caller = profiling.step ?? null;
  if (caller !== null && caller.owner === owner) return null;
  owner.chains ??= new Map();
  let counters = owner.chains.get(chain);
  if (counters === undefined) {
    if (owner.chains.size >= PROFILED_CHAINS_MAX) return null;
    const counter = (): StepProfile => ({ rows: 0, dbHits: 0, owner });
    counters = { nodes: chain.nodes.map(counter), rels: chain.rels.map(counter) };
    owner.chains.set(chain, counters);
  }
  return { counters, caller };
}
