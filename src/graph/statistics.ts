/**
 * Statistics the Cypher planner costs plans with: node counts per label, average degree per
 * label, relationship type and direction, and how many nodes an equality on an indexed property
 * selects. Counts come from the store; degrees and selectivities from a deterministic sample of
 * the first nodes of a label, so asking costs a bounded amount of work, remembered per reader
 * (one transaction's view of one version).
 */
import type { Direction, GraphReader } from './types.js';
import type { PropertyValue } from './values.js';

/** Nodes looked at per estimate: enough for an average, bounded whatever the graph's size. */
export const statisticsSampleNodesMax = 64;
/** Relationships looked at per estimate of what they lead to. */
export const statisticsSampleRelsMax = 256;
/** Estimates kept per database; the cache starts over when full. */
export const statisticsEntriesMax = 10_000;
/** An estimate is made again once the graph's size has changed by more than this fraction. */
const STALE_FRACTION = 0.1;

interface Estimate {
  readonly value: number;
  readonly nodeCount: number;
  readonly relationshipCount: number;
}

/**
 * Sampled estimates shared by every transaction of one database, so that a short query does not
 * pay for sampling: each is recomputed when the graph has grown or shrunk by a tenth since.
 */
export class StatisticsCache {
  private readonly entries = new Map<string, Estimate>();

  lookup(key: string, graph: GraphReader, compute: () => number): number {
    const nodes = graph.nodeCount();
    const rels = graph.relationshipCount();
    const known = this.entries.get(key);
    if (known !== undefined && !changed(known.nodeCount, nodes) &&
      !changed(known.relationshipCount, rels)) {
      return known.value;
    }
    const value = compute();
    if (this.entries.size >= statisticsEntriesMax) this.entries.clear();
    this.entries.set(key, { value, nodeCount: nodes, relationshipCount: rels });
    return value;
  }
}

function changed(then: number, now: number): boolean {
  return Math.abs(now - then) > STALE_FRACTION * then + 1;
}

export class GraphStatistics {
  constructor(private readonly graph: GraphReader,
    private readonly cache: StatisticsCache = new StatisticsCache()) {}

  nodeCount(): number {
    return this.graph.nodeCount();
  }

  relationshipCount(): number {
    return this.graph.relationshipCount();
  }

  /** Nodes with the label; all nodes when label is null. */
  labelCount(label: string | null): number {
    return label === null ? this.graph.nodeCount() : this.graph.labelCount(label);
  }

  /**
   * Average number of relationships of one of `types` (any type when empty) leaving a node with
   * `label` (any node when null) in `direction`.
   */
  averageDegree(label: string | null, direction: Direction, types: readonly string[]): number {
    const key = `d\u0000${label ?? ''}\u0000${direction}\u0000${types.join('\u0000')}`;
    return this.cache.lookup(key, this.graph, () => this.sampleDegree(label, direction, types));
  }

  /**
   * Of the nodes reached from nodes with `label` over `types` in `direction`, the fraction that
   * have `endLabel`: a relationship type often implies its end's label (LIVES_IN leads to a
   * City), which the label's share of all nodes would badly underestimate.
   */
  endLabelFraction(label: string | null, direction: Direction, types: readonly string[],
    endLabel: string): number {
    const key = `e\u0000${label ?? ''}\u0000${direction}\u0000${types.join('\u0000')}` +
      `\u0000${endLabel}`;
    return this.cache.lookup(key, this.graph, () => {
      let reached = 0;
      let labelled = 0;
      for (const id of this.sample(label)) {
        for (const { other } of this.graph.relationshipsOf(id, direction,
          types.length === 0 ? undefined : types)) {
          reached++;
          if (this.graph.hasLabel(other, endLabel)) labelled++;
          if (reached >= statisticsSampleRelsMax) break;
        }
        if (reached >= statisticsSampleRelsMax) break;
      }
      if (reached > 0) return labelled / reached;
      return this.graph.labelCount(endLabel) / Math.max(1, this.graph.nodeCount());
    });
  }

