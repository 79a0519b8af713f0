/**
 * Discovery (default port 5000): every member periodically tells each member it knows of who it
 * is and gets back that member's view of the cluster, so a member learns the others' addresses,
 * cluster binding and roles from the initial list alone. A request is one frame of JSON and the
 * answer is one frame. A member keeps one connection to each address it asks and sends every
 * round's request on it: a connection (and a DNS lookup) per address per round was 1-2% of a
 * busy member's CPU. Members heard from recently are "alive".
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { peerOf, type MemberChannel } from '../security/member-channel.js';
import { acceptGate, dialGate } from '../security/member-gate.js';
import { encodeFrame, FrameDecoder } from './frame-codec.js';

export interface MemberAdvert {
  readonly memberId: string;
  readonly clusterId: string | null;
  readonly mode: 'CORE' | 'READ_REPLICA';
  readonly discoveryAddress: string;
  readonly raftAddress: string;
  readonly boltAddress: string;
  readonly httpAddress: string;
  readonly groups: readonly string[];
  /** The member's own view of its role, and the leader it follows. */
  readonly role: string;
  readonly leaderId: string | null;
  readonly term: number;
  readonly appliedIndex: number;
  /** The member's commit index (absent from members of older versions). */
  readonly committedIndex?: number;
  /** A voting member without a graph (dbms.mode=ARBITER): never a reader or router. */
  readonly arbiter?: boolean;
  /** Whether its graph has caught up since it started (absent from older versions: true). */
  readonly servesReads?: boolean;
  /**
   * An unbound core's store (absent: empty, or a member of an older version): cores form a
   * cluster only with cores whose stores are equal, so a seeded cluster starts from one state.
   */
  readonly store?: StoreFingerprint;
  /** Where it serves committed entries to read replicas (the transaction port, 6000). */
  readonly catchupAddress?: string;
  /** A read replica: the member it takes its entries from; null while it has none. */
  readonly upstreamId?: string | null;
  /** A read replica fed over catchup, not by the leader: never made a Raft learner. */
  readonly pullsByCatchup?: boolean;
}

/** Identifies a store's content: cores restored from one backup have equal fingerprints. */
export interface StoreFingerprint {
  /** The `store-id` file that restore, load and import write; null when there is none. */
  readonly storeId: string | null;
  readonly lastIndex: number;
  readonly lastTerm: number;
  /** CRC-32C over the snapshot's bytes and then every log entry's bytes after it. */
  readonly checksum: number;
}

export interface KnownMember {
  advert: MemberAdvert;
  /** When this member last answered us or contacted us itself (ms, local clock). */
  lastHeardMs: number;
  /** Heard before this process was held up (paused, starved): it may have restarted since. */
  heardBeforeStall: boolean;
}

/**
 * Rounds further apart than this mean this process was paused or starved, so what it last heard
 * of others may predate their restart (a restarted member's graph is stale until it catches up).
 */
const STALL_MS = 1500;

export interface DiscoveryOptions {
  readonly listenHost: string;
  readonly listenPort: number;
  readonly seeds: readonly string[];
  readonly self: () => MemberAdvert;
  readonly intervalMs: number;
  readonly nowMs: () => number;
  readonly log: (line: string) => void;
  /** Mutual TLS under the cluster SSL policy, and refusals to the security log; absent: TCP. */
  readonly channel?: MemberChannel;
  /** dbms.cluster.secret: both ends prove it (member-gate.ts) before a request is read. */
  readonly secret?: string | null;
}

const FRAME_BYTES_MAX = 1024 * 1024;
const KNOWN_MEMBERS_MAX = 1000;
const REQUEST_TIMEOUT_MS = 2000;
/**
 * Requests a kept connection may have unanswered before it is dropped and dialled again. A
 * request is sent every round even while one is unanswered, so a lost frame (the chaos proxy
 * drops some) costs one round, as it did with a connection per round.
 */
const UNANSWERED_MAX = 8;

/** A kept connection to one discovery address. */
interface Link {
  readonly socket: Socket;
  /** Connected (and past the secret gate): requests may be written. */
  open: boolean;
  /** Requests sent since the last answer. */
  unanswered: number;
}

