/**
 * Settings of one Raft member, in ticks and counts. `cluster/` converts milliseconds and Neo4j
 * setting names into this once; the core never sees a clock.
 */
import type { MemberId } from './types.js';

export interface RaftConfig {
  readonly id: MemberId;
  /** A follower campaigns after a random timeout in [electionTicks, 2 * electionTicks). */
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  /** A member that never campaigns (it still votes), e.g. a core being drained. */
  readonly refuseToBeLeader: boolean;
  readonly maxEntriesPerAppend: number;
  readonly maxInflightAppends: number;
  /** Proposals are dropped while the leader's uncommitted payload exceeds this. */
  readonly maxUncommittedBytes: number;
  /** Bound on read-index requests waiting for a heartbeat round. */
  readonly maxPendingReads: number;
  /** Bound on entries handed to the application in one Ready. */
  readonly maxCommittedPerReady: number;
  /**
   * A follower told that its leader's process is gone (RaftNode.reportPeerDown) campaigns
   * after a random 1..this many ticks, or at its election timeout if that comes sooner.
   */
  readonly peerDownCampaignTicksMax: number;
  /** Uniform in [0, 1); seeded by the caller so that runs replay. */
  readonly rng: () => number;
}

export type RaftConfigInput = Pick<RaftConfig, 'id' | 'rng'> & Partial<RaftConfig>;

export const RAFT_CONFIG_DEFAULTS = {
  electionTicks: 10,
  heartbeatTicks: 1,
  preVote: true,
  checkQuorum: true,
  refuseToBeLeader: false,
  maxEntriesPerAppend: 64,
  maxInflightAppends: 256,
  maxUncommittedBytes: 64 * 1024 * 1024,
  maxPendingReads: 4096,
  maxCommittedPerReady: 1024,
  peerDownCampaignTicksMax: 4,
} as const;

/** Thrown when a member is built with settings that cannot work; one sentence per problem. */
export class RaftConfigInvalid extends Error {
  override name = 'RaftConfigInvalid';
  constructor(readonly problems: readonly string[]) {
    super(problems.join(' '));
  }
}

function positiveInteger(name: string, value: number, problems: string[]): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    problems.push(`${name} must be a positive integer, got ${value}.`);
  }
}

export function raftConfigProblems(config: RaftConfig): string[] {
  const problems: string[] = [];
  if (config.id.length === 0) problems.push('id must not be empty.');
  positiveInteger('electionTicks', config.electionTicks, problems);
  positiveInteger('heartbeatTicks', config.heartbeatTicks, problems);
  positiveInteger('maxEntriesPerAppend', config.maxEntriesPerAppend, problems);
  positiveInteger('maxInflightAppends', config.maxInflightAppends, problems);
  positiveInteger('maxUncommittedBytes', config.maxUncommittedBytes, problems);
  positiveInteger('maxPendingReads', config.maxPendingReads, problems);
  positiveInteger('maxCommittedPerReady', config.maxCommittedPerReady, problems);
  positiveInteger('peerDownCampaignTicksMax', config.peerDownCampaignTicksMax, problems);
  if (config.heartbeatTicks >= config.electionTicks) {
    problems.push(
      `heartbeatTicks (${config.heartbeatTicks}) must be less than electionTicks ` +
        `(${config.electionTicks}), or followers time out between heartbeats.`,
    );
  }
  return problems;
}

export function resolveRaftConfig(input: RaftConfigInput): RaftConfig {
  const config: RaftConfig = { ...RAFT_CONFIG_DEFAULTS, ...input };
  const problems = raftConfigProblems(config);
  if (problems.length > 0) throw new RaftConfigInvalid(problems);
  return config;
}
