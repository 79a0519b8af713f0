/**
 * The transport's "peer down" reports in a simulated run (RaftNode.reportPeerDown). When a
 * member crashes, each other member's transport may notice (its raft port refuses a reconnect)
 * and tell its node after a delay, or never (its link was not open, or the peer only hung).
 * Some reports are wrong: they arrive after the member restarted, or name a member that never
 * went down. They may only change timing, never safety.
 */
import type { MemberId } from '../../src/raft/types.js';
import type { Prng } from './prng.js';

export interface PeerDownOptions {
  /** Chance that one survivor is told of a crash. */
  readonly reportProbability: number;
  readonly delayTicksMax: number;
  /** Per-tick chance (safety phase) that a member is told a live member is down. */
  readonly falseReportProbability: number;
}

export interface PeerDownReport {
  readonly to: MemberId;
  readonly down: MemberId;
}

export class SimPeerDown {
  private pending: { readonly at: number; readonly report: PeerDownReport }[] = [];

  constructor(
    private readonly prng: Prng,
    private readonly options: PeerDownOptions,
  ) {}

  onCrash(crashed: MemberId, others: readonly MemberId[], now: number): void {
    for (const to of others) {
      if (to === crashed || !this.prng.chance(this.options.reportProbability)) continue;
      const at = now + this.prng.int(this.options.delayTicksMax + 1);
      this.pending.push({ at, report: { to, down: crashed } });
    }
  }

  maybeFalseReport(alive: readonly MemberId[], now: number): void {
    if (alive.length < 2 || !this.prng.chance(this.options.falseReportProbability)) return;
    const [to, down] = this.prng.shuffle(alive);
    if (to === undefined || down === undefined) return;
    this.pending.push({ at: now, report: { to, down } });
  }

  /** Reports due by `now`, in the order they were made. */
  takeDue(now: number): PeerDownReport[] {
    const due = this.pending.filter((p) => p.at <= now).map((p) => p.report);
    this.pending = this.pending.filter((p) => p.at > now);
    return due;
  }
}
