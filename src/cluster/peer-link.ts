/**
 * The outbound half of the raft port towards one peer: a queue of frames bounded in bytes, a TCP
 * connection opened with a handshake, and reconnection with exponential backoff. Messages that
 * do not fit, or that are sent while the peer is unreachable, are dropped; Raft retransmits, and
 * the owner is told the peer is unreachable. Frames queued for a connection that broke are
 * dropped with it rather than replayed, late, on the next one. Frames sent in one burst go out
 * in one write.
 *
 * A link that was open closes and its next connect is refused: nothing listens on the peer's
 * raft port any more, strong evidence that its process is gone (a partition or a hung host
 * gives timeouts instead). The owner is told so once, and again only after the link opened
 * again, so that a follower of that peer can elect a new leader without waiting out an
 * election timeout.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { MemberId } from '../raft/types.js';
import { describeFrameError, encodeFrame, FrameDecoder } from './frame-codec.js';
import { decodeHello, encodeHello, encodeProof } from './handshake.js';
import type { Hello } from './handshake.js';
import type { TimerHandle, Timers } from './timers.js';
import { isNonce, membershipProof, newNonce, proofMatches } from '../security/cluster-auth.js';
import type { MemberChannel } from '../security/member-channel.js';

export interface PeerAddress {
  readonly host: string;
  readonly port: number;
}

export interface TransportLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface PeerLinkOptions {
  readonly self: Hello;
  readonly peer: MemberId;
  readonly frameBytesMax: number;
  /** Bound on queued frame bytes; a single larger frame (a snapshot) is queued alone. */
  readonly queueBytesMax: number;
  readonly reconnectDelayMsMin: number;
  readonly reconnectDelayMsMax: number;
  readonly timers: Timers;
  readonly logger: TransportLogger;
  /** dbms.cluster.secret; the peer must prove it holds it before anything is sent to it. */
  readonly clusterSecret?: string | null;
  /** Mutual TLS under the cluster SSL policy, and refusals to the security log; absent: TCP. */
  readonly channel?: MemberChannel;
  /** The peer's process looks gone (see above); called once per opening of the link. */
  readonly onPeerDown?: (peer: MemberId) => void;
}

/** A connect refused outright (RST): the host is up and nothing listens on the port. */
function isConnectionRefused(error: unknown): boolean {
  if (error instanceof AggregateError) return error.errors.some(isConnectionRefused);
  return error instanceof Error && 'code' in error && error.code === 'ECONNREFUSED';
}

type LinkState = 'connecting' | 'handshaking' | 'open' | 'waiting' | 'closed';

export class PeerLink {
  private state: LinkState = 'waiting';
  private socket: Socket | null = null;
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private flushScheduled = false;
  private reconnectDelayMs: number;
  private reconnectTimer: TimerHandle | null = null;
  /** This connection's challenge to the peer (fresh per connection). */
  private nonce = newNonce();
  /** The last connection had been open when it closed: a refused reconnect means peer down. */
  private lostOpenConnection = false;

  constructor(
    private readonly options: PeerLinkOptions,
    private address: PeerAddress,
  ) {
    this.reconnectDelayMs = options.reconnectDelayMsMin;
    this.connect();
  }

  /** Queue one encoded raft message; false when it was dropped (queue full, peer down). */
  send(payload: Uint8Array): boolean {
    if (this.state === 'closed' || this.state === 'waiting') return false;
    const frame = encodeFrame(payload);
    const full = this.queuedBytes + frame.length > this.options.queueBytesMax;
    if (full && this.queue.length > 0) return false;
    this.queue.push(frame);
    this.queuedBytes += frame.length;
    this.scheduleFlush();
    return true;
  }

  moveTo(address: PeerAddress): void {
    if (address.host === this.address.host && address.port === this.address.port) return;
    this.address = address;
    this.socket?.destroy();
  }

  close(): void {
    this.state = 'closed';
    this.reconnectTimer?.cancel();
    this.socket?.destroy();
    this.dropQueue();
  }

  private dropQueue(): void {
    this.queue = [];
    this.queuedBytes = 0;
  }

