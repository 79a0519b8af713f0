/** Procedures that describe the server and the cluster rather than the graph. */
import type { ProcedureDef, ProcedureRegistry } from '../cypher/procedures.js';
import type { Value } from '../graph/values.js';
import { lagBehindLeader, routingServers, type ClusterView } from './cluster-view.js';

const ROUTING_OUTPUTS = [{ name: 'ttl', type: 'INTEGER' }, { name: 'servers', type: 'LIST<MAP>' }];

function routingTableProcedure(name: string, view: ClusterView): ProcedureDef {
  return {
    name, mode: 'DBMS', description: 'Returns the advertised routing table of this cluster.',
    inputs: [{ name: 'context', type: 'MAP' }, { name: 'database', type: 'STRING', default: null }],
    outputs: ROUTING_OUTPUTS,
    invoke: () => {
      const s = routingServers(view);
      const servers: Value[] = [
        new Map<string, Value>([['addresses', s.writers], ['role', 'WRITE']]),
        new Map<string, Value>([['addresses', s.readers], ['role', 'READ']]),
        new Map<string, Value>([['addresses', s.routers], ['role', 'ROUTE']]),
      ];
      return [[BigInt(view.routingTtlSeconds()), servers]];
    },
  };
}

/** QuiverDB's additions after Neo4j's columns, so positional readers of the overview still work. */
const LAG_OUTPUTS = [{ name: 'lastCommittedIndex', type: 'INTEGER' },
  { name: 'lastAppliedIndex', type: 'INTEGER' }, { name: 'lagBehindLeader', type: 'INTEGER' },
  { name: 'upstream', type: 'STRING' }];

function optionalInteger(n: number | null | undefined): Value {
  return n === null || n === undefined ? null : BigInt(n);
}

function overviewProcedure(view: ClusterView, database: string): ProcedureDef {
  return {
    name: 'dbms.cluster.overview', mode: 'DBMS',
    description: 'Overview of all currently accessible cluster members, their roles and addresses.',
    inputs: [],
    outputs: [{ name: 'id', type: 'STRING' }, { name: 'addresses', type: 'LIST<STRING>' },
      { name: 'databases', type: 'MAP' }, { name: 'groups', type: 'LIST<STRING>' },
      { name: 'role', type: 'STRING' }, { name: 'database', type: 'STRING' },
      ...LAG_OUTPUTS],
    invoke: () => {
      const members = view.members();
      return members.map((m): Value[] => [
        m.id, [`bolt://${m.boltAddress}`, `http://${m.httpAddress}`],
        new Map<string, Value>([[database, m.role]]), [...m.groups],
        m.arbiter === true ? 'ARBITER' : m.role, database,
        optionalInteger(m.committedIndex), optionalInteger(m.appliedIndex),
        optionalInteger(lagBehindLeader(members, m)), m.upstream ?? null,
      ]);
    },
  };
}

function roleProcedure(view: ClusterView): ProcedureDef {
  return {
    name: 'dbms.cluster.role', mode: 'DBMS', description: 'The role of this instance in the cluster.',
    inputs: [{ name: 'database', type: 'STRING', default: null }],
    outputs: [{ name: 'role', type: 'STRING' }],
    invoke: () => [[view.status().role]],
  };
}

export function registerServerProcedures(registry: ProcedureRegistry, view: ClusterView,
  database: string): void {
  registry.register(routingTableProcedure('dbms.routing.getRoutingTable', view));
  registry.register(routingTableProcedure('dbms.cluster.routing.getRoutingTable', view));
  registry.register(overviewProcedure(view, database));
  registry.register(roleProcedure(view));
}
