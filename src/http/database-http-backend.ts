/**
 * The HttpBackend over the server layer's DatabaseBackend (the same one Bolt uses), so HTTP and
 * Bolt share authentication, transactions and the cluster view.
 */
import { reportedNeo4jVersion } from '../cypher/procedures.js';
import type { DatabaseBackend } from '../server/database-backend.js';
import type { ClusterStatus, HttpBackend } from './http-backend.js';

export function databaseHttpBackend(backend: DatabaseBackend,
  advertised: { readonly boltAddress: string }): HttpBackend {
  return {
    authenticate: (user, password, peer) => backend.authenticate(
      { scheme: 'basic', principal: user, credentials: password }, peer),
    begin: (database, options, peer) => backend.beginFor(options.user ?? '', database, options,
      peer),
    writesSettled: () => backend.writesSettled(),
    clusterStatus(): ClusterStatus {
      const status = backend.cluster.status();
      return {
        memberId: status.memberId, role: status.role, leader: status.leader,
        lastAppliedRaftIndex: status.lastAppliedRaftIndex, votingMembers: status.votingMembers,
        millisSinceLastLeaderMessage: status.millisSinceLastLeaderMessage,
        participatingInRaftGroup: status.participatingInRaftGroup, healthy: status.healthy,
        core: status.core, term: status.term,
        ...(status.lastCommittedRaftIndex === undefined ? {}
          : { lastCommittedRaftIndex: status.lastCommittedRaftIndex }),
        ...(status.lagBehindLeader === undefined ? {}
          : { lagBehindLeader: status.lagBehindLeader }),
        ...(status.upstream === undefined ? {} : { upstream: status.upstream }),
      };
    },
    discovery: () => ({
      boltDirect: `bolt://${advertised.boltAddress}`,
      boltRouting: `neo4j://${advertised.boltAddress}`,
      version: reportedNeo4jVersion,
    }),
  };
}
