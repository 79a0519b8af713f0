/**
 * The raft port (default 7000): TCP between core members. Each member sends over connections it
 * opens (one PeerLink per peer) and receives over connections others open, so there is never a
 * race over who owns a connection. Every connection starts with a handshake (handshake.ts);
 * then each frame (frame-codec.ts) carries one raft message (raft-message-codec.ts).
 */
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import type { MemberId, Message } from '../raft/types.js';
import { describeFrameError, encodeFrame, FrameDecoder } from './frame-codec.js';
import { decodeHello, encodeHello } from './handshake.js';
import type { Hello } from './handshake.js';
import { PeerLink } from './peer-link.js';
import type { PeerAddress, TransportLogger } from './peer-link.js';
import { decodeRaftMessage, encodeRaftMessage } from './raft-message-codec.js';
import type { Timers } from './timers.js';

export type { PeerAddress, TransportLogger } from './peer-link.js';

export interface TransportOptions {
  readonly clusterId: string;
  readonly memberId: MemberId;
  readonly listen: PeerAddress;
  readonly frameBytesMax: number;
  readonly queueFramesMax: number;
  readonly reconnectDelayMsMin: number;
  readonly reconnectDelayMsMax: number;
  readonly timers: Timers;
  readonly logger: TransportLogger;
  /** A message from a peer that passed the handshake, addressed to this member. */
  readonly onMessage: (message: Message) => void;
  /** A message could not be queued to a peer: raft should stop pipelining to it. */
  readonly onUnreachable: (peer: MemberId) => void;
}

export const TRANSPORT_DEFAULTS = {
  frameBytesMax: 64 * 1024 * 1024,
  queueFramesMax: 4096,
  reconnectDelayMsMin: 50,
  reconnectDelayMsMax: 5000,
} as const;

export type SendResult = 'queued' | 'queue-full' | 'unknown-peer';

export class RaftTransport {
  private readonly links = new Map<MemberId, PeerLink>();
  private readonly inbound = new Set<Socket>();
  private server: Server | null = null;
  private readonly self: Hello;

  constructor(private readonly options: TransportOptions) {
    this.self = { clusterId: options.clusterId, memberId: options.memberId };
  }

  /** Start listening; resolves with the bound address (port 0 picks a free one). */
  async start(): Promise<PeerAddress> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.listen.port, this.options.listen.host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    return { host: address.address, port: address.port };
  }

  /** Add or move a peer; connections are opened eagerly. */
  setPeer(id: MemberId, address: PeerAddress): void {
    if (id === this.options.memberId) return;
    const link = this.links.get(id);
    if (link !== undefined) {
      link.moveTo(address);
      return;
    }
    const o = this.options;
    const linkOptions = {
      self: this.self,
      peer: id,
      frameBytesMax: o.frameBytesMax,
      queueFramesMax: o.queueFramesMax,
      reconnectDelayMsMin: o.reconnectDelayMsMin,
      reconnectDelayMsMax: o.reconnectDelayMsMax,
      timers: o.timers,
      logger: o.logger,
    };
    this.links.set(id, new PeerLink(linkOptions, address));
  }

  removePeer(id: MemberId): void {
    this.links.get(id)?.close();
    this.links.delete(id);
  }

  send(message: Message): SendResult {
    const link = this.links.get(message.to);
    if (link === undefined) return 'unknown-peer';
    if (link.send(encodeRaftMessage(message))) return 'queued';
    this.options.onUnreachable(message.to);
    return 'queue-full';
  }

  async close(): Promise<void> {
    for (const link of this.links.values()) link.close();
    this.links.clear();
    for (const socket of this.inbound) socket.destroy();
    const server = this.server;
    this.server = null;
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.inbound.add(socket);
    socket.setNoDelay(true);
    const decoder = new FrameDecoder(this.options.frameBytesMax);
    let peer: Hello | null = null;
    const refuse = (reason: string): void => {
      const remote = socket.remoteAddress ?? 'an unknown address';
      this.options.logger.warn(`raft connection from ${remote} refused: ${reason}`);
      socket.destroy();
    };
    socket.on('data', (chunk: Buffer) => {
      const result = decoder.push(chunk);
      if ('error' in result) return refuse(describeFrameError(result.error));
      for (const payload of result.payloads) {
        if (socket.destroyed) return;
        if (peer === null) {
          peer = this.onHello(payload, refuse);
          if (peer !== null) socket.write(encodeFrame(encodeHello(this.self)));
        } else {
          this.onPeerFrame(peer, payload, refuse);
        }
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.inbound.delete(socket));
  }

  private onHello(payload: Uint8Array, refuse: (reason: string) => void): Hello | null {
    const hello = decodeHello(payload);
    if (typeof hello === 'string') {
      refuse(hello);
      return null;
    }
    if (hello.clusterId !== this.options.clusterId) {
      refuse(`member ${hello.memberId} belongs to cluster ${hello.clusterId}`);
      return null;
    }
    return hello;
  }

  private onPeerFrame(peer: Hello, payload: Uint8Array, refuse: (reason: string) => void): void {
    const decoded = decodeRaftMessage(payload);
    if (!decoded.ok) return refuse(`bad raft message from ${peer.memberId}: ${decoded.reason}`);
    const message = decoded.message;
    if (message.from !== peer.memberId || message.to !== this.options.memberId) {
      return refuse(`message ${message.from}->${message.to} on ${peer.memberId}'s connection`);
    }
    this.options.onMessage(message);
  }
}
