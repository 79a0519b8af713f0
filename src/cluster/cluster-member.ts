/**
 * A core member: recovers its graph from its snapshot and log, finds the other members through
 * discovery, forms or joins the cluster, and then runs Raft, applying committed ChangeSets to the
 * same Database that serves Bolt. It is the cluster's side of the server; the server sees it as a
 * Replicator (commits) and a ClusterView (roles, routing).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Database, SystemState } from '../db/database.js';
import type { MemberRole } from '../db/replicator.js';
import { GraphStateMachine } from '../db/state-machine.js';
import { readSnapshot, writeSnapshot } from '../graph/snapshot.js';
import { openDurableState, type DurableState } from '../log/index.js';
import { RaftNode } from '../raft/raft-node.js';
import {
  asLogIndex, asMemberId, asTerm, type Entry, type MemberId, type Snapshot, type SoftState,
} from '../raft/types.js';
import type { ClusterStatus, ClusterView, MemberInfo } from '../server/cluster-view.js';
import { ClusterReplicator } from './cluster-replicator.js';
import { Discovery, splitAddress, type MemberAdvert } from './discovery.js';
import { decideFormation } from './formation.js';
import { bindClusterId, memberId, readClusterId } from './member-files.js';
import { RaftLoop } from './raft-loop.js';
import { DurableRaftStorage } from './raft-storage.js';
import { realTimers } from './timers.js';
import { RaftTransport, TRANSPORT_DEFAULTS } from './transport.js';

export interface CoreSettings {
  /** A READ_REPLICA is a Raft learner: it receives every commit but never votes or leads. */
  readonly mode: 'CORE' | 'READ_REPLICA';
  readonly dataDir: string;
  readonly discoveryListen: { host: string; port: number };
  readonly advertised: { discovery: string; raft: string; bolt: string; http: string };
  readonly raftListen: { host: string; port: number };
  readonly seeds: readonly string[];
  readonly formationCoreCountMin: number;
  readonly electionTimeoutMsMin: number;
  readonly heartbeatIntervalMs: number;
  readonly replicationTimeoutMs: number;
  readonly snapshotThresholdEntries: number | null;
  readonly preVote: boolean;
  readonly refuseToBeLeader: boolean;
  readonly readsOnLeader: boolean;
  readonly routingTtlSeconds: number;
  readonly groups: readonly string[];
  /** Shared secret every raft connection must prove (challenge-response); null: none. */
  readonly clusterSecret?: string | null;
}

export interface MemberLog {
  info(line: string): void;
  warn(line: string): void;
}

const TICK_MS = 50;
const ALIVE_MS = 3000;
const DISCOVERY_INTERVAL_MS = 300;

export class CoreMember implements ClusterView {
  readonly machine = new GraphStateMachine();
  selfId = '';
  private clusterId: string | null = null;
  private durable: DurableState | null = null;
  private discovery: Discovery | null = null;
  private transport: RaftTransport | null = null;
  private loop: RaftLoop | null = null;
  replicator: ClusterReplicator | null = null;
  private db: Database | null = null;
  private soft: SoftState = { role: 'FOLLOWER', leader: null };
  private lastSnapshotIndex = 0;
  private formationTimer: NodeJS.Timeout | null = null;
  private membershipTimer: NodeJS.Timeout | null = null;
  private lastLeaderContactMs: number | null = null;
  private stopped = false;

  constructor(
    private readonly settings: CoreSettings,
    private readonly system: SystemState,
    private readonly log: MemberLog,
  ) {}

