/**
 * The pulling half of catchup, for a read replica whose upstream strategy names members other
 * than the leader: it keeps one connection to the upstream its strategy chose, pulls the
 * committed entries after its own last one every pull interval (or when the upstream wakes
 * it), installs a snapshot when the upstream sends one, and chooses again when the upstream
 * dies, stalls, leaves discovery, or starts to pull from this replica. See decision 0026.
 */
import { connect, type Socket } from 'node:net';
import { assert } from '../assert.js';
import type { MemberChannel } from '../security/member-channel.js';
import { dialGate } from '../security/member-gate.js';
import {
  CATCHUP_FRAME_BYTES_MAX, CATCHUP_SNAPSHOT_BYTES_MAX, decodeCatchup, encodeCatchup,
  type CatchupEntry, type CatchupReply, type CatchupRequest,
} from './catchup-protocol.js';
import { splitAddress } from './discovery.js';
import { describeFrameError, encodeFrame, FrameDecoder } from './frame-codec.js';
import type { TimerHandle, Timers } from './timers.js';
import type { UpstreamChoice } from './upstream-choice.js';

/** Where pulled entries go: the replica's own log and graph (catchup-replica.ts). */
export interface ReplicaStore {
  lastIndex(): number;
  lastTerm(): number;
  /** Persist, then apply, committed entries that follow lastIndex(); or why they do not. */
  append(entries: readonly CatchupEntry[]): Promise<string | null>;
  /** Replace log and graph by a snapshot at `index`. */
  install(snapshot: { index: number; term: number; membership: unknown; data: Uint8Array }):
    Promise<void>;
}

export interface CatchupClientOptions {
  readonly selfId: string;
  readonly clusterId: string;
  /** causal_clustering.pull_interval; 0 streams (the upstream wakes it on every commit). */
  readonly pullIntervalMs: number;
  /** The strategy's choice among the members alive now, avoiding those given. */
  readonly choose: (input: { avoid: ReadonlySet<string>; choicesBefore: number }) =>
    UpstreamChoice | null;
  /** Whether the upstream is still alive in discovery and does not pull from us. */
  readonly stillUsable: (memberId: string) => boolean;
  readonly store: ReplicaStore;
  readonly timers: Timers;
  readonly nowMs: () => number;
  readonly log: { info(line: string): void; warn(line: string): void };
  /** The fatal path: the replica's own storage failed. */
  readonly onFatal: (error: unknown) => void;
  readonly channel?: MemberChannel;
  readonly secret?: string | null;
}

/** How often the choice is checked (upstream gone, cycle, a fallback that can improve). */
const TEND_MS = 1000;
/** A fallback choice is reconsidered this long after it was made. */
export const FALLBACK_RECHOOSE_MS = 3000;
/** An upstream that failed is avoided for this long, while others exist. */
const AVOID_MS = 10_000;
/** An upstream that does not answer a pull within this long is given up. */
const REPLY_TIMEOUT_MS = 15_000;
/** A streaming replica still pulls this often, in case a wake was lost. */
const STREAMING_PULL_MS = 1000;
const RECONNECT_MS = 200;

interface Connection {
  readonly socket: Socket;
  readonly choice: UpstreamChoice;
  readonly chosenAtMs: number;
  open: boolean;
  /** A pull is out and not yet answered. */
  inFlight: boolean;
  /** A wake or an interval came while a pull was out: pull again when it is answered. */
  again: boolean;
  snapshotParts: Uint8Array[];
  snapshotBytes: number;
}

export class CatchupClient {
  private connection: Connection | null = null;
  private readonly avoided = new Map<string, number>();
  private pullTimer: TimerHandle | null = null;
  private tendTimer: TimerHandle | null = null;
  private replyTimer: TimerHandle | null = null;
  private reconnectTimer: TimerHandle | null = null;
  /** Replies are handled one after another: the store sees entries in order. */
  private chain: Promise<void> = Promise.resolve();
  private upstreamAppliedMax = 0;
  private stopped = false;
  private noUpstreamLogged = false;
  private choices = 0;

  constructor(private readonly options: CatchupClientOptions) {
    assert(options.pullIntervalMs >= 0, 'a pull interval is never negative');
  }

  start(): void {
    this.connect();
    this.schedulePull();
    this.scheduleTend();
  }

