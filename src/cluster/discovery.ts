/**
 * Discovery (default port 5000): every member periodically tells each member it knows of who it
 * is and gets back that member's view of the cluster, so a member learns the others' addresses,
 * cluster binding and roles from the initial list alone. A request is one frame of JSON and the
 * answer is one frame; connections are short-lived. Members heard from recently are "alive".
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
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
}

export interface KnownMember {
  advert: MemberAdvert;
  /** When this member last answered us or contacted us itself (ms, local clock). */
  lastHeardMs: number;
}

export interface DiscoveryOptions {
  readonly listenHost: string;
  readonly listenPort: number;
  readonly seeds: readonly string[];
  readonly self: () => MemberAdvert;
  readonly intervalMs: number;
  readonly nowMs: () => number;
  readonly log: (line: string) => void;
}

const FRAME_BYTES_MAX = 1024 * 1024;
const KNOWN_MEMBERS_MAX = 1000;
const REQUEST_TIMEOUT_MS = 2000;

export class Discovery {
  readonly members = new Map<string, KnownMember>();
  private server: Server | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly refusals = new Set<string>();

  constructor(private readonly options: DiscoveryOptions) {}

  async start(): Promise<number> {
    const server = createServer((socket) => this.serve(socket));
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
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
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
      this.members.set(advert.memberId, { advert, lastHeardMs: heard ? this.options.nowMs() : 0 });
    }
  }

  /** One round: contact every seed and every member learned so far. */
  private round(): void {
    const targets = new Set(this.options.seeds);
    for (const m of this.members.values()) targets.add(m.advert.discoveryAddress);
    targets.delete(this.options.self().discoveryAddress);
    for (const target of targets) this.ask(target);
  }

  private ask(target: string): void {
    const [host, port] = splitAddress(target);
    const socket = connect({ host, port });
    socket.setTimeout(REQUEST_TIMEOUT_MS, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('connect', () => socket.write(encodeFrame(encodeJson({ hello: this.options.self() }))));
    this.readOne(socket, (reply) => {
      const view = (reply as { view?: MemberAdvert[] }).view;
      if (!Array.isArray(view)) return;
      const [first, ...rest] = view;
      if (first) this.learn(first, true);
      for (const m of rest) this.learn(m, false);
    });
  }

  private serve(socket: Socket): void {
    socket.setTimeout(REQUEST_TIMEOUT_MS, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    this.readOne(socket, (request) => {
      const hello = (request as { hello?: MemberAdvert }).hello;
      if (!isAdvert(hello)) return this.refuse(socket, 'not a discovery request');
      this.learn(hello, true);
      const view = [this.options.self(), ...[...this.members.values()].map((m) => m.advert)];
      socket.end(encodeFrame(encodeJson({ view })));
    });
  }

  private refuse(socket: Socket, why: string): void {
    const peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    if (!this.refusals.has(peer)) this.options.log(`Discovery refused ${peer}: ${why}`);
    if (this.refusals.size < 100) this.refusals.add(peer);
    socket.destroy();
  }

  private readOne(socket: Socket, handle: (message: unknown) => void): void {
    const decoder = new FrameDecoder(FRAME_BYTES_MAX);
    socket.on('data', (chunk: Buffer) => {
      const out = decoder.push(chunk);
      if ('error' in out) return this.refuse(socket, 'bad frame');
      const payload = out.payloads[0];
      if (!payload) return undefined;
      try {
        handle(JSON.parse(Buffer.from(payload).toString('utf8')));
      } catch {
        this.refuse(socket, 'not JSON');
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
