/**
 * One simulated member: the real RaftNode, its SimDisk, and a tiny application (the list of
 * applied payloads) that snapshots itself. It runs the loop of src/raft/ready.ts: persist,
 * sync, send, apply, advance; a crash may strike between persisting and syncing.
 */
import { RaftNode } from '../../src/raft/raft-node.js';
import type { RaftConfigInput } from '../../src/raft/config.js';
import type { Ready } from '../../src/raft/ready.js';
import type { Entry, MemberId, ReadState } from '../../src/raft/types.js';
import type { Prng } from './prng.js';
import type { SimChecker } from './sim-checker.js';
import { SimDisk } from './sim-disk.js';
import type { SimNetwork } from './sim-network.js';

/**
 * Chance that a Ready needing a sync stays in flight past this processing round, as a slow
 * fsync does in cluster/raft-loop.ts (messages and proposals keep arriving meanwhile), and
 * chance per later round that it completes.
 */
const SLOW_READY_PROBABILITY = 0.3;
const SLOW_READY_DONE_PROBABILITY = 0.5;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface MemberOptions {
  readonly config: Omit<RaftConfigInput, 'id' | 'rng'>;
  /** Chance that a crash strikes after a Ready is written and before it is synced. */
  readonly crashBeforeSyncProbability: number;
  /** A member compacts its log once this many applied entries follow its snapshot. */
  readonly compactAfterEntries: number;
}

export class SimMember {
  node: RaftNode | null;
  readonly disk = new SimDisk();
  /** The application: payloads of applied normal entries, in order. */
  appliedData: string[] = [];
  readStates: ReadState[] = [];
  restarts = 0;
  /** A Ready handed out whose write has not completed yet. */
  private slowReady: Ready | null = null;
  /** Zero once the liveness phase starts: from then on nothing fails. */
  crashBeforeSyncProbability: number;

  constructor(
    readonly id: MemberId,
    private readonly options: MemberOptions,
    private readonly prng: Prng,
    create: (config: RaftConfigInput) => RaftNode,
  ) {
    this.node = create(this.raftConfig());
    this.crashBeforeSyncProbability = options.crashBeforeSyncProbability;
    // Bootstrapping is done before a member serves: its first state is durable at once.
    const ready = this.node.ready();
    this.disk.write(ready);
    this.disk.sync();
    this.node.advance(ready);
  }

  private raftConfig(): RaftConfigInput {
    return { ...this.options.config, id: this.id, rng: this.prng.fork().rng };
  }

  crash(): void {
    this.node = null;
    this.slowReady = null;
    this.disk.crash();
    this.appliedData = [];
    this.readStates = [];
  }

  restart(): void {
    const durable = this.disk.durable;
    this.node = RaftNode.restart({
      config: this.raftConfig(),
      hardState: durable.hardState,
      ...(durable.snapshot === undefined ? {} : { snapshot: durable.snapshot }),
      entries: durable.entries,
    });
    this.appliedData = durable.snapshot === undefined ? [] : decodeState(durable.snapshot.data);
    this.restarts += 1;
  }

  /** Run Ready cycles until the node has nothing more; false if it crashed meanwhile. */
  processReady(network: SimNetwork, checker: SimChecker, now: number): boolean {
    for (let cycle = 0; cycle < 100_000; cycle += 1) {
      const node = this.node;
      if (node === null) return false;
      // As cluster/raft-loop.ts does: these leave before anything below is persisted.
      for (const message of node.takeUrgentMessages()) network.send(message, now);
      const slow = this.slowReady;
      if (slow !== null) {
        // The write is still on its way to the disk: the node takes inputs meanwhile.
        if (!this.prng.chance(SLOW_READY_DONE_PROBABILITY)) return true;
        this.slowReady = null;
        if (!this.finishReady(node, slow, network, checker, now)) return false;
        continue;
      }
      if (!node.hasReady()) return true;
      const ready = node.ready();
      if (ready.mustSync && this.prng.chance(SLOW_READY_PROBABILITY)) {
        this.slowReady = ready;
        continue;
      }
      if (!this.finishReady(node, ready, network, checker, now)) return false;
    }
    throw new Error(`${this.id} still has work after 100000 Ready cycles`);
  }

  /** Persist, sync, send, apply, advance; false if a crash struck before the sync. */
  private finishReady(node: RaftNode, ready: Ready, network: SimNetwork, checker: SimChecker,
    now: number): boolean {
    this.disk.write(ready);
    if (this.prng.chance(this.crashBeforeSyncProbability)) {
      this.crash();
      return false;
    }
    if (ready.mustSync || this.prng.chance(0.5)) this.disk.sync();
    checker.onPersisted(this.id, ready.entries);
    for (const message of ready.messages) network.send(message, now);
    if (ready.snapshot !== undefined) this.appliedData = decodeState(ready.snapshot.data);
    for (const entry of ready.committed) this.apply(entry, checker);
    this.readStates.push(...ready.readStates);
    node.advance(ready);
    checker.onCommitted(this.id, node);
    this.maybeCompact(node);
    return true;
  }

  private apply(entry: Entry, checker: SimChecker): void {
    checker.onApplied(this.id, entry);
    if (entry.kind === 'normal') this.appliedData.push(decoder.decode(entry.data));
  }

  private maybeCompact(node: RaftNode): void {
    const status = node.status();
    if (status.applied - status.firstIndex < this.options.compactAfterEntries) return;
    const snapshot = node.compact({
      index: status.applied,
      snapshotData: encoder.encode(JSON.stringify(this.appliedData)),
    });
    this.disk.writeSnapshot(snapshot);
  }
}

function decodeState(data: Uint8Array): string[] {
  if (data.length === 0) return [];
  const parsed: unknown = JSON.parse(decoder.decode(data));
  if (!Array.isArray(parsed)) throw new Error('snapshot state must be a list');
  return parsed.map(String);
}