  /** The member this replica pulls from now; null while it has none. */
  upstreamId(): string | null {
    return this.connection?.open === true ? this.connection.choice.member.memberId : null;
  }

  /** The highest applied index an upstream reported; 0 before the first answer. */
  upstreamApplied(): number {
    return this.upstreamAppliedMax;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of [this.pullTimer, this.tendTimer, this.replyTimer, this.reconnectTimer]) {
      t?.cancel();
    }
    this.connection?.socket.destroy();
    this.connection = null;
    await this.chain.catch(() => undefined);
  }

  private connect(): void {
    if (this.stopped || this.connection !== null) return;
    const now = this.options.nowMs();
    for (const [id, until] of this.avoided) if (until <= now) this.avoided.delete(id);
    const choice = this.options.choose({ avoid: new Set(this.avoided.keys()),
      choicesBefore: this.choices });
    if (choice === null || choice.member.catchupAddress === undefined) {
      if (!this.noUpstreamLogged) this.options.log.warn('No upstream to pull from yet.');
      this.noUpstreamLogged = true;
      this.reconnectLater();
      return;
    }
    this.noUpstreamLogged = false;
    this.choices += 1;
    const [host, port] = splitAddress(choice.member.catchupAddress);
    const channel = this.options.channel;
    const socket = channel ? channel.connect('catchup', { host, port }) : connect({ host, port });
    const c: Connection = { socket, choice, chosenAtMs: now, open: false, inFlight: false,
      again: false, snapshotParts: [], snapshotBytes: 0 };
    this.connection = c;
    socket.setNoDelay(true);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.lost(c, 'the connection closed'));
    const begin = (): void => this.opened(c);
    const secret = this.options.secret ?? null;
    if (secret === null) {
      socket.on('connect', begin);
      return;
    }
    socket.on('connect', () => void dialGate(socket, { secret, service: 'catchup',
      name: this.options.selfId }).then((problem) => {
      if (problem === null) begin();
      else this.drop(c, `refused: ${problem.why}`);
    }));
  }

  private opened(c: Connection): void {
    if (this.connection !== c) return;
    c.open = true;
    const m = c.choice.member;
    const kind = m.mode === 'CORE' ? 'core member' : 'read replica';
    const why = c.choice.how === 'fallback' ? ', a core because the strategies chose none'
      : ` by ${c.choice.strategy}`;
    this.options.log.info(`Pulling committed transactions from ${kind} ${m.memberId} at ` +
      `${m.catchupAddress ?? '?'}${why}.`);
    const decoder = new FrameDecoder(CATCHUP_FRAME_BYTES_MAX);
    c.socket.on('data', (chunk: Buffer) => {
      const out = decoder.push(chunk);
      if ('error' in out) return this.drop(c, describeFrameError(out.error));
      for (const payload of out.payloads) {
        const reply = decodeCatchup(payload);
        if (typeof reply === 'string') return this.drop(c, reply);
        this.onReply(c, reply as CatchupReply);
      }
      return undefined;
    });
    this.send(c, { kind: 'hello', clusterId: this.options.clusterId,
      memberId: this.options.selfId, streaming: this.options.pullIntervalMs === 0 });
    this.pull();
  }

  /** Pull now, or as soon as the pull that is out has been answered. */
  private pull(): void {
    const c = this.connection;
    if (c === null || !c.open) return;
    if (c.inFlight) {
      c.again = true;
      return;
    }
    c.inFlight = true;
    c.again = false;
    // Entries still being stored count: the position is read once the chain has caught up.
    this.chain = this.chain.then(() => {
      if (this.connection !== c) return;
      this.send(c, { kind: 'pull', after: this.options.store.lastIndex(),
        afterTerm: this.options.store.lastTerm() });
      this.armReplyTimer(c);
    });
  }

  private onReply(c: Connection, reply: CatchupReply): void {
    switch (reply.kind) {
      case 'wake':
        this.pull();
        return;
      case 'error':
        this.drop(c, reply.message);
        return;
      case 'entries':
        this.replyTimer?.cancel();
        this.upstreamAppliedMax = Math.max(this.upstreamAppliedMax, reply.upstreamApplied);
        this.store(c, () => this.options.store.append(reply.entries), reply.entries.length > 0 &&
          (reply.entries[reply.entries.length - 1]?.index ?? 0) < reply.upstreamApplied);
        return;
      case 'snapshot':
        this.onSnapshotChunk(c, reply);
        return;
    }
  }

  private onSnapshotChunk(c: Connection, reply: CatchupReply & { kind: 'snapshot' }): void {
    this.armReplyTimer(c);
    c.snapshotBytes += reply.chunk.length;
    if (reply.totalBytes > CATCHUP_SNAPSHOT_BYTES_MAX || c.snapshotBytes > reply.totalBytes) {
      return this.drop(c, `a snapshot of ${reply.totalBytes} bytes is more than allowed`);
    }
    c.snapshotParts.push(reply.chunk);
    if (!reply.last) return undefined;
    const data = Buffer.concat(c.snapshotParts);
    c.snapshotParts = [];
    c.snapshotBytes = 0;
    this.replyTimer?.cancel();
    this.upstreamAppliedMax = Math.max(this.upstreamAppliedMax, reply.index);
    this.options.log.info(`Installing a snapshot at index ${reply.index} from ` +
      `${c.choice.member.memberId}.`);
    this.store(c, async () => {
      await this.options.store.install({ index: reply.index, term: reply.term,
        membership: reply.membership, data });
      return null;
    }, true);
    return undefined;
  }

  /** Stores what a reply brought, in order; then pulls again when more is waiting. */
  private store(c: Connection, work: () => Promise<string | null>, more: boolean): void {
    this.chain = this.chain.then(work).then((problem) => {
      c.inFlight = false;
      if (problem !== null) this.drop(c, problem);
      else if (more || c.again) this.pull();
    }, (error: unknown) => {
      this.options.onFatal(error);
      void this.stop();
    });
  }

  private armReplyTimer(c: Connection): void {
    this.replyTimer?.cancel();
    this.replyTimer = this.options.timers.after(REPLY_TIMEOUT_MS,
      () => this.drop(c, `no answer within ${REPLY_TIMEOUT_MS} ms`));
  }

  private send(c: Connection, request: CatchupRequest): void {
    if (!c.socket.destroyed) c.socket.write(encodeFrame(encodeCatchup(request)));
  }

  /** Gives up this upstream: it is avoided for a while and another is chosen. */
  private drop(c: Connection, why: string): void {
    this.avoided.set(c.choice.member.memberId, this.options.nowMs() + AVOID_MS);
    c.socket.destroy();
    this.lost(c, why);
  }

  private lost(c: Connection, why: string): void {
    if (this.connection !== c) return;
    this.connection = null;
    this.replyTimer?.cancel();
    if (this.stopped) return;
    this.avoided.set(c.choice.member.memberId, this.options.nowMs() + AVOID_MS);
    this.options.log.warn(`Stopped pulling from ${c.choice.member.memberId}: ${why}; ` +
      'choosing another upstream.');
    this.reconnectLater();
  }

  private reconnectLater(): void {
    this.reconnectTimer?.cancel();
    this.reconnectTimer = this.options.timers.after(RECONNECT_MS, () => this.connect());
  }

  private schedulePull(): void {
    const every = this.options.pullIntervalMs > 0 ? this.options.pullIntervalMs : STREAMING_PULL_MS;
    this.pullTimer = this.options.timers.after(every, () => {
      if (this.stopped) return;
      this.pull();
      this.schedulePull();
    });
  }

  /** Changes upstream when the current one left, pulls from us, or was only a fallback. */
  private scheduleTend(): void {
    this.tendTimer = this.options.timers.after(TEND_MS, () => {
      if (this.stopped) return;
      this.tend();
      this.scheduleTend();
    });
  }

  private tend(): void {
    const c = this.connection;
    if (c === null || !c.open || c.inFlight) return;
    const id = c.choice.member.memberId;
    if (!this.options.stillUsable(id)) {
      this.drop(c, 'it left discovery, or now pulls from this replica');
      return;
    }
    if (c.choice.how !== 'fallback') return;
    if (this.options.nowMs() - c.chosenAtMs < FALLBACK_RECHOOSE_MS) return;
    const better = this.options.choose({ avoid: new Set(), choicesBefore: this.choices });
    if (better === null || better.how === 'fallback') return;
    this.options.log.info(`Leaving fallback upstream ${id}: ${better.strategy} found ` +
      `${better.member.memberId}.`);
    c.socket.destroy();
    this.connection = null;
    this.connect();
  }
}
