/**
 * Turns result records into the nodes and relationships to draw: every node, relationship and
 * path anywhere in a record (lists and maps included), each once, with at most a given number
 * of nodes so a large result cannot freeze the page.
 */
import { isInt, isNode, isPath, isRelationship, type Node, type Relationship } from 'neo4j-driver';

/** Neo4j Browser's default for "initial node display"; more are listed, not drawn. */
export const GRAPH_NODES_MAX = 300;
/** Values nested deeper than this are not searched for graph elements. */
const VALUE_DEPTH_MAX = 8;

export interface GraphNode {
  readonly id: string;
  readonly labels: readonly string[];
  readonly caption: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface GraphRelationship {
  readonly id: string;
  readonly type: string;
  readonly source: string;
  readonly target: string;
}

export interface GraphModel {
  readonly nodes: readonly GraphNode[];
  readonly relationships: readonly GraphRelationship[];
  /** True when nodes were left out because of the limit. */
  readonly truncated: boolean;
}

const CAPTION_KEYS = ['name', 'title', 'caption', 'id'];

export function nodeCaption(labels: readonly string[], properties: Record<string, unknown>):
  string {
  for (const key of CAPTION_KEYS) {
    const value = properties[key];
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    if (typeof value === 'bigint' || isInt(value)) return value.toString();
  }
  return labels[0] ?? '';
}

class GraphCollector {
  readonly nodes = new Map<string, GraphNode>();
  readonly relationships = new Map<string, Relationship>();
  truncated = false;

  constructor(private readonly nodesMax: number) {}

  addNode(node: Node): void {
    if (this.nodes.has(node.elementId)) return;
    if (this.nodes.size >= this.nodesMax) {
      this.truncated = true;
      return;
    }
    const properties = node.properties as Record<string, unknown>;
    this.nodes.set(node.elementId, { id: node.elementId, labels: node.labels,
      caption: nodeCaption(node.labels, properties), properties });
  }

  visit(value: unknown, depth: number): void {
    if (depth > VALUE_DEPTH_MAX || value === null || typeof value !== 'object') return;
    if (isNode(value)) this.addNode(value);
    else if (isRelationship(value)) this.relationships.set(value.elementId, value);
    else if (isPath(value)) {
      for (const segment of value.segments) {
        this.addNode(segment.start);
        this.addNode(segment.end);
        this.relationships.set(segment.relationship.elementId, segment.relationship);
      }
      this.addNode(value.start);
    } else if (Array.isArray(value)) {
      for (const item of value) this.visit(item, depth + 1);
    } else if (Object.getPrototypeOf(value) === Object.prototype) {
      for (const item of Object.values(value)) this.visit(item, depth + 1);
    }
  }
}

/** `rows` are the values of each record, in field order. */
export function graphFromRows(rows: readonly (readonly unknown[])[],
  nodesMax = GRAPH_NODES_MAX): GraphModel {
  const collector = new GraphCollector(nodesMax);
  for (const row of rows) {
    for (const value of row) collector.visit(value, 0);
  }
  const relationships: GraphRelationship[] = [];
  for (const rel of collector.relationships.values()) {
    // A relationship is drawn only between two drawn nodes.
    if (collector.nodes.has(rel.startNodeElementId) && collector.nodes.has(rel.endNodeElementId)) {
      relationships.push({ id: rel.elementId, type: rel.type,
        source: rel.startNodeElementId, target: rel.endNodeElementId });
    }
  }
  return { nodes: [...collector.nodes.values()], relationships,
    truncated: collector.truncated };
}

/** Merges `extra` into `base` (for expanding a node), keeping the limit. */
export function mergeGraphs(base: GraphModel, extra: GraphModel,
  nodesMax = GRAPH_NODES_MAX): GraphModel {
  const nodes = new Map(base.nodes.map((node) => [node.id, node]));
  let truncated = base.truncated || extra.truncated;
  for (const node of extra.nodes) {
    if (nodes.has(node.id)) continue;
    if (nodes.size >= nodesMax) truncated = true;
    else nodes.set(node.id, node);
  }
  const relationships = new Map(base.relationships.map((rel) => [rel.id, rel]));
  for (const rel of extra.relationships) {
    if (nodes.has(rel.source) && nodes.has(rel.target)) relationships.set(rel.id, rel);
  }
  return { nodes: [...nodes.values()], relationships: [...relationships.values()], truncated };
}
