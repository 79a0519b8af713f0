/**
 * A small deterministic world for transcript and paper tests: members with in-memory storage,
 * one queue of messages in flight, partitions, crashes. It follows the loop contract of
 * src/raft/ready.ts (persist, send, apply, advance) and narrates what happens as lines.
 */
import { RaftNode } from '../../src/raft/raft-node.js';
import type { RaftConfigInput } from '../../src/raft/config.js';
import type { Ready } from '../../src/raft/ready.js';
import { asLogIndex, asMemberId, INDEX_ZERO, TERM_ZERO } from '../../src/raft/types.js';
import type { Entry, MemberId, Message, ReadState } from '../../src/raft/types.js';
import { Prng } from '../sim/prng.js';
import { applyReady } from '../sim/sim-disk.js';
import type { DurableState } from '../sim/sim-disk.js';
import { formatEntries, formatMessage } from './format.js';

export interface Member {
  readonly id: MemberId;
  node: RaftNode | null;
  readonly storage: DurableState;
  /** Every entry handed to the application, in order (a snapshot resets it). */
  applied: Entry[];
  readStates: ReadState[];
}

export class RaftEnv {
  readonly members = new Map<MemberId, Member>();
  inflight: Message[] = [];
  readonly lines: string[] = [];
  private readonly blocked = new Set<string>();
  private readonly prng: Prng;

  constructor(
    seed = 1,
    private readonly overrides: Partial<RaftConfigInput> = {},
  ) {
    this.prng = new Prng(seed);
  }

  private config(id: MemberId): RaftConfigInput {
    const rng = this.prng.fork().rng;
    return { electionTicks: 10, heartbeatTicks: 1, ...this.overrides, id, rng };
  }

  private addMember(id: MemberId, node: RaftNode): void {
    const storage: DurableState = {
      hardState: { term: TERM_ZERO, vote: null, commit: INDEX_ZERO },
      snapshot: undefined,
      entries: [],
    };
    this.members.set(id, { id, node, storage, applied: [], readStates: [] });
  }

  /** Every listed member bootstraps with all of them as voters. */
  bootstrapAll(ids: readonly string[]): void {
    const voters = ids.map(asMemberId);
    for (const id of voters) this.addMember(id, RaftNode.bootstrap(this.config(id), voters));
  }

  bootstrapOne(id: string, voters: readonly string[]): void {
    const member = asMemberId(id);
    this.addMember(member, RaftNode.bootstrap(this.config(member), voters.map(asMemberId)));
  }

  join(id: string): void {
    const member = asMemberId(id);
    this.addMember(member, RaftNode.join(this.config(member)));
  }

  member(id: string): Member {
    const member = this.members.get(asMemberId(id));
    if (member === undefined) throw new Error(`no member ${id}`);
    return member;
  }

  node(id: string): RaftNode {
    const node = this.member(id).node;
    if (node === null) throw new Error(`member ${id} is down`);
    return node;
  }

  ids(): MemberId[] {
    return [...this.members.keys()].sort();
  }

  /** Persist, send, apply, advance; returns whether there was anything to do. */
  processReady(id: MemberId): boolean {
    const member = this.member(id);
    const node = member.node;
    if (node === null || !node.hasReady()) return false;
    const ready = node.ready();
    this.narrateReady(id, ready);
    applyReady(member.storage, ready);
    this.inflight.push(...ready.messages);
    if (ready.snapshot !== undefined) member.applied = [];
    member.applied.push(...ready.committed);
    member.readStates.push(...ready.readStates);
    node.advance(ready);
    return true;
  }

  private narrateReady(id: MemberId, ready: Ready): void {
    const parts: string[] = [];
    if (ready.softState !== undefined) {
      parts.push(`role=${ready.softState.role} leader=${ready.softState.leader ?? '-'}`);
    }
    if (ready.hardState !== undefined) {
      const hs = ready.hardState;
      parts.push(`hard=${hs.term}/${hs.vote ?? '-'}/${hs.commit}`);
    }
    if (ready.snapshot !== undefined) {
      parts.push(`snapshot=${ready.snapshot.meta.term}/${ready.snapshot.meta.index}`);
    }
    if (ready.entries.length > 0) parts.push(`persist=${formatEntries(ready.entries)}`);
    if (ready.committed.length > 0) parts.push(`apply=${formatEntries(ready.committed)}`);
    for (const rs of ready.readStates) parts.push(`read=${rs.ctx}@${rs.index}`);
    if (parts.length > 0) this.lines.push(`${id}: ${parts.join(' ')}`);
    for (const message of ready.messages) this.lines.push(`  ${formatMessage(message)}`);
  }

  isBlocked(from: MemberId, to: MemberId): boolean {
    return this.blocked.has(`${from}>${to}`);
  }

  /** Cut every link between the groups, both ways. */
  partition(groups: readonly (readonly string[])[]): void {
    this.blocked.clear();
    for (const a of groups) {
      for (const b of groups) {
        if (a === b) continue;
        for (const x of a) for (const y of b) this.blocked.add(`${x}>${y}`);
      }
    }
  }

  /** Lose every message from one member to another (the other direction still works). */
  cutOneWay(from: string, to: string): void {
    this.blocked.add(`${from}>${to}`);
  }

  heal(): void {
    this.blocked.clear();
  }

  /** Deliver what is in flight (optionally only to one member); drop=true loses it instead. */
  deliver(options: { to?: MemberId; drop?: boolean } = {}): number {
    const chosen = this.inflight.filter((m) => options.to === undefined || m.to === options.to);
    this.inflight = this.inflight.filter((m) => !chosen.includes(m));
    for (const message of chosen) {
      const target = this.members.get(message.to);
      const lost =
        options.drop === true || this.isBlocked(message.from, message.to) || !target?.node;
      if (lost) {
        this.lines.push(`  dropped ${formatMessage(message)}`);
        continue;
      }
      target.node?.step(message);
    }
    return chosen.length;
  }

  /** Process and deliver until nothing moves; bounded so a livelock fails instead of hanging. */
  stabilize(roundsMax = 200): void {
    for (let round = 0; round < roundsMax; round += 1) {
      let busy = false;
      for (const id of this.ids()) busy = this.processReady(id) || busy;
      busy = this.deliver() > 0 || busy;
      if (!busy) return;
    }
    throw new Error(`not stable after ${roundsMax} rounds`);
  }

  tick(id: MemberId, count: number): void {
    for (let i = 0; i < count; i += 1) this.node(id).tick();
  }

  crash(id: MemberId): void {
    this.member(id).node = null;
    this.inflight = this.inflight.filter((m) => m.to !== id && m.from !== id);
  }

  restart(id: MemberId): void {
    const member = this.member(id);
    const storage = member.storage;
    member.node = RaftNode.restart({
      config: this.config(id),
      hardState: storage.hardState,
      ...(storage.snapshot === undefined ? {} : { snapshot: storage.snapshot }),
      entries: storage.entries,
    });
    member.applied = [];
  }

  /** The application snapshots its state at `index` and the log before it is dropped. */
  compact(id: MemberId, index: number): void {
    const member = this.member(id);
    const snapshot = this.node(id).compact({
      index: asLogIndex(index),
      snapshotData: new TextEncoder().encode(`state@${index}`),
    });
    member.storage.snapshot = snapshot;
    member.storage.entries = member.storage.entries.filter((e) => e.index > index);
  }

  leaders(): MemberId[] {
    return this.ids().filter((id) => this.member(id).node?.status().soft.role === 'LEADER');
  }
}