  /** Recovers the graph and starts discovery; forming or joining happens in the background. */
  async start(attach: (machine: GraphStateMachine, storeId: string) => Database): Promise<void> {
    const clusterDir = join(this.settings.dataDir, 'cluster');
    this.selfId = await memberId(clusterDir);
    this.clusterId = await readClusterId(clusterDir);
    this.durable = await openDurableState(this.settings.dataDir, { logger: (l) => this.log.warn(l) });
    if (this.durable.snapshot) this.restoreSnapshotData(this.durable.snapshot.data);
    this.lastSnapshotIndex = this.durable.snapshot?.meta.index ?? 0;
    this.db = attach(this.machine, this.clusterId ?? 'unbound');
    this.discovery = new Discovery({
      listenHost: this.settings.discoveryListen.host, listenPort: this.settings.discoveryListen.port,
      seeds: this.settings.seeds, self: () => this.advert(), intervalMs: DISCOVERY_INTERVAL_MS,
      nowMs: Date.now, log: (l) => this.log.warn(l),
    });
    await this.discovery.start();
    if (this.clusterId !== null) await this.runRaft(this.clusterId, 'restart');
    else this.formationTimer = setInterval(() => void this.tryToForm(), DISCOVERY_INTERVAL_MS);
  }

  private advert(): MemberAdvert {
    const status = this.loop?.status();
    return {
      memberId: this.selfId, clusterId: this.clusterId, mode: this.settings.mode,
      discoveryAddress: this.settings.advertised.discovery, raftAddress: this.settings.advertised.raft,
      boltAddress: this.settings.advertised.bolt, httpAddress: this.settings.advertised.http,
      groups: this.settings.groups, role: this.role(), leaderId: this.soft.leader,
      term: status?.hard.term ?? 0, appliedIndex: this.machine.appliedIndex,
    };
  }

  private waitingLogged = 0;

  private async tryToForm(): Promise<void> {
    if (this.clusterId !== null || !this.discovery || this.stopped) return;
    const decision = decideFormation({ selfId: this.selfId, mode: this.settings.mode,
      alive: this.discovery.alive(ALIVE_MS),
      formationCoreCountMin: this.settings.formationCoreCountMin });
    if (decision.action === 'wait') {
      if (Date.now() - this.waitingLogged > 5000) {
        this.waitingLogged = Date.now();
        this.log.info(`Waiting for a total of ${this.settings.formationCoreCountMin} core members ` +
          `(${decision.coresSeen} discovered so far)...`);
      }
      return;
    }
    if (this.formationTimer) clearInterval(this.formationTimer);
    this.formationTimer = null;
    if (decision.action === 'bootstrap') {
      this.clusterId = randomBytes(8).toString('hex');
      await this.runRaft(this.clusterId, 'bootstrap', decision.voters);
      this.log.info('This instance bootstrapped the cluster.');
    } else {
      this.clusterId = decision.clusterId;
      await this.runRaft(decision.clusterId, 'join');
    }
    this.log.info(`Bound to cluster with id ${this.clusterId}`);
  }

  private async runRaft(clusterId: string, how: 'bootstrap' | 'join' | 'restart',
    voters: readonly string[] = []): Promise<void> {
    const durable = this.durable!;
    await bindClusterId(join(this.settings.dataDir, 'cluster'), clusterId);
    if (this.db) this.db.core.storeId = clusterId;
    const id = asMemberId(this.selfId);
    this.transport = new RaftTransport({
      ...TRANSPORT_DEFAULTS, clusterId, memberId: id,
      clusterSecret: this.settings.clusterSecret ?? null,
      listen: { host: this.settings.raftListen.host, port: this.settings.raftListen.port },
      timers: realTimers, logger: this.log,
      onMessage: (m) => this.loop?.step(m),
      onUnreachable: (peer) => this.loop?.reportUnreachable(peer),
    });
    await this.transport.start();
    const node = this.makeNode(how, voters.map(asMemberId));
    this.loop = new RaftLoop({
      node, storage: new DurableRaftStorage(durable), storedLastIndex: asLogIndex(durable.log.lastIndex()),
      send: (m) => { this.transport?.send(m); },
      apply: (e) => this.apply(e),
      applySnapshot: (s) => this.installSnapshot(s),
      onSoftState: (s) => this.onSoftState(s),
      onFatal: (e) => this.fatal(e),
      timers: realTimers, tickMs: TICK_MS,
    });
    this.replicator = new ClusterReplicator(this.loop, this.machine, this.settings.replicationTimeoutMs);
    this.db?.useReplicator(this.replicator);
    this.loop.start();
    this.membershipTimer = setInterval(() => this.tendMembership(), DISCOVERY_INTERVAL_MS);
  }

