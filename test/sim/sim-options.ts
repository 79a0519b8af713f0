/**
 * The fault mix and schedule of one simulated run, drawn from its seed (TigerBeetle's
 * options_swarm): each seed exercises a different blend of loss, delay, crashes and changes.
 */
import type { MemberOptions } from './sim-member.js';
import type { NetworkFaults } from './sim-network.js';
import type { PeerDownOptions } from './sim-peer-down.js';
import type { Prng } from './prng.js';

export type BootstrapMode = 'all' | 'one' | 'grow';

export interface SimOptions {
  readonly memberCount: number;
  readonly bootstrap: BootstrapMode;
  readonly safetyTicks: number;
  /** Budget to elect and commit once healed, plus livenessTicksPerBacklogEntry per entry
   * that leaders hold beyond the commit index: a long uncommitted tail must replicate first. */
  readonly livenessTicksMax: number;
  readonly livenessTicksPerBacklogEntry: number;
  readonly faults: NetworkFaults;
  readonly inflightMessagesMax: number;
  readonly member: MemberOptions;
  /** Per-tick chances of the events of the safety phase. */
  readonly crashProbability: number;
  readonly restartProbability: number;
  readonly partitionProbability: number;
  readonly healProbability: number;
  readonly proposeProbability: number;
  readonly membershipProbability: number;
  readonly transferProbability: number;
  readonly readProbability: number;
  /** Chance that a member's clock skips a tick (drift). */
  readonly tickSkipProbability: number;
  /** Reports of crashed members from the transport (sim-peer-down.ts). */
  readonly peerDown: PeerDownOptions;
}

export type SimScale = 'small' | 'long';

export function swarmOptions(prng: Prng, scale: SimScale): SimOptions {
  const long = scale === 'long';
  const electionTicks = 10;
  return {
    memberCount: 3 + prng.int(3),
    bootstrap: prng.pick<BootstrapMode>(['all', 'all', 'one', 'grow']),
    safetyTicks: long ? 2000 + prng.int(3000) : 150 + prng.int(150),
    livenessTicksMax: 40 * electionTicks,
    livenessTicksPerBacklogEntry: 3,
    faults: {
      lossProbability: prng.pick([0, 0.01, 0.05, 0.2]),
      duplicateProbability: prng.pick([0, 0.01, 0.1]),
      delayTicksMax: prng.pick([0, 1, 3, 6]),
      fifo: prng.chance(0.5),
    },
    inflightMessagesMax: 2000,
    member: {
      config: {
        electionTicks,
        heartbeatTicks: prng.pick([1, 2, 3]),
        preVote: prng.chance(0.8),
        checkQuorum: prng.chance(0.8),
        maxEntriesPerAppend: prng.pick([1, 3, 64]),
        maxInflightAppends: prng.pick([1, 4, 64]),
        maxUncommittedBytes: prng.pick([64, 4096]),
        maxPendingReads: 16,
        maxCommittedPerReady: prng.pick([1, 1024]),
      },
      crashBeforeSyncProbability: prng.pick([0, 0.001, 0.01]),
      compactAfterEntries: prng.pick([4, 16, 1_000_000]),
    },
    crashProbability: prng.pick([0, 0.003, 0.02]),
    restartProbability: prng.pick([0.02, 0.1]),
    partitionProbability: prng.pick([0, 0.005, 0.03]),
    healProbability: prng.pick([0.01, 0.05]),
    proposeProbability: prng.pick([0.1, 0.5, 1]),
    membershipProbability: prng.pick([0, 0.005, 0.03]),
    transferProbability: prng.pick([0, 0.005, 0.02]),
    readProbability: prng.pick([0, 0.05, 0.3]),
    tickSkipProbability: prng.pick([0, 0.05]),
    // Drawn last, so that every option above stays what it was for each seed.
    peerDown: {
      reportProbability: prng.pick([0, 0.5, 1]),
      delayTicksMax: prng.pick([0, 2, 8]),
      falseReportProbability: prng.pick([0, 0, 0.01]),
    },
  };
}

export function describeOptions(options: SimOptions): string {
  return JSON.stringify(options);
}
