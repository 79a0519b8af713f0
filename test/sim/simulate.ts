/**
 * A seeded run of real RaftNodes over a simulated network and disks: a safety phase full of
 * faults, then a liveness phase in which everything heals and a leader must commit a proposal
 * within a tick budget. Every event is followed by the checks of sim-checker.ts.
 */
import { RaftNode } from '../../src/raft/raft-node.js';
import type { MembershipChange } from '../../src/raft/raft-node.js';
import { asMemberId } from '../../src/raft/types.js';
import type { MemberId, Message } from '../../src/raft/types.js';
import { formatMessage } from '../raft/format.js';
import { Prng } from './prng.js';
import { SafetyViolation, SimChecker } from './sim-checker.js';
import { SimMember } from './sim-member.js';
import { SimNetwork } from './sim-network.js';
import { SimPeerDown } from './sim-peer-down.js';
import { describeOptions, swarmOptions } from './sim-options.js';
import type { SimOptions, SimScale } from './sim-options.js';

export interface SimStats {
  readonly ticks: number;
  readonly committed: number;
  readonly messages: number;
  readonly dropped: number;
  readonly restarts: number;
  readonly leaders: number;
  readonly peerDownReports: number;
}

export interface SimResult {
  readonly seed: number;
  readonly ok: boolean;
  /** For a failure, the first line is how to replay it. */
  readonly report: readonly string[];
  readonly stats: SimStats;
}

const TRACE_MAX = 80;
const encoder = new TextEncoder();

class Simulation {
  readonly prng: Prng;
  readonly options: SimOptions;
  readonly checker = new SimChecker();
  readonly network: SimNetwork;
  readonly members = new Map<MemberId, SimMember>();
  readonly peerDown: SimPeerDown;
  peerDownReports = 0;
  readonly ids: MemberId[];
  readonly trace: (string | { at: number; message: Message })[] = [];
  now = 0;
  proposals = 0;
  private readonly pendingReads = new Map<string, number>();
  private livenessMarker: string | null = null;
  private leaderTerms = new Set<number>();

  constructor(
    readonly seed: number,
    readonly scale: SimScale,
  ) {
    this.prng = new Prng(seed);
    this.options = swarmOptions(this.prng.fork(), scale);
    this.network = new SimNetwork(
      this.prng.fork(),
      { ...this.options.faults },
      this.options.inflightMessagesMax,
    );
    this.ids = Array.from({ length: this.options.memberCount }, (_, i) => asMemberId(`n${i + 1}`));
    for (const [i, id] of this.ids.entries()) {
      this.members.set(id, new SimMember(id, this.options.member, this.prng.fork(), (config) =>
        this.createNode(i, config),
      ));
    }
    // Forked last, so that the streams forked above stay what they were for each seed.
    this.peerDown = new SimPeerDown(this.prng.fork(), this.options.peerDown);
  }

  private createNode(position: number, config: Parameters<typeof RaftNode.join>[0]): RaftNode {
    switch (this.options.bootstrap) {
      case 'all':
        return RaftNode.bootstrap(config, this.ids);
      case 'one':
        return position === 0 ? RaftNode.bootstrap(config, this.ids) : RaftNode.join(config);
      case 'grow':
        return position === 0 ? RaftNode.bootstrap(config, [config.id]) : RaftNode.join(config);
    }
  }

  note(line: string | Message): void {
    const at = this.now;
    this.trace.push(typeof line === 'string' ? `t=${at} ${line}` : { at, message: line });
    if (this.trace.length > TRACE_MAX) this.trace.shift();
  }

  member(id: MemberId): SimMember {
    const member = this.members.get(id);
    if (member === undefined) throw new Error(`no member ${id}`);
    return member;
  }

  alive(): SimMember[] {
    return this.ids.map((id) => this.member(id)).filter((m) => m.node !== null);
  }

  leader(): SimMember | null {
    const leaders = this.alive().filter((m) => m.node?.status().soft.role === 'LEADER');
    leaders.sort((a, b) => (b.node?.status().hard.term ?? 0) - (a.node?.status().hard.term ?? 0));
    return leaders[0] ?? null;
  }

  /** Run one member's Ready loop, then observe it. */
  process(member: SimMember): void {
    member.processReady(this.network, this.checker, this.now);
    const node = member.node;
    if (node === null) return;
    const status = node.status();
    if (status.soft.role === 'LEADER') {
      if (!this.leaderTerms.has(status.hard.term)) {
        this.leaderTerms.add(status.hard.term);
        this.note(`${member.id} leads term ${status.hard.term}`);
      }
      this.checker.onLeader(member.id, status.hard.term, node);
    }
    this.serveReads(member);
  }