  private makeNode(how: 'bootstrap' | 'join' | 'restart', voters: MemberId[]): RaftNode {
    const durable = this.durable!;
    const config = {
      id: asMemberId(this.selfId), rng: Math.random,
      electionTicks: Math.max(2, Math.round(this.settings.electionTimeoutMsMin / TICK_MS)),
      heartbeatTicks: Math.max(1, Math.round(this.settings.heartbeatIntervalMs / TICK_MS)),
      preVote: this.settings.preVote, refuseToBeLeader: this.settings.refuseToBeLeader,
    };
    if (how === 'bootstrap') return RaftNode.bootstrap(config, voters);
    const empty = durable.log.lastIndex() === 0 && durable.snapshot === null;
    if (how === 'join' && empty) return RaftNode.join(config);
    const hs = durable.hardState.read();
    const snap = durable.snapshot;
    const snapshot: Snapshot | undefined = snap ? {
      meta: { index: asLogIndex(snap.meta.index), term: asTerm(snap.meta.term),
        membership: snap.meta.config as Snapshot['meta']['membership'] },
      data: snap.data,
    } : undefined;
    const snapIndex = snap?.meta.index ?? 0;
    const commit = Math.min(Math.max(hs.commit, snapIndex), Math.max(durable.log.lastIndex(), snapIndex));
    const hardState = { term: asTerm(hs.term), vote: hs.vote === null ? null : asMemberId(hs.vote),
      commit: asLogIndex(commit) };
    const entries = readAll(durable);
    return RaftNode.restart(snapshot ? { config, hardState, entries, snapshot }
      : { config, hardState, entries });
  }

  private apply(entry: Entry): void {
    this.machine.apply(entry);
    this.replicator?.applied(entry.index, entry.term);
    this.maybeCompact();
  }

  private maybeCompact(): void {
    const every = this.settings.snapshotThresholdEntries;
    const applied = this.machine.appliedIndex;
    if (every === null || applied - this.lastSnapshotIndex < every || !this.loop) return;
    this.lastSnapshotIndex = applied;
    const store = this.machine.store;
    const view = store.openView();
    const data = Buffer.concat([...writeSnapshot(store, view, this.system.snapshot())]);
    view.close();
    this.loop.compact(asLogIndex(view.version), data).then(
      () => this.log.info(`Snapshot taken at index ${view.version}; log compacted.`),
      (e: unknown) => this.log.warn(`Snapshot at ${view.version} failed: ${String(e)}`));
  }

  private restoreSnapshotData(data: Uint8Array): void {
    const { store, header } = readSnapshot(data);
    this.machine.replaceStore(store);
    this.system.restore(header.system);
  }

  private installSnapshot(snapshot: Snapshot): void {
    this.log.info(`Installing a snapshot at index ${snapshot.meta.index} from the leader.`);
    this.restoreSnapshotData(snapshot.data);
    this.lastSnapshotIndex = snapshot.meta.index;
  }

  private onSoftState(s: SoftState): void {
    if (s.leader !== this.soft.leader && s.leader !== null) {
      this.log.info(`Leader is now ${s.leader === this.selfId ? 'this member' : s.leader} ` +
        `(role ${s.role}).`);
    }
    this.soft = s;
    this.replicator?.setRole(this.role());
  }