  /**
   * Relationships of one of `types` a type scan yields; 0 when the reader has no type scan.
   * Counted by scanning, so asked only once a scan is worth costing (anchor-choice.ts).
   */
  typeCount(types: readonly string[]): number {
    return this.cache.lookup(`t\u0000${types.join('\u0000')}`, this.graph, () => {
      let count = 0;
      for (const _ of this.graph.relationshipsOfTypes?.(types) ?? []) count++;
      return count;
    });
  }

  /**
   * Of the relationships of one of `types`, the fraction whose `side` end has `label`, from up
   * to statisticsSampleRelsMax of them spread evenly over the type scan.
   */
  typeEndFraction(types: readonly string[], side: 'start' | 'end', label: string): number {
    const key = `f\u0000${side}\u0000${label}\u0000${types.join('\u0000')}`;
    return this.cache.lookup(key, this.graph, () => {
      const stride = Math.max(1, Math.floor(this.typeCount(types) / statisticsSampleRelsMax));
      let index = 0;
      let seen = 0;
      let labelled = 0;
      for (const rel of this.graph.relationshipsOfTypes?.(types) ?? []) {
        if (index++ % stride !== 0) continue;
        const node = side === 'start' ? this.graph.relStart(rel) : this.graph.relEnd(rel);
        if (this.graph.hasLabel(node, label)) labelled++;
        if (++seen >= statisticsSampleRelsMax) break;
      }
      if (seen > 0) return labelled / seen;
      return this.graph.labelCount(label) / Math.max(1, this.graph.nodeCount());
    });
  }

  /**
   * Relationships of one node, counted up to `max`: a bound node's real degree is a better
   * guide than an average, and past `max` all that matters is that it is large.
   */
  degreeOf(id: number, direction: Direction, types: readonly string[], max: number): number {
    let count = 0;
    for (const _ of this.graph.relationshipsOf(id, direction,
      types.length === 0 ? undefined : types)) {
      if (++count >= max) break;
    }
    return count;
  }

  private sampleDegree(label: string | null, direction: Direction,
    types: readonly string[]): number {
    let nodes = 0;
    let rels = 0;
    for (const id of this.sample(label)) {
      nodes++;
      rels += this.graph.degree(id, direction, types.length === 0 ? undefined : types);
    }
    return nodes === 0 ? 0 : rels / nodes;
  }

  /**
   * Expected number of nodes an equality seek on (label, key) returns: the average, over the
   * sampled nodes' own values, of how many nodes share that value. 1 for a unique property.
   */
  seekRows(label: string, key: string): number {
    return this.cache.lookup(`s\u0000${label}\u0000${key}`, this.graph,
      () => this.sampleSeekRows(label, key));
  }

  private sampleSeekRows(label: string, key: string): number {
    let probes = 0;
    let found = 0;
    for (const id of this.sample(label)) {
      const value = this.graph.nodeProperty(id, key);
      if (value === null) continue;
      const hits = this.graph.seekNodes(label, key, value as PropertyValue);
      if (hits === null) break;
      probes++;
      for (const _ of hits) found++;
    }
    return probes === 0 ? 1 : Math.max(1, found / probes);
  }

  private *sample(label: string | null): Generator<number> {
    let taken = 0;
    const ids = label === null ? this.graph.allNodes() : this.graph.nodesByLabel(label);
    for (const id of ids) {
      if (taken++ >= statisticsSampleNodesMax) return;
      yield id;
    }
  }
}

const byReader = new WeakMap<GraphReader, GraphStatistics>();

/**
 * The statistics of one reader. With a database's cache every estimate lives in the cache, so a
 * fresh object per statement costs less than finding one by reader; without one, estimates are
 * made on first use and kept as long as the reader lives.
 */
export function statisticsOf(graph: GraphReader, cache?: StatisticsCache): GraphStatistics {
  if (cache !== undefined) return new GraphStatistics(graph, cache);
  let stats = byReader.get(graph);
  if (stats === undefined) {
    stats = new GraphStatistics(graph);
    byReader.set(graph, stats);
  }
  return stats;
}
