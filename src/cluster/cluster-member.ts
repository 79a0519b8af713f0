/**
 * A core member: recovers its graph from its snapshot and log, finds the other members through
 * discovery, forms or joins the cluster, and then runs Raft, applying committed ChangeSets to the
 * same Database that serves Bolt. It is the cluster's side of the server; the server sees it as a
 * Replicator (commits) and a ClusterView (roles, routing).
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assert } from '../assert.js';
import { UNBOUND_STORE_ID } from '../db/bookmark.js';
import type { Database, SystemState } from '../db/database.js';
import type { MemberRole } from '../db/replicator.js';
import { GraphStateMachine } from '../db/state-machine.js';
import { readSnapshot, writeSnapshot } from '../graph/snapshot.js';
import { openDurableState, type DurableState } from '../log/index.js';
import { EMPTY_MEMBERSHIP, encodeConfigChange } from '../raft/membership.js';
import { RaftNode } from '../raft/raft-node.js';
import {
  asLogIndex, asMemberId, asTerm, type Entry, type MemberId, type Snapshot, type SoftState,
} from '../raft/types.js';
import {
  lagBehindLeader, type ClusterStatus, type ClusterView, type MemberInfo,
} from '../server/cluster-view.js';
import { ClusterReplicator } from './cluster-replicator.js';
import {
  Discovery, splitAddress, type MemberAdvert, type StoreFingerprint,
} from './discovery.js';
import { decideFormation, fingerprintStore, type FormationRefusal } from './formation.js';
import { bindClusterId, memberId, readClusterId } from './member-files.js';
import { RaftLoop } from './raft-loop.js';
import { collectChunks } from './snapshot-chunks.js';
import { goneVoterToRemove, VOTER_GONE_MS } from './runtime-membership.js';
import { DurableRaftStorage } from './raft-storage.js';
import { realTimers } from './timers.js';
import { RaftTransport, TRANSPORT_DEFAULTS } from './transport.js';
import { replicaPullFor, type ReplicaPull } from './replica-pull.js';
import { handOffLeadership } from './arbiter.js';
import { CatchupServer, type CatchupSource } from './catchup-server.js';
import { CatchupClient } from './catchup-client.js';
import { CatchupReplica, ReadReplicaReplicator } from './catchup-replica.js';
import {
  chooseUpstream, followsLeaderAsLearner, pullsFrom, type UpstreamChoice, type UpstreamStrategy,
} from './upstream-choice.js';
import type { MemberChannel } from '../security/member-channel.js';

export interface CoreSettings {
  /** A READ_REPLICA is a Raft learner: it receives every commit but never votes or leads. */
  readonly mode: 'CORE' | 'READ_REPLICA';
  readonly dataDir: string;
  readonly discoveryListen: { host: string; port: number };
  readonly advertised: {
    discovery: string; raft: string; bolt: string; http: string;
    /** The catchup (transaction) port's advertised address; absent: catchup is not served. */
    catchup?: string;
  };
  readonly raftListen: { host: string; port: number };
  /** Where to serve catchup (causal_clustering.transaction_listen_address); absent: nowhere. */
  readonly catchupListen?: { host: string; port: number };
  /**
   * READ_REPLICA: causal_clustering.upstream_selection_strategy. Absent, 'default' or
   * 'leader-only' alone: a Raft learner fed by the leader; otherwise pulled over catchup.
   */
  readonly upstreamStrategies?: readonly UpstreamStrategy[];
  /** ha.tx_push_factor: pulling replicas this member wakes on each commit (default 1). */
  readonly txPushFactor?: number;
  readonly seeds: readonly string[];
  readonly formationCoreCountMin: number;
  /**
   * causal_clustering.minimum_core_cluster_size_at_runtime: the leader votes out cores gone
   * from discovery, never below this many voters; absent: it never does.
   */
  readonly runtimeCoreCountMin?: number;
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
  /** Raft and discovery connections: mutual TLS under dbms.ssl.policy.cluster, or TCP. */
  readonly channel?: MemberChannel;
  /** READ_REPLICA: causal_clustering.pull_interval; 0 or absent streams every commit. */
  readonly pullIntervalMs?: number;
  /** dbms.mode=ARBITER: a voting core that keeps the log but no graph and never leads. */
  readonly arbiter?: boolean;
}

