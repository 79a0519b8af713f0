/**
 * Neo4j's cluster status endpoints for load balancers and operators: `writable`, `read-only`
 * and `available` answer 200 `true` or 404 `false` in text; `status` answers the JSON document.
 * The 3.5 paths (`/db/manage/server/causalclustering/…`, `core/…`, `read-replica/…`) and the
 * 4.x/5.x paths (`/db/{db}/cluster/…`) share these handlers.
 */
import type { ServerResponse } from 'node:http';
import { Gauge, type Registry } from 'prom-client';
import type { ClusterStatus, HttpBackend } from './http-backend.js';
import type { Json } from './json-values.js';
import { sendJson, sendText } from './request-io.js';

export type ClusterCheck = 'writable' | 'read-only' | 'available' | 'status';

export function statusDocument(status: ClusterStatus): Json {
  const document: { [key: string]: Json } = {
    lastAppliedRaftIndex: status.lastAppliedRaftIndex,
    votingMembers: [...status.votingMembers].sort(),
    memberId: status.memberId,
    leader: status.leader,
    millisSinceLastLeaderMessage: status.millisSinceLastLeaderMessage,
    participatingInRaftGroup: status.participatingInRaftGroup,
    core: status.core,
    healthy: status.healthy,
  };
  if (status.term !== undefined) document['term'] = status.term;
  if (status.raftCommandsPerSecond !== undefined) {
    document['raftCommandsPerSecond'] = status.raftCommandsPerSecond;
  }
  // QuiverDB's additions: operators compare these across members to see replication lag.
  if (status.lastCommittedRaftIndex !== undefined) {
    document['lastCommittedRaftIndex'] = status.lastCommittedRaftIndex;
  }
  if (status.lagBehindLeader !== undefined) document['lagBehindLeader'] = status.lagBehindLeader;
  if (status.upstream !== undefined) document['upstream'] = status.upstream;
  return document;
}

function checkPasses(check: Exclude<ClusterCheck, 'status'>, status: ClusterStatus): boolean {
  switch (check) {
    case 'writable': return status.role === 'LEADER';
    case 'read-only': return status.role !== 'LEADER';
    case 'available': return status.healthy;
  }
}

export function handleClusterCheck(response: ServerResponse, check: ClusterCheck,
  backend: HttpBackend): void {
  const status = backend.clusterStatus();
  if (check === 'status') {
    sendJson(response, 200, statusDocument(status));
    return;
  }
  const passes = checkPasses(check, status);
  sendText(response, passes ? 200 : 404, passes ? 'true' : 'false');
}

/** One member's replication progress; null where the member has not said. */
export interface MemberProgressRow {
  readonly id: string;
  readonly role: string;
  readonly appliedIndex: number | null;
  readonly committedIndex: number | null;
  readonly lagBehindLeader: number | null;
}

type ProgressField = 'appliedIndex' | 'committedIndex' | 'lagBehindLeader';

const PROGRESS_GAUGES: readonly { name: string; help: string; field: ProgressField }[] = [
  { name: 'quiver_cluster_member_last_applied_index', field: 'appliedIndex',
    help: 'Last Raft log index each member applied to its graph' },
  { name: 'quiver_cluster_member_last_committed_index', field: 'committedIndex',
    help: 'Last Raft log index each member knows committed' },
  { name: 'quiver_cluster_member_lag_entries', field: 'lagBehindLeader',
    help: 'Entries the leader committed that each member has not applied yet' },
];

/** Gauges per member (labels member, role), read from `rows` whenever /metrics is scraped. */
export function registerClusterGauges(registry: Registry,
  rows: () => readonly MemberProgressRow[]): void {
  for (const spec of PROGRESS_GAUGES) {
    new Gauge({ name: spec.name, help: spec.help, labelNames: ['member', 'role'],
      registers: [registry],
      collect() {
        this.reset();
        for (const row of rows()) {
          const value = row[spec.field];
          if (value !== null) this.set({ member: row.id, role: row.role }, value);
        }
      } });
  }
}

export function handleClusterDiscovery(response: ServerResponse, base: string): void {
  sendJson(response, 200, {
    available: `${base}/available`, 'read-only': `${base}/read-only`,
    writable: `${base}/writable`, status: `${base}/status`,
  });
}