  /** A read point must cover everything committed before the read was asked for. */
  private serveReads(member: SimMember): void {
    const applied = member.node?.status().applied ?? 0;
    member.readStates = member.readStates.filter((rs) => {
      if (rs.index > applied) return true;
      const required = this.pendingReads.get(rs.ctx);
      if (required !== undefined && rs.index < required) {
        throw new SafetyViolation(
          'linearizable-read',
          `${member.id} read ${rs.ctx} at ${rs.index}, but ${required} was committed before`,
        );
      }
      this.pendingReads.delete(rs.ctx);
      return false;
    });
  }

  tickAll(): void {
    for (const member of this.alive()) {
      if (!this.prng.chance(this.options.tickSkipProbability)) member.node?.tick();
      this.process(member);
    }
  }

  deliverPeerDownReports(): void {
    for (const report of this.peerDown.takeDue(this.now)) {
      const target = this.members.get(report.to);
      if (target?.node === null || target === undefined) continue;
      this.note(`${report.to} is told ${report.down} is down`);
      this.peerDownReports += 1;
      target.node.reportPeerDown(report.down);
      this.process(target);
    }
  }

  deliverDue(): void {
    for (const message of this.network.takeDue(this.now)) {
      const target = this.members.get(message.to);
      if (target?.node === null || target === undefined) continue;
      this.note(message);
      target.node.step(message);
      this.process(target);
    }
  }

  propose(member: SimMember): void {
    const node = member.node;
    if (node === null) return;
    const data = `p${this.proposals}`;
    this.proposals += 1;
    const result = node.propose(encoder.encode(data));
    if (result.ok) this.note(`${member.id} proposed ${data} at ${result.term}/${result.index}`);
    this.process(member);
  }

  read(member: SimMember): void {
    const node = member.node;
    if (node === null) return;
    const ctx = `r${this.proposals}`;
    this.proposals += 1;
    if (node.readIndex(ctx).ok) this.pendingReads.set(ctx, this.checker.committedMax);
    this.process(member);
  }

  changeMembership(leader: SimMember): void {
    const node = leader.node;
    if (node === null) return;
    const membership = node.status().membership;
    const outside = this.ids.filter(
      (id) => !membership.voters.includes(id) && !membership.learners.includes(id),
    );
    const choices: MembershipChange[] = [
      ...outside.map((member): MembershipChange => ({ type: 'addLearner', member })),
      ...outside.map((member): MembershipChange => ({ type: 'addVoter', member })),
      ...membership.learners.map((member): MembershipChange => ({ type: 'addVoter', member })),
    ];
    if (membership.voters.length > 2) {
      choices.push(
        ...membership.voters.map((member): MembershipChange => ({ type: 'removeMember', member })),
      );
    }
    if (choices.length === 0) return;
    const change = this.prng.pick(choices);
    const result = node.proposeMembershipChange(change);
    this.note(`${leader.id} ${change.type} ${change.member}: ${result.ok ? 'ok' : result.reason}`);
    this.process(leader);
  }

  crashOrRestart(): void {
    const o = this.options;
    for (const member of this.ids.map((id) => this.member(id))) {
      if (member.node === null) {
        if (!this.prng.chance(o.restartProbability)) continue;
        member.restart();
        this.checker.forget(member.id);
        this.note(`${member.id} restarts`);
        this.process(member);
      } else if (this.prng.chance(o.crashProbability)) {
        member.crash();
        this.note(`${member.id} crashes`);
        this.peerDown.onCrash(member.id, this.ids, this.now);
      }
    }
  }

  changeNetwork(): void {
    const o = this.options;
    if (this.network.isPartitioned() && this.prng.chance(o.healProbability)) {
      this.network.heal();
      this.note('network heals');
    } else if (this.prng.chance(o.partitionProbability)) {
      const shuffled = this.prng.shuffle(this.ids);
      const cut = 1 + this.prng.int(shuffled.length - 1);
      const groupA = shuffled.slice(0, cut).sort();
      const groupB = shuffled.slice(cut).sort();
      const asymmetric = this.prng.chance(0.2);
      this.network.partition(groupA, groupB, asymmetric);
      const how = asymmetric ? ' (one way)' : '';
      this.note(`partition ${groupA.join(',')} / ${groupB.join(',')}${how}`);
    }
  }

  faultEvents(): void {
    const o = this.options;
    this.crashOrRestart();
    this.changeNetwork();
    const leader = this.leader();
    const alive = this.alive();
    this.peerDown.maybeFalseReport(alive.map((m) => m.id), this.now);
    if (alive.length > 0 && this.prng.chance(o.proposeProbability)) {
      this.propose(leader !== null && this.prng.chance(0.9) ? leader : this.prng.pick(alive));
    }
    if (alive.length > 0 && this.prng.chance(o.readProbability)) this.read(this.prng.pick(alive));
    if (leader !== null && this.prng.chance(o.membershipProbability)) this.changeMembership(leader);
    if (leader !== null && this.prng.chance(o.transferProbability)) {
      const to = this.prng.pick(this.ids);
      const result = leader.node?.transferLeadership(to);
      this.note(`${leader.id} transfers to ${to}: ${result?.ok === true ? 'ok' : 'refused'}`);
      this.process(leader);
    }
  }

