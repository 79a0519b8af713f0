/**
 * Neo4j's cluster status endpoints for load balancers and operators: `writable`, `read-only`
 * and `available` answer 200 `true` or 404 `false` in text; `status` answers the JSON document.
 * The 3.5 paths (`/db/manage/server/causalclustering/…`, `core/…`, `read-replica/…`) and the
 * 4.x/5.x paths (`/db/{db}/cluster/…`) share these handlers.
 */
import type { ServerResponse } from 'node:http';
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
  if (status.raftCommandsPerSecond !== undefined) {
    document['raftCommandsPerSecond'] = status.raftCommandsPerSecond;
  }
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

export function handleClusterDiscovery(response: ServerResponse, base: string): void {
  sendJson(response, 200, {
    available: `${base}/available`, 'read-only': `${base}/read-only`,
    writable: `${base}/writable`, status: `${base}/status`,
  });
}
