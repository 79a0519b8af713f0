/**
 * The raft port (default 7000): TCP between core members. Each member sends over connections it
 * opens (one PeerLink per peer) and receives over connections others open, so there is never a
 * race over who owns a connection. Every connection starts with a handshake (handshake.ts);
 * then each frame (frame-codec.ts) carries one raft message (raft-message-codec.ts).
 */
import { createServer } from 'node:net';
import { assert } from '../assert.js';
import type { AddressInfo, Server, Socket } from 'node:net';
import type { MemberId, Message } from '../raft/types.js';
import { describeFrameError, encodeFrame, FrameDecoder } from './frame-codec.js';
import { decodeHello, decodeProof, encodeHello } from './handshake.js';
import type { Hello } from './handshake.js';
import { PeerLink } from './peer-link.js';
import type { PeerAddress, TransportLogger } from './peer-link.js';
import { decodeRaftMessage, encodeRaftMessage } from './raft-message-codec.js';
import type { Timers } from './timers.js';
import { isNonce, membershipProof, newNonce, proofMatches } from '../security/cluster-auth.js';
import { peerOf, type MemberChannel } from '../security/member-channel.js';

export type { PeerAddress, TransportLogger } from './peer-link.js';

export interface TransportOptions {
  readonly clusterId: string;
  readonly memberId: MemberId;
  readonly listen: PeerAddress;
  readonly frameBytesMax: number;
  /** Per peer: bytes of frames waiting for the socket (peer-link.ts). */
  readonly queueBytesMax: number;
  readonly reconnectDelayMsMin: number;
  readonly reconnectDelayMsMax: number;
  readonly timers: Timers;
  readonly logger: TransportLogger;
  /** A message from a peer that passed the handshake, addressed to this member. */
  readonly onMessage: (message: Message) => void;
  /** A message could not be queued to a peer: raft should stop pipelining to it. */
  readonly onUnreachable: (peer: MemberId) => void;
  /**
   * A peer's process looks gone: an open connection to it closed and the next connect was
   * refused (peer-link.ts). Once per opening of the link.
   */
  readonly onPeerDown?: (peer: MemberId) => void;
  /**
   * dbms.cluster.secret: when set, both ends of every connection prove they hold it before a
   * raft message is read or sent (src/security/cluster-auth.ts).
   */
  readonly clusterSecret?: string | null;
  /** Mutual TLS under the cluster SSL policy, and refusals to the security log; absent: TCP. */
  readonly channel?: MemberChannel;
}

/** An accepted connection whose hello was answered with a challenge the dialler must meet. */
interface AwaitingProof {
  readonly hello: Hello;
  readonly dialler: string;
  readonly nonce: string;
}

export const TRANSPORT_DEFAULTS = {
  frameBytesMax: 64 * 1024 * 1024,
  queueBytesMax: 8 * 1024 * 1024,
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
    const channel = this.options.channel;
    const server = channel ? channel.createServer('raft', (socket) => this.accept(socket))
      : createServer((socket) => this.accept(socket));
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
      queueBytesMax: o.queueBytesMax,
      reconnectDelayMsMin: o.reconnectDelayMsMin,
      reconnectDelayMsMax: o.reconnectDelayMsMax,
      timers: o.timers,
      logger: o.logger,
      clusterSecret: o.clusterSecret ?? null,
      ...(o.channel ? { channel: o.channel } : {}),
      ...(o.onPeerDown ? { onPeerDown: o.onPeerDown } : {}),
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
    let awaiting: AwaitingProof | null = null;
    let refused = false;
    // Read now: a closed socket no longer knows its peer.
    const remote = peerOf(socket);
    const refuse = (reason: string): void => {
      refused = true;
      this.options.logger.warn(`raft connection from ${remote} refused: ${reason}`);
      this.options.channel?.refused('raft', remote, reason);
      socket.destroy();
    };
    socket.on('data', (chunk: Buffer) => {
      const result = decoder.push(chunk);
      if ('error' in result) return refuse(describeFrameError(result.error));
      for (const payload of result.payloads) {
        if (socket.destroyed) return;
        if (peer !== null) {
          this.onPeerFrame(peer, payload, refuse);
        } else if (awaiting !== null) {
          peer = this.onProof(awaiting, payload, refuse);
        } else {
          const hello = this.onHello(payload, refuse);
          if (hello === null) return;
          const answer = this.answerHello(hello);
          socket.write(encodeFrame(encodeHello(answer.reply)));
          if (answer.awaiting === null) peer = hello;
          else awaiting = answer.awaiting;
        }
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.inbound.delete(socket);
      // A dialler that will not answer the challenge is refused too, and said so.
      if (peer === null && awaiting !== null && !refused) {
        refuse(`member ${awaiting.hello.memberId} closed before proving the cluster secret`);
      }
    });
  }

  private get secret(): string | null {
    return this.options.clusterSecret ?? null;
  }

  /** Our hello back; with a secret it proves us and challenges the dialler. */
  private answerHello(hello: Hello): { reply: Hello; awaiting: AwaitingProof | null } {
    const secret = this.secret;
    if (secret === null || hello.nonce === undefined) return { reply: this.self, awaiting: null };
    const nonce = newNonce();
    const proof = membershipProof(secret, { role: 'acceptor', challenge: hello.nonce,
      ownNonce: nonce, clusterId: this.self.clusterId, memberId: this.self.memberId });
    return { reply: { ...this.self, nonce, proof },
      awaiting: { hello, dialler: hello.nonce, nonce } };
  }

  private onProof(awaiting: AwaitingProof, payload: Uint8Array,
    refuse: (reason: string) => void): Hello | null {
    const secret = this.secret;
    assert(secret !== null, 'a proof is awaited only with a cluster secret');
    const { hello } = awaiting;
    const ok = proofMatches(secret, { role: 'dialler', challenge: awaiting.nonce,
      ownNonce: awaiting.dialler, clusterId: hello.clusterId, memberId: hello.memberId },
    decodeProof(payload));
    if (ok) return hello;
    refuse(`member ${hello.memberId} does not hold the cluster secret`);
    return null;
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
    if (this.secret !== null && !isNonce(hello.nonce)) {
      refuse(`member ${hello.memberId} sent no challenge (is dbms.cluster.secret set there?)`);
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
