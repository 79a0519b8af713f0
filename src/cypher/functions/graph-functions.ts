/**
 * Functions on nodes, relationships and paths. Entities arrive as references (NodeRef …) from
 * the executor or materialized (Node …) from parameters and results; both are accepted, and
 * what a reference does not hold is read through ctx.graph.
 */
import type { GraphReader } from '../../graph/types.js';
import {
  Node, NodeRef, Path, PathRef, Relationship, RelRef, type Value,
} from '../../graph/values.js';
import { arg, defineAll, wrongType } from './define.js';

export function nodeElementId(id: number): string {
  return `4:quiver:${id}`;
}

export function relElementId(id: number): string {
  return `5:quiver:${id}`;
}

function relationshipArg(fn: string, v: Value): RelRef | Relationship {
  if (v instanceof RelRef || v instanceof Relationship) return v;
  throw wrongType(fn, 'a Relationship', v);
}

function nodeArg(fn: string, v: Value): NodeRef | Node {
  if (v instanceof NodeRef || v instanceof Node) return v;
  throw wrongType(fn, 'a Node', v);
}

function pathArg(fn: string, v: Value): PathRef | Path {
  if (v instanceof PathRef || v instanceof Path) return v;
  throw wrongType(fn, 'a Path', v);
}

function propertiesOf(fn: string, v: Value, graph: GraphReader): Map<string, Value> {
  if (v instanceof Map) return new Map(v);
  if (v instanceof Node || v instanceof Relationship) return new Map(v.properties);
  if (v instanceof NodeRef) return new Map(graph.nodeProperties(v.id));
  if (v instanceof RelRef) return new Map(graph.relProperties(v.id));
  throw wrongType(fn, 'a Map, Node or Relationship', v);
}

export const GRAPH_FUNCTIONS = defineAll('Scalar', [
  {
    name: 'id', signature: 'id(input :: NODE | RELATIONSHIP) :: INTEGER',
    description: 'Returns the id of a NODE or RELATIONSHIP.',
    call: (a) => {
      const v = arg(a, 0);
      if (v instanceof NodeRef || v instanceof Node || v instanceof RelRef ||
        v instanceof Relationship) return BigInt(v.id);
      throw wrongType('id', 'a Node or Relationship', v);
    },
  },
  {
    name: 'elementId', signature: 'elementId(input :: NODE | RELATIONSHIP) :: STRING',
    description: 'Returns the element id of a NODE or RELATIONSHIP.',
    call: (a) => {
      const v = arg(a, 0);
      if (v instanceof Node || v instanceof Relationship) return v.elementId;
      if (v instanceof NodeRef) return nodeElementId(v.id);
      if (v instanceof RelRef) return relElementId(v.id);
      throw wrongType('elementId', 'a Node or Relationship', v);
    },
  },
  {
    name: 'type', signature: 'type(input :: RELATIONSHIP) :: STRING',
    description: 'Returns the type of a RELATIONSHIP.',
    call: (a, ctx) => {
      const r = relationshipArg('type', arg(a, 0));
      return r instanceof Relationship ? r.type : ctx.graph.relType(r.id);
    },
  },
  {
    name: 'startNode', signature: 'startNode(input :: RELATIONSHIP) :: NODE',
    description: 'Returns the start NODE of a RELATIONSHIP.',
    call: (a, ctx) => {
      const r = relationshipArg('startNode', arg(a, 0));
      return new NodeRef(r instanceof Relationship ? r.startId : ctx.graph.relStart(r.id));
    },
  },
  {
    name: 'endNode', signature: 'endNode(input :: RELATIONSHIP) :: NODE',
    description: 'Returns the end NODE of a RELATIONSHIP.',
    call: (a, ctx) => {
      const r = relationshipArg('endNode', arg(a, 0));
      return new NodeRef(r instanceof Relationship ? r.endId : ctx.graph.relEnd(r.id));
    },
  },
  {
    name: 'labels', signature: 'labels(input :: NODE) :: LIST<STRING>',
    description: 'Returns the labels of a NODE.',
    call: (a, ctx) => {
      const n = nodeArg('labels', arg(a, 0));
      return [...(n instanceof Node ? n.labels : ctx.graph.nodeLabels(n.id))];
    },
  },
  {
    name: 'keys', signature: 'keys(input :: NODE | RELATIONSHIP | MAP) :: LIST<STRING>',
    description: 'Returns the property keys of a NODE or RELATIONSHIP, or the keys of a MAP.',
    call: (a, ctx) => [...propertiesOf('keys', arg(a, 0), ctx.graph).keys()],
  },
  {
    name: 'properties', signature: 'properties(input :: NODE | RELATIONSHIP | MAP) :: MAP',
    description: 'Returns a MAP of the properties of a NODE or RELATIONSHIP.',
    call: (a, ctx) => propertiesOf('properties', arg(a, 0), ctx.graph),
  },
  {
    name: 'nodes', signature: 'nodes(input :: PATH) :: LIST<NODE>',
    description: 'Returns the NODEs of a PATH.',
    call: (a) => [...pathArg('nodes', arg(a, 0)).nodes],
  },
  {
    name: 'relationships', signature: 'relationships(input :: PATH) :: LIST<RELATIONSHIP>',
    description: 'Returns the RELATIONSHIPs of a PATH.',
    call: (a) => [...pathArg('relationships', arg(a, 0)).rels],
  },
  {
    name: 'length', signature: 'length(input :: PATH) :: INTEGER',
    description: 'Returns the length (number of relationships) of a PATH.',
    call: (a) => BigInt(pathArg('length', arg(a, 0)).rels.length),
  },
]);