  private fatal(e: unknown): void {
    this.log.warn(`Raft stopped after a storage failure: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 70;
    void this.stop().finally(() => process.exit(70));
  }

  /** Keeps transport peers in step with discovery, and (leader) adds newly bound cores. */
  private tendMembership(): void {
    if (!this.discovery || !this.transport || !this.loop) return;
    const alive = this.discovery.alive(ALIVE_MS).filter((m) => m.clusterId === this.clusterId);
    for (const m of alive) {
      if (m.memberId === this.selfId) continue;
      const [host, port] = splitAddress(m.raftAddress);
      this.transport.setPeer(asMemberId(m.memberId), { host, port });
    }
    if (this.soft.leader !== null && this.soft.leader !== this.selfId) {
      this.lastLeaderContactMs = Date.now();
    }
    if (this.soft.role !== 'LEADER') return;
    const membership = this.loop.status().membership;
    const known = (id: string): boolean => membership.voters.includes(asMemberId(id)) ||
      membership.learners.includes(asMemberId(id));
    const newcomer = alive.find((m) => !known(m.memberId));
    if (!newcomer) return;
    const core = newcomer.mode === 'CORE';
    const r = this.loop.proposeMembershipChange({ type: core ? 'addVoter' : 'addLearner',
      member: asMemberId(newcomer.memberId) });
    if (r.ok) {
      this.log.info(`Adding ${core ? 'core member' : 'read replica'} ${newcomer.memberId} to the cluster.`);
    }
  }

  /** Removes a member from the voters (an admin's choice when a member is gone for good). */
  removeMember(id: string): boolean {
    return this.loop?.proposeMembershipChange({ type: 'removeMember', member: asMemberId(id) }).ok ?? false;
  }

  // ---- ClusterView -------------------------------------------------------------------------

  role(): MemberRole {
    if (this.settings.mode === 'READ_REPLICA') return 'READ_REPLICA';
    switch (this.soft.role) {
      case 'LEADER': return 'LEADER';
      case 'CANDIDATE': case 'PRE_CANDIDATE': return 'CANDIDATE';
      default: return 'FOLLOWER';
    }
  }

  members(): MemberInfo[] {
    const alive = this.discovery?.alive(ALIVE_MS) ?? [this.advert()];
    const voters = new Set<string>(this.loop?.status().membership.voters ?? []);
    return alive.filter((m) => m.clusterId === this.clusterId || m.memberId === this.selfId)
      .map((m) => ({
        id: m.memberId,
        role: m.mode === 'READ_REPLICA' ? 'READ_REPLICA'
          : m.memberId === this.soft.leader ? 'LEADER'
            : m.memberId === this.selfId ? this.role()
              : voters.has(m.memberId) ? 'FOLLOWER' : 'UNKNOWN',
        boltAddress: m.boltAddress, httpAddress: m.httpAddress, groups: m.groups, healthy: true,
      }));
  }

  status(): ClusterStatus {
    const s = this.loop?.status();
    return {
      memberId: this.selfId, role: this.role(), leader: this.soft.leader,
      term: s?.hard.term ?? 0, lastAppliedRaftIndex: this.machine.appliedIndex,
      votingMembers: [...(s?.membership.voters ?? [])],
      millisSinceLastLeaderMessage: this.soft.role === 'LEADER' ? 0
        : this.lastLeaderContactMs === null ? null : Date.now() - this.lastLeaderContactMs,
      participatingInRaftGroup: this.loop !== null && this.soft.leader !== null,
      healthy: this.loop !== null, core: this.settings.mode === 'CORE',
    };
  }

  routingTtlSeconds(): number {
    return this.settings.routingTtlSeconds;
  }

  readsOnLeader(): boolean {
    return this.settings.readsOnLeader;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.formationTimer) clearInterval(this.formationTimer);
    if (this.membershipTimer) clearInterval(this.membershipTimer);
    await this.replicator?.close();
    await this.loop?.stop();
    await this.transport?.close();
    await this.discovery?.stop();
    await this.durable?.log.close();
  }
}

function readAll(durable: DurableState): Entry[] {
  const log = durable.log;
  const out: Entry[] = [];
  for (let from = log.firstIndex(); from <= log.lastIndex();) {
    const batch = log.read(from, log.lastIndex() + 1);
    for (const e of batch) {
      out.push({ index: asLogIndex(e.index), term: asTerm(e.term), kind: e.kind, data: e.data });
    }
    from += batch.length;
    if (batch.length === 0) break;
  }
  return out;
}
