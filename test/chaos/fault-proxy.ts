/**
 * A fault-injecting TCP proxy in front of one member's raft or discovery port. Members
 * advertise the proxy's port, so every connection a peer opens to this member passes through
 * it. The proxy learns who is calling from the first frame (the raft handshake or discovery
 * hello names the caller's member id) and then, as LinkFaults says:
 * - forwards whole frames both ways, after a delay and with random frame loss when links are
 *   slow (frames, never bytes, so the member always sees a well-framed stream);
 * - black-holes a connection across a partition: it stays open and everything sent on it
 *   vanishes, as on a real network where packets are dropped; when the partition heals the
 *   connection is closed, so the caller reconnects on a clean stream.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { announcedMemberId, FrameSplitter } from './frame-splitter.js';
import type { LinkFaults } from './link-faults.js';

/** Above the members' own 64 MiB frame limit (a snapshot travels in one frame). */
const FRAME_BYTES_MAX = 80 * 1024 * 1024;
/** Per direction; a connection whose delayed frames exceed it is closed. */
const QUEUED_BYTES_MAX = 128 * 1024 * 1024;
const CONNECTIONS_MAX = 512;

export interface FaultProxyOptions {
  /** The member behind the proxy. */
  readonly destination: string;
  readonly listenPort: number;
  readonly targetPort: number;
  readonly links: LinkFaults;
  /** The member name for a member id, or null if unknown (never cut off). */
  readonly memberName: (memberId: string) => string | null;
}

/** What a proxy did with the frames it saw, for tests and the run's report. */
export interface ProxyStats {
  forwarded: number;
  /** Dropped by the loss rate of slow links. */
  lost: number;
  /** Sent into a partition. */
  blackHoled: number;
}

/** Frames in flight one way, released in order once their delay has passed. */
class DelayLine {
  private readonly queue: { frame: Buffer; releaseAtMs: number }[] = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private framesSeen = 0;

  constructor(private readonly sink: Socket, private readonly links: LinkFaults,
    private readonly stats: ProxyStats, private readonly onOverflow: () => void) {}

  push(frame: Buffer): void {
    this.framesSeen += 1;
    // A connection's first frame is its handshake; losing it only delays reconnection.
    if (this.framesSeen > 1 && this.links.drawLoss()) {
      this.stats.lost += 1;
      return;
    }
    const delayMs = this.links.drawDelayMs();
    if (delayMs === 0 && this.queue.length === 0) {
      this.stats.forwarded += 1;
      this.sink.write(frame);
      return;
    }
    const last = this.queue[this.queue.length - 1]?.releaseAtMs ?? 0;
    this.queue.push({ frame, releaseAtMs: Math.max(last, Date.now() + delayMs) });
    this.queuedBytes += frame.length;
    if (this.queuedBytes > QUEUED_BYTES_MAX) this.onOverflow();
    else this.schedule();
  }

  clear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
    this.queuedBytes = 0;
  }

  private schedule(): void {
    const first = this.queue[0];
    if (this.timer !== null || first === undefined) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.release();
    }, Math.max(0, first.releaseAtMs - Date.now()));
  }

  private release(): void {
    const nowMs = Date.now();
    while (this.queue.length > 0 && this.queue[0]!.releaseAtMs <= nowMs) {
      const { frame } = this.queue.shift()!;
      this.queuedBytes -= frame.length;
      this.stats.forwarded += 1;
      if (!this.sink.destroyed) this.sink.write(frame);
    }
    this.schedule();
  }
}

type ConnectionState = 'identifying' | 'open' | 'black-holed' | 'closed';

class ProxiedConnection {
  state: ConnectionState = 'identifying';
  source: string | null = null;
  private upstream: Socket | null = null;
  private toMember: DelayLine | null = null;
  private toCaller: DelayLine;
  private readonly fromCaller = new FrameSplitter(FRAME_BYTES_MAX);

  constructor(private readonly caller: Socket, private readonly options: FaultProxyOptions,
    private readonly stats: ProxyStats, private readonly onClosed: (c: ProxiedConnection) => void) {
    this.toCaller = new DelayLine(caller, options.links, stats, () => this.close());
    caller.on('data', (chunk: Buffer) => this.onCallerData(chunk));
    caller.on('error', () => this.close());
    caller.on('close', () => this.close());
  }

  /** Re-judge the connection after the network changed. */
  judge(): void {
    if (this.source === null) return;
    const cut = this.options.links.isCut(this.source, this.options.destination);
    if (this.state === 'open' && cut) this.blackHole();
    else if (this.state === 'black-holed' && !cut) this.close();
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.toMember?.clear();
    this.toCaller.clear();
    this.upstream?.destroy();
    this.caller.destroy();
    this.onClosed(this);
  }

  private onCallerData(chunk: Buffer): void {
    if (this.state === 'closed') return;
    let frames: Buffer[];
    try {
      frames = this.fromCaller.push(chunk);
    } catch {
      this.close();
      return;
    }
    for (const frame of frames) {
      if (this.state === 'identifying') this.identify(frame);
      if (this.state === 'black-holed') this.stats.blackHoled += 1;
      if (this.state !== 'open') continue;
      this.toMember?.push(frame);
    }
  }

  private identify(firstFrame: Buffer): void {
    const memberId = announcedMemberId(firstFrame);
    const name = memberId === null ? null : this.options.memberName(memberId);
    this.source = name ?? `unknown:${memberId ?? '?'}`;
    if (name !== null && this.options.links.isCut(name, this.options.destination)) {
      this.state = 'black-holed';
      return;
    }
    this.state = 'open';
    const upstream = connect({ host: '127.0.0.1', port: this.options.targetPort });
    this.upstream = upstream;
    upstream.setNoDelay(true);
    this.toMember = new DelayLine(upstream, this.options.links, this.stats, () => this.close());
    const fromMember = new FrameSplitter(FRAME_BYTES_MAX);
    upstream.on('data', (chunk: Buffer) => {
      if (this.state !== 'open') return;
      try {
        for (const frame of fromMember.push(chunk)) this.toCaller.push(frame);
      } catch {
        this.close();
      }
    });
    upstream.on('error', () => this.close());
    upstream.on('close', () => this.close());
  }

  private blackHole(): void {
    this.state = 'black-holed';
    this.toMember?.clear();
    this.toCaller.clear();
    this.upstream?.destroy();
    this.upstream = null;
  }
}

export class FaultProxy {
  private server: Server | null = null;
  private readonly connections = new Set<ProxiedConnection>();
  readonly stats: ProxyStats = { forwarded: 0, lost: 0, blackHoled: 0 };

  constructor(readonly options: FaultProxyOptions) {
    options.links.onChange(() => {
      for (const c of [...this.connections]) c.judge();
    });
  }

  async start(): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.listenPort, '127.0.0.1', () => resolve());
    });
  }

  /** Connections now open through the proxy, by state (for tests and the report). */
  connectionStates(): ConnectionState[] {
    return [...this.connections].map((c) => c.state);
  }

  async close(): Promise<void> {
    for (const c of [...this.connections]) c.close();
    const server = this.server;
    this.server = null;
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    if (this.connections.size >= CONNECTIONS_MAX) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    this.connections.add(new ProxiedConnection(socket, this.options, this.stats,
      (c) => this.connections.delete(c)));
  }
}
