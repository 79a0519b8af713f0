/**
 * PROFILE's database hits: the graph seen through a wrapper that counts each store read against
 * the operator working at the time, and each node or relationship a scan or expansion yields.
 */
import type { GraphReader, GraphWriter } from '../../graph/types.js';
import type { OperatorProfile } from './state.js';

/** Reads whose every yielded item is a hit of its own (Neo4j counts each record visited). */
const PER_ITEM = new Set<PropertyKey>([
  'allNodes', 'nodesByLabel', 'allRelationships', 'relationshipsOf', 'seekNodes',
  'seekNodesInRange',
]);

function* countItems<T>(items: Iterable<T>, profiling: { current: OperatorProfile | null }):
  Generator<T> {
  for (const item of items) {
    if (profiling.current !== null) profiling.current.dbHits++;
    yield item;
  }
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.iterator in value;
}

export function profiledGraph<G extends GraphReader | GraphWriter>(graph: G,
  profiling: { current: OperatorProfile | null }): G {
  return new Proxy(graph, {
    get(target, prop) {
      const member: unknown = Reflect.get(target, prop, target);
      if (typeof member !== 'function') return member;
      return (...args: unknown[]): unknown => {
        if (profiling.current !== null) profiling.current.dbHits++;
        const result: unknown = Reflect.apply(member, target, args);
        return PER_ITEM.has(prop) && isIterable(result) ? countItems(result, profiling) : result;
      };
    },
  });
}