  /** One tick of the world; returns whether the liveness goal is met (liveness phase only). */
  runTick(faulty: boolean): boolean {
    if (faulty) this.faultEvents();
    else if (this.livenessDue()) this.proposeLivenessMarker();
    this.tickAll();
    this.deliverPeerDownReports();
    this.deliverDue();
    if (this.now % 16 === 0) this.checkLogMatching();
    this.now += 1;
    return !faulty && this.livenessMet();
  }

  checkLogMatching(): void {
    const nodes = new Map<MemberId, RaftNode>();
    for (const member of this.alive()) if (member.node !== null) nodes.set(member.id, member.node);
    this.checker.checkLogMatching(nodes);
  }

  private livenessDue(): boolean {
    return this.leader() !== null && (this.livenessMarker === null || this.now % 40 === 0);
  }

  private proposeLivenessMarker(): void {
    const leader = this.leader();
    if (leader?.node === null || leader === null) return;
    const marker = `live${this.now}`;
    if (leader.node.propose(encoder.encode(marker)).ok) {
      this.livenessMarker = marker;
      this.note(`${leader.id} proposes liveness marker ${marker}`);
    }
    this.process(leader);
  }

  private livenessMet(): boolean {
    const marker = this.livenessMarker;
    if (marker === null) return false;
    return this.alive().some((m) => m.appliedData.some((d) => d.startsWith('live')));
  }

  heal(): void {
    this.network.heal();
    this.network.faults = {
      lossProbability: 0,
      duplicateProbability: 0,
      delayTicksMax: 1,
      fifo: true,
    };
    for (const member of this.ids.map((id) => this.member(id))) {
      member.crashBeforeSyncProbability = 0;
      if (member.node !== null) continue;
      member.restart();
      this.checker.forget(member.id);
      this.process(member);
    }
    this.retireRemovedMembers();
    this.note('liveness phase: everything healed and restarted');
  }

  /**
   * Operators shut down members removed from the cluster (Raft dissertation §4.2.3): one that
   * missed its removal still thinks it votes and, without pre-vote or check-quorum, would
   * disrupt every leader forever.
   */
  private retireRemovedMembers(): void {
    const statuses = this.alive().flatMap((m) => (m.node === null ? [] : [m.node.status()]));
    statuses.sort((a, b) => b.hard.commit - a.hard.commit);
    const membership = statuses[0]?.membership;
    if (membership === undefined) return;
    for (const member of this.alive()) {
      const id = member.id;
      if (membership.voters.includes(id) || membership.learners.includes(id)) continue;
      if (member.node?.status().membership.voters.length === 0) continue; // joined, never added
      member.crash();
      this.note(`${id} retired: not a member any more`);
    }
  }

  livenessBudget(): number {
    const statuses = this.alive().map((m) => m.node?.status());
    const last = Math.max(0, ...statuses.map((s) => s?.lastIndex ?? 0));
    const commit = Math.max(0, ...statuses.map((s) => s?.hard.commit ?? 0));
    const o = this.options;
    return o.livenessTicksMax + (last - commit) * o.livenessTicksPerBacklogEntry;
  }

  stats(): SimStats {
    let restarts = 0;
    for (const member of this.members.values()) restarts += member.restarts;
    return {
      ticks: this.now,
      committed: this.checker.committedMax,
      messages: this.network.sentCount,
      dropped: this.network.droppedCount,
      restarts,
      leaders: this.leaderTerms.size,
      peerDownReports: this.peerDownReports,
    };
  }

  failureReport(error: unknown): string[] {
    const replay = `QUIVER_SEED=${this.seed} npm run test:sim`;
    const lines = [this.scale === 'long' ? replay : `${replay} -- --scale small`];
    lines.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    if (error instanceof Error && !(error instanceof SafetyViolation)) {
      lines.push(...(error.stack ?? '').split('\n').slice(1, 8));
    }
    lines.push(`options: ${describeOptions(this.options)}`);
    lines.push(`last ${this.trace.length} events:`);
    for (const item of this.trace) {
      if (typeof item === 'string') lines.push(`  ${item}`);
      else lines.push(`  t=${item.at} ${formatMessage(item.message)}`);
    }
    return lines;
  }
}

export function simulate(seed: number, scale: SimScale = 'small'): SimResult {
  const sim = new Simulation(seed, scale);
  try {
    for (let t = 0; t < sim.options.safetyTicks; t += 1) sim.runTick(true);
    sim.heal();
    const budget = sim.livenessBudget();
    for (let t = 0; t < budget; t += 1) {
      if (sim.runTick(false)) {
        sim.checkLogMatching();
        return { seed, ok: true, report: [], stats: sim.stats() };
      }
    }
    throw new SafetyViolation(
      'liveness',
      `no proposal committed within ${budget} ticks after healing`,
    );
  } catch (error) {
    return { seed, ok: false, report: sim.failureReport(error), stats: sim.stats() };
  }
}