export interface MemberLog {
  info(line: string): void;
  warn(line: string): void;
}

const TICK_MS = 50;
const ALIVE_MS = 3000;
const DISCOVERY_INTERVAL_MS = 300;
const REFUSALS_LOGGED_MAX = 100;

export class CoreMember implements ClusterView {
  readonly machine = new GraphStateMachine();
  selfId = '';
  private clusterId: string | null = null;
  private durable: DurableState | null = null;
  private discovery: Discovery | null = null;
  private transport: RaftTransport | null = null;
  private loop: RaftLoop | null = null;
  /** A pulling replica's gate between the transport and raft; null streams. */
  private pull: ReplicaPull | null = null;
  /** Serves committed entries to replicas (any member but an arbiter, once bound). */
  private catchupServer: CatchupServer | null = null;
  /** A replica fed over catchup (decision 0026): no raft loop, this client instead. */
  private catchupClient: CatchupClient | null = null;
  replicator: ClusterReplicator | null = null;
  private db: Database | null = null;
  private soft: SoftState = { role: 'FOLLOWER', leader: null };
  private lastSnapshotIndex = 0;
  /** A snapshot is being serialized; at most one at a time. */
  private compacting = false;
  private formationTimer: NodeJS.Timeout | null = null;
  private membershipTimer: NodeJS.Timeout | null = null;
  private lastLeaderContactMs: number | null = null;
  /** When this member last became leader (local ms); null while it does not lead. */
  private leaderSinceMs: number | null = null;
  /**
   * Whether the graph is as new as the cluster's: false from start until this member has applied
   * the commit index a leader of the current term announced to it. Its saved commit index lags
   * (raft-storage.ts) and others may have committed while it was down, so until then it routes
   * but is left out of the readers. Once true it stays true.
   */
  private readsServed = false;
  /** The first commit index a leader announced after the start; 0 until one did. */
  private catchUpTarget = 0;
  private stopped = false;
  /** The store an unbound core started with, advertised so that only equal stores form. */
  private store: StoreFingerprint | undefined = undefined;
  /** Formation refusals already logged ("member why"), so each is logged once. */
  private readonly refusalsLogged = new Set<string>();

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
    this.machine.lastAppliedTerm = this.durable.snapshot?.meta.term ?? 0;
    this.lastSnapshotIndex = this.durable.snapshot?.meta.index ?? 0;
    this.db = attach(this.machine, this.clusterId ?? UNBOUND_STORE_ID);
    if (this.clusterId === null) {
      const snap = this.durable.snapshot;
      this.store = fingerprintStore({ storeId: await readStoreIdFile(this.settings.dataDir),
        snapshot: snap && { index: snap.meta.index, term: snap.meta.term, data: snap.data },
        entries: readAll(this.durable) });
    }
    this.discovery = new Discovery({
      listenHost: this.settings.discoveryListen.host, listenPort: this.settings.discoveryListen.port,
      seeds: this.settings.seeds, self: () => this.advert(), intervalMs: DISCOVERY_INTERVAL_MS,
      nowMs: Date.now, log: (l) => this.log.warn(l),
      secret: this.settings.clusterSecret ?? null,
      ...(this.settings.channel ? { channel: this.settings.channel } : {}),
    });
    await this.discovery.start();
    if (this.clusterId !== null && this.pullsByCatchup()) await this.runCatchup(this.clusterId);
    else if (this.clusterId !== null) await this.runRaft(this.clusterId, 'restart');
    else this.formationTimer = setInterval(() => void this.tryToForm(), DISCOVERY_INTERVAL_MS);
  }

  private advert(): MemberAdvert {
    const status = this.loop?.status();
    return {
      memberId: this.selfId, clusterId: this.clusterId, mode: this.settings.mode,
      discoveryAddress: this.settings.advertised.discovery, raftAddress: this.settings.advertised.raft,
      boltAddress: this.settings.advertised.bolt, httpAddress: this.settings.advertised.http,
      groups: this.settings.groups, role: this.role(), leaderId: this.soft.leader,
      arbiter: this.settings.arbiter === true,
      term: status?.hard.term ?? 0, appliedIndex: this.machine.appliedIndex,
      committedIndex: Math.max(status?.hard.commit ?? 0, this.machine.appliedIndex),
      servesReads: this.caughtUp(),
      ...(this.catchupServer !== null && this.settings.advertised.catchup !== undefined
        ? { catchupAddress: this.settings.advertised.catchup } : {}),
      ...(this.settings.mode === 'READ_REPLICA'
        ? { upstreamId: this.upstream(), pullsByCatchup: this.pullsByCatchup() } : {}),
      // Kept once bound: cores restored from the same backup join the cluster seeded from it.
      ...(this.store !== undefined ? { store: this.store } : {}),
    };
  }

  private caughtUp(): boolean {
    if (this.readsServed) return true;
    // Over catchup the target is what the first upstream that answered had applied.
    const target = this.loop?.status().leaderCommit ?? this.catchupClient?.upstreamApplied();
    if (target === undefined) return false;
    if (this.catchUpTarget === 0) this.catchUpTarget = target;
    if (this.catchUpTarget === 0 || this.machine.appliedIndex < this.catchUpTarget) return false;
    this.readsServed = true;
    this.log.info(`Caught up with the leader at index ${this.catchUpTarget}; serving reads.`);
    return true;
  }

  private waitingLogged = 0;

  private async tryToForm(): Promise<void> {
    if (this.clusterId !== null || !this.discovery || this.stopped) return;
    const decision = decideFormation({ selfId: this.selfId, mode: this.settings.mode,
      alive: this.discovery.alive(ALIVE_MS),
      formationCoreCountMin: this.settings.formationCoreCountMin });
    if (decision.action !== 'join') this.logRefusals(decision.refused);
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
    } else if (this.pullsByCatchup()) {
      this.clusterId = decision.clusterId;
      await this.runCatchup(decision.clusterId);
    } else {
      this.clusterId = decision.clusterId;
      await this.runRaft(decision.clusterId, 'join');
    }
    this.log.info(`Bound to cluster with id ${this.clusterId}`);
  }

  private logRefusals(refused: readonly FormationRefusal[]): void {
    for (const { memberId: other, why } of refused) {
      const key = `${other} ${why}`;
      if (this.refusalsLogged.has(key) || this.refusalsLogged.size >= REFUSALS_LOGGED_MAX) continue;
      this.refusalsLogged.add(key);
      this.log.warn(`Refusing to form or join a cluster with core member ${other}: ${why}.`);
    }
  }

  private async runRaft(clusterId: string, how: 'bootstrap' | 'join' | 'restart',
    voters: readonly string[] = []): Promise<void> {
    const durable = this.durable!;
    const seeding = how === 'bootstrap' && this.store !== undefined;
    // Before binding: a crash in between leaves an unbound store that no longer matches the
    // others (refused, and logged, at the next start) rather than a bound one with no voters.
    if (seeding) await this.seed(voters.map(asMemberId));
    await bindClusterId(join(this.settings.dataDir, 'cluster'), clusterId);
    if (this.db) this.db.core.storeId = clusterId;
    const id = asMemberId(this.selfId);
    this.transport = new RaftTransport({
      ...TRANSPORT_DEFAULTS, clusterId, memberId: id,
      clusterSecret: this.settings.clusterSecret ?? null,
      ...(this.settings.channel ? { channel: this.settings.channel } : {}),
      listen: { host: this.settings.raftListen.host, port: this.settings.raftListen.port },
      timers: realTimers, logger: this.log,
      onMessage: (m) => (this.pull ? this.pull.receive(m) : this.loop?.step(m)),
      onUnreachable: (peer) => this.loop?.reportUnreachable(peer),
      onPeerDown: (peer) => this.loop?.reportPeerDown(peer),
    });
    await this.transport.start();
    const node = this.makeNode(seeding ? 'restart' : how, voters.map(asMemberId));
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
    const loop = this.loop;
    this.pull = this.settings.mode === 'READ_REPLICA' ? replicaPullFor({
      pullIntervalMs: this.settings.pullIntervalMs ?? 0, step: (m) => loop.step(m),
      appliedIndex: () => this.machine.appliedIndex, log: this.log }) : null;
    this.loop.start();
    this.pull?.start();
    await this.serveCatchup(clusterId);
    this.membershipTimer = setInterval(() => this.tendMembership(), DISCOVERY_INTERVAL_MS);
  }

  /** A read replica fed over catchup: its own log and no raft node (decision 0026). */
  private async runCatchup(clusterId: string): Promise<void> {
    const durable = this.durable!;
    await bindClusterId(join(this.settings.dataDir, 'cluster'), clusterId);
    if (this.db) this.db.core.storeId = clusterId;
    const replica = new CatchupReplica({ durable, machine: this.machine, system: this.system,
      snapshotThresholdEntries: this.settings.snapshotThresholdEntries, log: this.log,
      apply: (e) => this.apply({ ...e, index: asLogIndex(e.index), term: asTerm(e.term) }),
      restore: (data) => this.restoreSnapshotData(data) });
    await replica.recover();
    this.db?.useReplicator(new ReadReplicaReplicator());
    this.catchupClient = new CatchupClient({ selfId: this.selfId, clusterId,
      pullIntervalMs: this.settings.pullIntervalMs ?? 0, store: replica,
      choose: (input) => this.chooseFor(input), stillUsable: (id) => this.upstreamUsable(id),
      timers: realTimers, nowMs: Date.now, log: this.log, onFatal: (e) => this.fatal(e),
      secret: this.settings.clusterSecret ?? null,
      ...(this.settings.channel ? { channel: this.settings.channel } : {}) });
    await this.serveCatchup(clusterId);
    this.catchupClient.start();
    this.membershipTimer = setInterval(() => this.tendMembership(), DISCOVERY_INTERVAL_MS);
  }

  /** Any member with a graph serves committed entries to replicas; a taken port is logged. */
  private async serveCatchup(clusterId: string): Promise<void> {
    const listen = this.settings.catchupListen;
    if (listen === undefined || this.settings.arbiter === true) return;
    const server = new CatchupServer({ host: listen.host, port: listen.port, clusterId,
      source: this.catchupSource(), pushFactor: this.settings.txPushFactor ?? 1, log: this.log,
      secret: this.settings.clusterSecret ?? null,
      ...(this.settings.channel ? { channel: this.settings.channel } : {}) });
    try {
      await server.start();
      this.catchupServer = server;
    } catch (e) {
      this.log.warn(`Read replicas cannot pull from this member: cannot listen on ` +
        `${listen.host}:${listen.port} (${e instanceof Error ? e.message : String(e)}).`);
    }
  }

  private catchupSource(): CatchupSource {
    const log = this.durable!.log;
    return {
      appliedIndex: () => this.machine.appliedIndex,
      firstIndex: () => log.firstIndex(),
      termAt: (index) => log.termAt(index),
      read: (from, to, bytesMax) => log.read(from, to, bytesMax),
      snapshot: async () => {
        const store = this.machine.store;
        // One synchronous step: the view, its term and the users all describe one index.
        const view = store.openView();
        const term = this.machine.lastAppliedTerm;
        const system = this.system.snapshot();
        const membership = this.loop?.status().membership ?? null;
        try {
          const data = await collectChunks(writeSnapshot(store, view, system));
          return { index: view.version, term, membership, data };
        } finally {
          view.close();
        }
      },
    };
  }

  private chooseFor(input: { avoid: ReadonlySet<string>; choicesBefore: number }):
    UpstreamChoice | null {
    if (this.clusterId === null || this.discovery === null) return null;
    return chooseUpstream({ selfId: this.selfId, clusterId: this.clusterId,
      members: this.discovery.alive(ALIVE_MS), groups: this.settings.groups,
      strategies: this.settings.upstreamStrategies ?? ['default'], avoid: input.avoid,
      choicesBefore: input.choicesBefore, pick: (count) => Math.floor(Math.random() * count) });
  }

  /** The upstream is still in discovery and does not (through others) pull from us. */
  private upstreamUsable(id: string): boolean {
    const members = this.discovery?.alive(ALIVE_MS) ?? [];
    const upstream = members.find((m) => m.memberId === id);
    return upstream !== undefined && !pullsFrom(upstream, this.selfId, members);
  }

  private pullsByCatchup(): boolean {
    return this.settings.mode === 'READ_REPLICA' &&
      !followsLeaderAsLearner(this.settings.upstreamStrategies ?? ['default']);
  }

  /** A replica's upstream now: the member it pulls from over catchup, or the leader. */
  upstream(): string | null {
    if (this.settings.mode !== 'READ_REPLICA') return null;
    return this.catchupClient !== null ? this.catchupClient.upstreamId() : this.soft.leader;
  }

  /** The replicas pulling from this member over catchup now. */
  servedReplicas(): string[] {
    return this.catchupServer?.servedReplicas() ?? [];
  }

  /**
   * Bootstraps on top of this core's store: the initial voters go in the entry after the
   * store's last one, committed, so the store is the cluster's state before its first entry.
   * The others hold the same store (formation.ts) and receive this entry from the leader.
   */
  private async seed(voters: readonly MemberId[]): Promise<void> {
    const durable = this.durable!;
    const store = this.store;
    assert(store !== undefined, 'only a core with a store seeds the cluster from it');
    assert(durable.log.lastIndex() === store.lastIndex, 'the store is what was advertised');
    const index = store.lastIndex + 1;
    const hs = durable.hardState.read();
    const term = Math.max(store.lastTerm, hs.term, 1);
    await durable.log.append([{ index, term, kind: 'config',
      data: encodeConfigChange({ type: 'bootstrap', voters }) }]);
    // An unbound member keeps its vote in the term it cast it: never two votes in one term.
    await durable.hardState.save({ term, vote: term === hs.term ? hs.vote : null, commit: index });
    this.log.info(`Seeding the cluster from this member's store at index ${store.lastIndex}.`);
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
      // A restored or loaded store's snapshot has no membership yet (config null).
      meta: { index: asLogIndex(snap.meta.index), term: asTerm(snap.meta.term),
        membership: (snap.meta.config ?? EMPTY_MEMBERSHIP) as Snapshot['meta']['membership'] },
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
    // An arbiter's log is all it keeps: its graph only advances its applied index.
    if (this.settings.arbiter === true) this.machine.apply({ ...entry, kind: 'noop' });
    else this.machine.apply(entry, this.replicator?.builtFor(entry));
    this.replicator?.applied(entry.index, entry.term);
    this.pull?.applied();
    this.catchupServer?.committed();
    if (!this.readsServed) this.caughtUp();
    this.maybeCompact();
  }

  private maybeCompact(): void {
    // An arbiter's snapshot would hold no graph: were it ever sent to a data core as leader,
    // that core would lose its data. So an arbiter keeps its whole log.
    if (this.settings.arbiter === true) return;
    const every = this.settings.snapshotThresholdEntries;
    const applied = this.machine.appliedIndex;
    if (every === null || applied - this.lastSnapshotIndex < every || !this.loop) return;
    if (this.compacting) return;
    this.lastSnapshotIndex = applied;
    this.compacting = true;
    void this.compact(this.loop).finally(() => {
      this.compacting = false;
    });
  }

  /** Off the apply path: the graph is serialized from a read view while commits go on. */
  private async compact(loop: RaftLoop): Promise<void> {
    const store = this.machine.store;
    const view = store.openView();
    const system = this.system.snapshot();
    try {
      const data = await collectChunks(writeSnapshot(store, view, system));
      await loop.compact(asLogIndex(view.version), data);
      this.log.info(`Snapshot taken at index ${view.version}; log compacted.`);
    } catch (e) {
      this.log.warn(`Snapshot at ${view.version} failed: ${String(e)}`);
    } finally {
      view.close();
    }
  }

  private restoreSnapshotData(data: Uint8Array): void {
    const { store, header } = readSnapshot(data);
    this.machine.replaceStore(store);
    this.system.restore(header.system);
  }

  private installSnapshot(snapshot: Snapshot): void {
    this.log.info(`Installing a snapshot at index ${snapshot.meta.index} from the leader.`);
    this.restoreSnapshotData(snapshot.data);
    this.machine.lastAppliedTerm = snapshot.meta.term;
    this.lastSnapshotIndex = snapshot.meta.index;
  }

  private onSoftState(s: SoftState): void {
    if (s.leader !== this.soft.leader && s.leader !== null) {
      this.log.info(`Leader is now ${s.leader === this.selfId ? 'this member' : s.leader} ` +
        `(role ${s.role}).`);
    }
    if (s.role === 'LEADER' && this.soft.role !== 'LEADER') this.leaderSinceMs = Date.now();
    if (s.role !== 'LEADER') this.leaderSinceMs = null;
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
    if (this.catchupClient !== null) return this.followLeaderInDiscovery();
    if (!this.discovery || !this.transport || !this.loop) return undefined;
    const alive = this.discovery.alive(ALIVE_MS).filter((m) => m.clusterId === this.clusterId);
    for (const m of alive) {
      if (m.memberId === this.selfId) continue;
      // Fed over catchup: no raft traffic goes to it.
      if (m.pullsByCatchup === true) {
        this.transport.removePeer(asMemberId(m.memberId));
        continue;
      }
      const [host, port] = splitAddress(m.raftAddress);
      this.transport.setPeer(asMemberId(m.memberId), { host, port });
    }
    if (this.soft.leader !== null && this.soft.leader !== this.selfId) {
      this.lastLeaderContactMs = Date.now();
    }
    if (this.soft.role !== 'LEADER') return undefined;
    if (this.settings.arbiter === true) {
      handOffLeadership(this.loop, new Set(alive.filter((m) => m.arbiter === true)
        .map((m) => m.memberId)));
      return undefined;
    }
    const membership = this.loop.status().membership;
    const known = (id: string): boolean => membership.voters.includes(asMemberId(id)) ||
      membership.learners.includes(asMemberId(id));
    const newcomer = alive.find((m) => !known(m.memberId) && m.pullsByCatchup !== true);
    if (!newcomer) {
      if (!this.maybeDropCatchupLearner(membership.learners, alive)) {
        this.maybeVoteOutGone(membership.voters);
      }
      return undefined;
    }
    const core = newcomer.mode === 'CORE';
    const r = this.loop.proposeMembershipChange({ type: core ? 'addVoter' : 'addLearner',
      member: asMemberId(newcomer.memberId) });
    if (r.ok) {
      this.log.info(`Adding ${core ? 'core member' : 'read replica'} ${newcomer.memberId} to the cluster.`);
    }
    return undefined;
  }

  /** A learner that now pulls over catchup (restarted with a strategy) leaves raft. */
  private maybeDropCatchupLearner(learners: readonly MemberId[],
    alive: readonly MemberAdvert[]): boolean {
    const gone = alive.find((m) => m.pullsByCatchup === true &&
      learners.includes(asMemberId(m.memberId)));
    if (gone === undefined || !this.loop) return false;
    const r = this.loop.proposeMembershipChange({ type: 'removeMember',
      member: asMemberId(gone.memberId) });
    if (r.ok) this.log.info(`Read replica ${gone.memberId} pulls over catchup now; it is no ` +
      'longer a Raft learner.');
    return true;
  }

  /** A replica fed over catchup knows the leader from discovery, not from raft. */
  private followLeaderInDiscovery(): void {
    const leader = this.discovery?.alive(ALIVE_MS)
      .find((m) => m.clusterId === this.clusterId && m.role === 'LEADER');
    const id = leader === undefined ? null : asMemberId(leader.memberId);
    if (id !== this.soft.leader && id !== null) this.log.info(`Leader is now ${id}.`);
    this.soft = { role: 'FOLLOWER', leader: id };
    if (id !== null) this.lastLeaderContactMs = Date.now();
  }

  /** minimum_core_cluster_size_at_runtime: see runtime-membership.ts. */
  private maybeVoteOutGone(voters: readonly MemberId[]): void {
    const votersMin = this.settings.runtimeCoreCountMin;
    if (votersMin === undefined || this.leaderSinceMs === null || !this.loop) return;
    const gone = goneVoterToRemove({ voters, selfId: this.selfId, nowMs: Date.now(),
      lastHeardMs: (id) => this.discovery?.members.get(id)?.lastHeardMs,
      sinceMs: this.leaderSinceMs, goneMs: VOTER_GONE_MS, votersMin });
    if (gone === null) return;
    const r = this.loop.proposeMembershipChange({ type: 'removeMember', member: asMemberId(gone) });
    if (r.ok) {
      this.log.info(`Removing core member ${gone} from the voting set: not seen for ` +
        `${VOTER_GONE_MS / 1000} s (minimum_core_cluster_size_at_runtime=${votersMin}).`);
    }
  }

  /** Removes a member from the voters (an admin's choice when a member is gone for good). */
  removeMember(id: string): boolean {
    return this.loop?.proposeMembershipChange({ type: 'removeMember', member: asMemberId(id) }).ok ?? false;
  }

  // ---- ClusterView -------------------------------------------------------------------------

  role(): MemberRole {
    if (this.settings.mode === 'READ_REPLICA') return 'READ_REPLICA';
    // An arbiter leads only to hand over (arbiter.ts); it never takes writes.
    if (this.settings.arbiter === true) return 'FOLLOWER';
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
        appliedIndex: m.appliedIndex, committedIndex: m.committedIndex ?? m.appliedIndex,
        servesReads: m.servesReads !== false &&
          (m.memberId === this.selfId || this.discovery?.heardSinceStall(m.memberId) === true),
        arbiter: m.arbiter === true,
        upstream: m.mode !== 'READ_REPLICA' ? null
          : m.pullsByCatchup === true ? m.upstreamId ?? null : this.soft.leader,
      }));
  }

  status(): ClusterStatus {
    const s = this.loop?.status();
    const members = this.members();
    const self = members.find((m) => m.id === this.selfId);
    return {
      lastCommittedRaftIndex: Math.max(s?.hard.commit ?? 0, this.machine.appliedIndex),
      lagBehindLeader: self === undefined ? null : lagBehindLeader(members, self),
      memberId: this.selfId, role: this.role(), leader: this.soft.leader,
      term: s?.hard.term ?? 0, lastAppliedRaftIndex: this.machine.appliedIndex,
      votingMembers: [...(s?.membership.voters ?? [])],
      millisSinceLastLeaderMessage: this.soft.role === 'LEADER' ? 0
        : this.lastLeaderContactMs === null ? null : Date.now() - this.lastLeaderContactMs,
      participatingInRaftGroup: this.loop !== null && this.soft.leader !== null,
      healthy: this.loop !== null || this.catchupClient !== null,
      core: this.settings.mode === 'CORE',
      upstream: this.settings.mode === 'READ_REPLICA' ? this.upstream() : null,
    };
  }

  routingTtlSeconds(): number {
    return this.settings.routingTtlSeconds;
  }

  readsOnLeader(): boolean {
    return this.settings.readsOnLeader;
  }

  servesReads(): boolean {
    return this.caughtUp();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.formationTimer) clearInterval(this.formationTimer);
    if (this.membershipTimer) clearInterval(this.membershipTimer);
    this.pull?.stop();
    await this.catchupClient?.stop();
    await this.catchupServer?.close();
    await this.replicator?.close();
    await this.loop?.stop();
    await this.transport?.close();
    await this.discovery?.stop();
    await this.durable?.log.close();
  }
}

async function readStoreIdFile(dataDir: string): Promise<string | null> {
  const text = await readFile(join(dataDir, 'store-id'), 'utf8').then((t) => t.trim(), () => '');
  return text.length > 0 ? text : null;
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
