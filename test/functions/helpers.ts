/** Shared fixtures for the function-library tests: a tiny graph and a call helper. */
import type { Adjacent, GraphReader, NodeId, RelId } from '../../src/graph/types.js';
import type { PropertyValue, Value } from '../../src/graph/values.js';
import { lookupFunction, type FunctionContext } from '../../src/cypher/functions/registry.js';

interface FakeNode { labels: string[]; props: Map<string, PropertyValue> }
interface FakeRel { type: string; start: NodeId; end: NodeId; props: Map<string, PropertyValue> }

/** A fixed in-memory graph: enough of GraphReader for entity functions and printing. */
export class FakeGraph implements GraphReader {
  readonly nodes = new Map<NodeId, FakeNode>();
  readonly rels = new Map<RelId, FakeRel>();

  addNode(id: NodeId, labels: string[], props: Record<string, PropertyValue> = {}): this {
    this.nodes.set(id, { labels, props: new Map(Object.entries(props)) });
    return this;
  }

  addRel(id: RelId, type: string, start: NodeId, end: NodeId,
    props: Record<string, PropertyValue> = {}): this {
    this.rels.set(id, { type, start, end, props: new Map(Object.entries(props)) });
    return this;
  }

  private node(id: NodeId): FakeNode {
    const n = this.nodes.get(id);
    if (n === undefined) throw new Error(`no node ${id}`);
    return n;
  }

  private rel(id: RelId): FakeRel {
    const r = this.rels.get(id);
    if (r === undefined) throw new Error(`no rel ${id}`);
    return r;
  }

  nodeExists(id: NodeId): boolean { return this.nodes.has(id); }
  nodeLabels(id: NodeId): readonly string[] { return this.node(id).labels; }
  hasLabel(id: NodeId, label: string): boolean { return this.node(id).labels.includes(label); }
  nodeProperty(id: NodeId, key: string): PropertyValue | null {
    return this.node(id).props.get(key) ?? null;
  }
  nodeProperties(id: NodeId): Map<string, PropertyValue> { return new Map(this.node(id).props); }
  relExists(id: RelId): boolean { return this.rels.has(id); }
  relType(id: RelId): string { return this.rel(id).type; }
  relStart(id: RelId): NodeId { return this.rel(id).start; }
  relEnd(id: RelId): NodeId { return this.rel(id).end; }
  relProperty(id: RelId, key: string): PropertyValue | null {
    return this.rel(id).props.get(key) ?? null;
  }
  relProperties(id: RelId): Map<string, PropertyValue> { return new Map(this.rel(id).props); }
  allNodes(): Iterable<NodeId> { return this.nodes.keys(); }
  nodesByLabel(label: string): Iterable<NodeId> {
    return [...this.nodes].filter(([, n]) => n.labels.includes(label)).map(([id]) => id);
  }
  allRelationships(): Iterable<RelId> { return this.rels.keys(); }
  relationshipsOf(): Iterable<Adjacent> { return []; }
  degree(): number { return 0; }
  seekNodes(): Iterable<NodeId> | null { return null; }
  hasNodeIndex(): boolean { return false; }
  nodeCount(): number { return this.nodes.size; }
  relationshipCount(): number { return this.rels.size; }
  labelCount(label: string): number { return [...this.nodesByLabel(label)].length; }
  labels(): readonly string[] { return []; }
  relationshipTypes(): readonly string[] { return []; }
  propertyKeys(): readonly string[] { return []; }
  indexes(): readonly never[] { return []; }
  constraints(): readonly never[] { return []; }
}

/** 2024-01-15T10:30:00.123Z */
export const STATEMENT_TIME_MS = Date.UTC(2024, 0, 15, 10, 30, 0, 123);

export function context(graph: GraphReader = new FakeGraph(), randoms: number[] = [0.25]):
FunctionContext {
  let i = 0;
  return {
    graph, statementTimeMs: STATEMENT_TIME_MS,
    random: () => randoms[i++ % randoms.length] ?? 0,
  };
}

/** Calls a library function by the name a query would use. */
export function call(name: string, args: Value[], ctx: FunctionContext = context()): Value {
  const f = lookupFunction(name.toLowerCase());
  if (f === undefined) throw new Error(`no function ${name}`);
  if (args.length < f.minArgs || args.length > f.maxArgs) {
    throw new Error(`${name}: wrong number of arguments`);
  }
  return f.call(args, ctx);
}

export function map(entries: Record<string, Value>): Map<string, Value> {
  return new Map(Object.entries(entries));
}
