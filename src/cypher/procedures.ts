/**
 * Procedures callable with `CALL name(args) YIELD ...`. The Cypher layer owns the registry and
 * the procedures that only need the graph; upper layers (server, cluster) register their own
 * (dbms.cluster.overview, dbms.routing.getRoutingTable, ...) on the same registry.
 */
import { assert } from '../assert.js';
import type { GraphReader } from '../graph/types.js';
import { Node, Relationship, type Value } from '../graph/values.js';

export interface ProcedureContext {
  graph: GraphReader;
}

/**
 * A graph that also knows which procedures its user may call (the auth layer's wrappers of a
 * restricted user's graph): every call made on it is checked before the procedure runs.
 */
export interface ProcedureGate {
  /** Throws Neo.ClientError.Security.Forbidden when the user may not call `name`. */
  checkProcedure(name: string): void;
}

function isProcedureGate(graph: object): graph is ProcedureGate {
  return typeof (graph as Partial<ProcedureGate>).checkProcedure === 'function';
}

export interface ProcedureParameter {
  name: string;
  type: string;
  default?: Value;
}

export interface ProcedureDef {
  name: string;
  mode: 'READ' | 'WRITE' | 'SCHEMA' | 'DBMS';
  description: string;
  inputs: ProcedureParameter[];
  outputs: { name: string; type: string }[];
  invoke(args: Value[], ctx: ProcedureContext): Iterable<Value[]>;
}

export class ProcedureRegistry {
  private readonly byName = new Map<string, ProcedureDef>();

  register(def: ProcedureDef): void {
    assert(!this.byName.has(def.name), `procedure ${def.name} registered twice`);
    assert(def.inputs.every((p, i) => p.default !== undefined ||
      def.inputs.slice(0, i).every((q) => q.default === undefined)),
    `procedure ${def.name}: a required input follows an optional one`);
    this.byName.set(def.name, { ...def, invoke: (args, ctx) => {
      if (isProcedureGate(ctx.graph)) ctx.graph.checkProcedure(def.name);
      return def.invoke(args, ctx);
    } });
  }

  /** Procedure names are matched exactly, as in Neo4j. */
  lookup(name: string): ProcedureDef | undefined {
    return this.byName.get(name);
  }

  all(): ProcedureDef[] {
    return [...this.byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }
}

/** Neo4j's product version as reported to drivers and tools. */
export const reportedNeo4jVersion = '5.26.0';

function sortedStrings(values: readonly string[]): string[] {
  return [...values].sort();
}

function schemaVisualization(graph: GraphReader): Value[] {
  const labels = sortedStrings(graph.labels());
  const nodes = labels.map((label, i) => new Node(-1 - i, [label], new Map([['name', label]]),
    `-${i + 1}`));
  const nodeIndex = new Map(labels.map((label, i) => [label, i]));
  const rels: Relationship[] = [];
  const seen = new Set<string>();
  for (const relId of graph.allRelationships()) {
    const type = graph.relType(relId);
    for (const from of graph.nodeLabels(graph.relStart(relId))) {
      for (const to of graph.nodeLabels(graph.relEnd(relId))) {
        const key = JSON.stringify([from, type, to]);
        const start = nodeIndex.get(from);
        const end = nodeIndex.get(to);
        if (seen.has(key) || start === undefined || end === undefined) continue;
        seen.add(key);
        const id = -1 - rels.length;
        rels.push(new Relationship(id, type, -1 - start, -1 - end, new Map([['name', type]]),
          `${id}`, `-${start + 1}`, `-${end + 1}`));
      }
    }
  }
  return [nodes, rels];
}

const BUILTINS: ProcedureDef[] = [
  {
    name: 'db.labels', mode: 'READ', description: 'List all labels in the database.',
    inputs: [], outputs: [{ name: 'label', type: 'STRING' }],
    invoke: (_args, ctx) => sortedStrings(ctx.graph.labels()).map((l) => [l]),
  },
  {
    name: 'db.relationshipTypes', mode: 'READ',
    description: 'List all relationship types in the database.',
    inputs: [], outputs: [{ name: 'relationshipType', type: 'STRING' }],
    invoke: (_args, ctx) => sortedStrings(ctx.graph.relationshipTypes()).map((t) => [t]),
  },
  {
    name: 'db.propertyKeys', mode: 'READ', description: 'List all property keys in the database.',
    inputs: [], outputs: [{ name: 'propertyKey', type: 'STRING' }],
    invoke: (_args, ctx) => sortedStrings(ctx.graph.propertyKeys()).map((k) => [k]),
  },
  {
    name: 'db.schema.visualization', mode: 'READ',
    description: 'Visualizes the schema of the data based on available statistics.',
    inputs: [], outputs: [{ name: 'nodes', type: 'LIST<NODE>' },
      { name: 'relationships', type: 'LIST<RELATIONSHIP>' }],
    invoke: (_args, ctx) => [schemaVisualization(ctx.graph)],
  },
  {
    name: 'db.ping', mode: 'READ', description: 'Checks that the database is available.',
    inputs: [], outputs: [{ name: 'success', type: 'BOOLEAN' }],
    invoke: () => [[true]],
  },
  {
    // Index population is synchronous here, so every index is online when this is called.
    name: 'db.awaitIndexes', mode: 'READ',
    description: 'Wait for all indexes to come online (for example: CALL db.awaitIndexes(300)).',
    inputs: [{ name: 'timeOutSeconds', type: 'INTEGER', default: 300n }], outputs: [],
    invoke: () => [],
  },
  {
    name: 'dbms.components', mode: 'DBMS', description: 'List DBMS components and their versions.',
    inputs: [], outputs: [{ name: 'name', type: 'STRING' }, { name: 'versions',
      type: 'LIST<STRING>' },
      { name: 'edition', type: 'STRING' }],
    invoke: () => [['Neo4j Kernel', [reportedNeo4jVersion], 'community']],
  },
];

/** A registry holding the procedures that need nothing but the graph. */
export function builtinProcedures(): ProcedureRegistry {
  const registry = new ProcedureRegistry();
  for (const def of BUILTINS) registry.register(def);
  return registry;
}
