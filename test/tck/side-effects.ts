/**
 * Side effects as the TCK defines them: differences in what a reader can observe (node and
 * relationship identities, distinct label names, (entity, key, value) property triples).
 */
import type { Database } from '../../src/db/database.js';
import { canonActual } from './tck-values.js';

export interface GraphFacts {
  readonly nodes: Set<number>;
  readonly rels: Set<number>;
  readonly labels: Set<string>;
  readonly properties: Set<string>;
}

export function measureGraph(db: Database): GraphFacts {
  const view = db.core.machine.store.openView();
  try {
    const facts: GraphFacts = { nodes: new Set(), rels: new Set(), labels: new Set(), properties: new Set() };
    const o = { unorderedLists: false };
    for (const id of view.allNodes()) {
      facts.nodes.add(id);
      for (const l of view.nodeLabels(id)) facts.labels.add(l);
      for (const [k, v] of view.nodeProperties(id)) facts.properties.add(`n${id}.${k}=${canonActual(v, o)}`);
    }
    for (const id of view.allRelationships()) {
      facts.rels.add(id);
      for (const [k, v] of view.relProperties(id)) facts.properties.add(`r${id}.${k}=${canonActual(v, o)}`);
    }
    return facts;
  } finally {
    view.close();
  }
}

function difference<T>(a: Set<T>, b: Set<T>): number {
  let n = 0;
  for (const x of a) if (!b.has(x)) n++;
  return n;
}

export function sideEffects(before: GraphFacts, after: GraphFacts): Map<string, number> {
  const out = new Map<string, number>();
  const put = (key: string, n: number): void => { if (n > 0) out.set(key, n); };
  put('+nodes', difference(after.nodes, before.nodes));
  put('-nodes', difference(before.nodes, after.nodes));
  put('+relationships', difference(after.rels, before.rels));
  put('-relationships', difference(before.rels, after.rels));
  put('+labels', difference(after.labels, before.labels));
  put('-labels', difference(before.labels, after.labels));
  put('+properties', difference(after.properties, before.properties));
  put('-properties', difference(before.properties, after.properties));
  return out;
}