export class Discovery {
  readonly members = new Map<string, KnownMember>();
  private dials = 0;
  private server: Server | null = null;
  /** At most one per address asked: seeds and learned members, so KNOWN_MEMBERS_MAX bounds it. */
  private readonly links = new Map<string, Link>();
  /** Connections from others, closed on stop so the server can close. */
  private readonly accepted = new Set<Socket>();
  private timer: NodeJS.Timeout | null = null;
  private readonly refusals = new Set<string>();
  private lastRoundMs = 0;

  constructor(private readonly options: DiscoveryOptions) {}

  async start(): Promise<number> {
    const channel = this.options.channel;
    const server = channel ? channel.createServer('discovery', (socket) => this.serve(socket))
      : createServer((socket) => this.serve(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.listenPort, this.options.listenHost, () => resolve());
    });
    this.timer = setInterval(() => this.round(), this.options.intervalMs);
    this.round();
    const address = server.address();
    return typeof address === 'object' && address ? address.port : this.options.listenPort;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const link of this.links.values()) link.socket.destroy();
    this.links.clear();
    for (const socket of this.accepted) socket.destroy();
    this.accepted.clear();
    const server = this.server;
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  /** Connections this member has opened so far: rounds reuse them, so this stays small. */
  get dialsTotal(): number {
    return this.dials;
  }

  /**
   * Whether `memberId`'s advert can be trusted as current: heard since this process last ran
   * its rounds on time. Until then a router does not offer that member for reads.
   */
  heardSinceStall(memberId: string): boolean {
    if (this.options.nowMs() - this.lastRoundMs > STALL_MS) return false;
    return this.members.get(memberId)?.heardBeforeStall === false;
  }

  /** Members heard from within `freshMs`, this member included. */
  alive(freshMs: number): MemberAdvert[] {
    const now = this.options.nowMs();
    const self = this.options.self();
    const others = [...this.members.values()]
      .filter((m) => m.advert.memberId !== self.memberId && now - m.lastHeardMs <= freshMs)
      .map((m) => m.advert);
    return [self, ...others].sort((a, b) => (a.memberId < b.memberId ? -1 : 1));
  }

  private learn(advert: MemberAdvert, heard: boolean): void {
    if (advert.memberId === this.options.self().memberId) return;
    const known = this.members.get(advert.memberId);
    if (!known && this.members.size >= KNOWN_MEMBERS_MAX) return;
    if (heard || !known) {
      this.members.set(advert.memberId,
        { advert, lastHeardMs: heard ? this.options.nowMs() : 0, heardBeforeStall: !heard });
    }
  }

  /** One round: contact every seed and every member learned so far. */
  private round(): void {
    const now = this.options.nowMs();
    if (now - this.lastRoundMs > STALL_MS) {
      for (const m of this.members.values()) m.heardBeforeStall = true;
    }
    this.lastRoundMs = now;
    const targets = new Set(this.options.seeds);
    for (const m of this.members.values()) targets.add(m.advert.discoveryAddress);
    targets.delete(this.options.self().discoveryAddress);
    for (const [target, link] of this.links) {
      if (!targets.has(target)) link.socket.destroy();
    }
    for (const target of targets) this.ask(target);
  }

  /** Sends this round's request on the kept connection, dialling one when there is none. */
  private ask(target: string): void {
    const link = this.links.get(target) ?? this.dial(target);
    if (!link.open) return;
    if (link.unanswered >= UNANSWERED_MAX) {
      link.socket.destroy();
      return;
    }
    link.unanswered += 1;
    link.socket.write(encodeFrame(encodeJson({ hello: this.options.self() })));
  }

  private dial(target: string): Link {
    const [host, port] = splitAddress(target);
    const channel = this.options.channel;
    const socket = channel ? channel.connect('discovery', { host, port }) : connect({ host, port });
    const link: Link = { socket, open: false, unanswered: 0 };
    this.links.set(target, link);
    this.dials += 1;
    socket.setTimeout(this.idleTimeoutMs(), () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      if (this.links.get(target) === link) this.links.delete(target);
    });
    this.readFrames(socket, (reply) => {
      link.unanswered = 0;
      this.onReply(reply);
    });
    const opened = (): void => {
      if (this.links.get(target) !== link) return; // stopped, or dropped meanwhile
      link.open = true;
      this.ask(target);
    };
    const secret = this.options.secret ?? null;
    if (secret === null) {
      socket.on('connect', opened);
      return link;
    }
    void dialGate(socket, { secret, service: 'discovery', name: this.options.self().memberId })
      .then((problem) => {
        if (problem === null) opened();
        else if (problem.refused) this.refuse(socket, problem.why, target);
        else socket.destroy(); // down or slow, not a refusal
      });
    return link;
  }

  /**
   * A kept connection carries a request every round, so silence this long means this process
   * or the connection is stuck (a dial that never completes, a client that stopped asking):
   * the connection is dropped, and the asker dials again at its next round.
   */
  private idleTimeoutMs(): number {
    return REQUEST_TIMEOUT_MS + 2 * this.options.intervalMs;
  }

  private onReply(reply: unknown): void {
    const view = (reply as { view?: MemberAdvert[] }).view;
    if (!Array.isArray(view)) return;
    const [first, ...rest] = view;
    if (first) this.learn(first, true);
    for (const m of rest) this.learn(m, false);
  }

  private serve(socket: Socket): void {
    this.accepted.add(socket);
    socket.on('close', () => this.accepted.delete(socket));
    socket.setTimeout(this.idleTimeoutMs(), () => socket.destroy());
    socket.on('error', () => socket.destroy());
    const secret = this.options.secret ?? null;
    if (secret === null) {
      this.answer(socket);
      return;
    }
    void acceptGate(socket, { secret, service: 'discovery' }).then((problem) => {
      if (problem === null) this.answer(socket);
      else if (problem.refused) this.refuse(socket, problem.why);
      else socket.destroy();
    });
  }

  /** Answers every request the connection carries; the asker keeps it open between rounds. */
  private answer(socket: Socket): void {
    this.readFrames(socket, (request) => {
      const hello = (request as { hello?: MemberAdvert }).hello;
      if (!isAdvert(hello)) return this.refuse(socket, 'not a discovery request');
      this.learn(hello, true);
      const view = [this.options.self(), ...[...this.members.values()].map((m) => m.advert)];
      socket.write(encodeFrame(encodeJson({ view })));
      return undefined;
    });
  }

  private refuse(socket: Socket, why: string, target?: string): void {
    const peer = target ?? peerOf(socket);
    if (!this.refusals.has(peer)) this.options.log(`Discovery refused ${peer}: ${why}`);
    if (this.refusals.size < 100) this.refusals.add(peer);
    this.options.channel?.refused('discovery', peer, why);
    socket.destroy();
  }

  private readFrames(socket: Socket, handle: (message: unknown) => void): void {
    const decoder = new FrameDecoder(FRAME_BYTES_MAX);
    socket.on('data', (chunk: Buffer) => {
      const out = decoder.push(chunk);
      if ('error' in out) return this.refuse(socket, 'bad frame');
      for (const payload of out.payloads) {
        if (socket.destroyed) return undefined;
        try {
          handle(JSON.parse(Buffer.from(payload).toString('utf8')));
        } catch {
          // Not JSON, or JSON of another shape than a discovery message.
          return this.refuse(socket, 'not a discovery message');
        }
      }
      return undefined;
    });
  }
}

function encodeJson(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

function isAdvert(v: unknown): v is MemberAdvert {
  if (typeof v !== 'object' || v === null) return false;
  const a = v as Record<string, unknown>;
  return typeof a.memberId === 'string' && typeof a.discoveryAddress === 'string' &&
    typeof a.raftAddress === 'string' && typeof a.boltAddress === 'string' &&
    (a.mode === 'CORE' || a.mode === 'READ_REPLICA');
}

export function splitAddress(address: string): [string, number] {
  const at = address.lastIndexOf(':');
  return [address.slice(0, at).replace(/^\[|\]$/g, ''), Number(address.slice(at + 1))];
}
