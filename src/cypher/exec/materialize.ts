/**
 * Turns the executor's references into the values a client receives: nodes and relationships
 * with their labels/type and properties read from the query's view, and element ids in the
 * `4:<db>:<id>` / `5:<db>:<id>` shape Neo4j 5 uses.
 */
import type { GraphReader } from '../../graph/types.js';
import {
  Node, NodeRef, Path, PathRef, RelRef, Relationship, isCypherMap, type Value,
} from '../../graph/values.js';

export function nodeElementId(id: number): string {
  return `4:quiver:${id}`;
}

export function relElementId(id: number): string {
  return `5:quiver:${id}`;
}

function node(graph: GraphReader, id: number): Node {
  if (!graph.nodeExists(id)) return new Node(id, [], new Map(), nodeElementId(id));
  return new Node(id, [...graph.nodeLabels(id)], new Map(graph.nodeProperties(id)),
    nodeElementId(id));
}

function relationship(graph: GraphReader, id: number): Relationship {
  if (!graph.relExists(id)) {
    return new Relationship(id, '', -1, -1, new Map(), relElementId(id), '', '');
  }
  const start = graph.relStart(id);
  const end = graph.relEnd(id);
  return new Relationship(id, graph.relType(id), start, end, new Map(graph.relProperties(id)),
    relElementId(id), nodeElementId(start), nodeElementId(end));
}

export function materialize(graph: GraphReader, value: Value): Value {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof NodeRef) return node(graph, value.id);
  if (value instanceof RelRef) return relationship(graph, value.id);
  if (value instanceof PathRef) {
    return new Path(value.nodes.map((n) => node(graph, n.id)),
      value.rels.map((r) => relationship(graph, r.id)));
  }
  if (Array.isArray(value)) return value.map((item) => materialize(graph, item));
  if (isCypherMap(value)) {
    return new Map([...value].map(([k, v]) => [k, materialize(graph, v)]));
  }
  return value;
}