  private connect(): void {
    if (this.state === 'closed') return;
    this.state = 'connecting';
    const channel = this.options.channel;
    const socket = channel ? channel.connect('raft', this.address)
      : connect({ host: this.address.host, port: this.address.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('connect', () => {
      this.state = 'handshaking';
      this.nonce = newNonce();
      const hello = this.secret === null ? this.options.self
        : { ...this.options.self, nonce: this.nonce };
      socket.write(encodeFrame(encodeHello(hello)));
    });
    const decoder = new FrameDecoder(this.options.frameBytesMax);
    socket.on('data', (chunk: Buffer) => this.onData(socket, decoder, chunk));
    socket.on('drain', () => this.flush());
    let refused = false;
    socket.on('error', (error) => {
      refused = isConnectionRefused(error);
      socket.destroy();
    });
    socket.on('close', () => this.onClose(socket, refused));
  }

  /** The only frame a peer sends back on our outbound connection is its hello. */
  private onData(socket: Socket, decoder: FrameDecoder, chunk: Buffer): void {
    const result = decoder.push(chunk);
    if ('error' in result) {
      const problem = describeFrameError(result.error);
      this.options.logger.warn(`raft link to ${this.options.peer}: ${problem}`);
      socket.destroy();
      return;
    }
    for (const payload of result.payloads) {
      const hello = decodeHello(payload);
      const problem = this.checkHello(hello);
      if (problem !== null) {
        const at = `${this.address.host}:${this.address.port}`;
        this.options.logger.warn(`raft link to ${this.options.peer} at ${at} refused: ${problem}`);
        this.options.channel?.refused('raft', at, problem);
        socket.destroy();
        return;
      }
      if (this.secret !== null && typeof hello !== 'string' && hello.nonce !== undefined) {
        socket.write(encodeFrame(encodeProof(membershipProof(this.secret, { role: 'dialler',
          challenge: hello.nonce, ownNonce: this.nonce, clusterId: this.options.self.clusterId,
          memberId: this.options.self.memberId }))));
      }
      this.state = 'open';
      this.reconnectDelayMs = this.options.reconnectDelayMsMin;
      this.flush();
    }
  }

  private checkHello(hello: Hello | string): string | null {
    if (typeof hello === 'string') return hello;
    if (this.state !== 'handshaking') return 'unexpected second handshake';
    if (hello.clusterId !== this.options.self.clusterId) {
      return `peer belongs to cluster ${hello.clusterId}, not ${this.options.self.clusterId}`;
    }
    if (hello.memberId !== this.options.peer) return `peer says it is ${hello.memberId}`;
    return this.checkProof(hello);
  }

  private get secret(): string | null {
    return this.options.clusterSecret ?? null;
  }

  /** With a secret, the peer's hello must answer our challenge and carry its own. */
  private checkProof(hello: Hello): string | null {
    const secret = this.secret;
    if (secret === null) return null;
    if (!isNonce(hello.nonce)) return 'peer sent no challenge (is dbms.cluster.secret set there?)';
    const ok = proofMatches(secret, { role: 'acceptor', challenge: this.nonce,
      ownNonce: hello.nonce, clusterId: hello.clusterId, memberId: hello.memberId }, hello.proof);
    return ok ? null : 'peer does not hold the cluster secret';
  }

  /** Frames queued in one synchronous burst (one Ready's messages) share one write. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    const socket = this.socket;
    if (this.state !== 'open' || socket === null || socket.writableNeedDrain) return;
    if (this.queue.length === 0) return;
    const [first, ...rest] = this.queue;
    const bytes = rest.length === 0 && first !== undefined ? first : Buffer.concat(this.queue);
    this.dropQueue();
    socket.write(bytes);
  }

  private reportPeerDown(): void {
    const at = `${this.address.host}:${this.address.port}`;
    this.options.logger.info(`raft link to ${this.options.peer}: ${at} refused a reconnect ` +
      'after the link closed; the peer looks down.');
    this.options.onPeerDown?.(this.options.peer);
  }

  private onClose(socket: Socket, refused: boolean): void {
    if (this.socket !== socket) return;
    this.socket = null;
    if (this.state === 'closed') return;
    const suspect = this.lostOpenConnection;
    this.lostOpenConnection = this.state === 'open';
    // Only the first connect after an open link closed counts: a link that never opened, or
    // a peer down already reported, says nothing new.
    if (suspect && refused) this.reportPeerDown();
    this.state = 'waiting';
    this.dropQueue();
    const delayMs = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(delayMs * 2, this.options.reconnectDelayMsMax);
    this.reconnectTimer = this.options.timers.after(delayMs, () => this.connect());
  }
}
