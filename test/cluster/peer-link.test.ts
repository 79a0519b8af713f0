/**
 * The raft transport's outbound queues: bounded in bytes while a peer does not read, and never
 * replaying frames queued for a connection that broke once the peer is back.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RaftTransport, TRANSPORT_DEFAULTS } from '../../src/cluster/transport.js';
import { realTimers } from '../../src/cluster/timers.js';
import { asLogIndex, asMemberId, asTerm } from '../../src/raft/types.js';
import type { Message } from '../../src/raft/types.js';
import { waitUntil } from '../helpers/wait-until.js';

const quietLogger = { info: () => undefined, warn: () => undefined };
const [A, B] = [asMemberId('a'), asMemberId('b')];
const QUEUE_BYTES_MAX = 64 * 1024;
const closers: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});


function heartbeat(commit: number): Message {
  return { type: 'Heartbeat', from: A, to: B, term: asTerm(1), commit: asLogIndex(commit),
    leaderCommit: asLogIndex(commit), ctx: null };
}

function transport(memberId: typeof A, port: number, onMessage: (m: Message) => void,
  onUnreachable: () => void = () => undefined): RaftTransport {
  const t = new RaftTransport({ ...TRANSPORT_DEFAULTS, queueBytesMax: QUEUE_BYTES_MAX,
    reconnectDelayMsMin: 10, reconnectDelayMsMax: 50, clusterId: 'c', memberId,
    listen: { host: '127.0.0.1', port }, timers: realTimers, logger: quietLogger,
    onMessage, onUnreachable });
  closers.push(() => t.close());
  return t;
}

interface SilentPeer {
  readonly port: number;
  connected(): boolean;
  close(): Promise<void>;
}

/** A port that accepts connections and then never says a word (a paused peer). */
async function silentPeer(): Promise<SilentPeer> {
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const peer: SilentPeer = {
    port: typeof address === 'object' && address ? address.port : 0,
    connected: () => sockets.length > 0,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
  closers.push(() => (server.listening ? peer.close() : undefined));
  return peer;
}

describe('raft peer links', () => {
  it('drops messages beyond the queue bound in bytes for a peer that never answers', async () => {
    const peer = await silentPeer();
    let unreachable = 0;
    const sender = transport(A, 0, () => undefined, () => { unreachable += 1; });
    await sender.start();
    sender.setPeer(B, { host: '127.0.0.1', port: peer.port });
    await waitUntil('the connection', peer.connected);
    const results = Array.from({ length: 20_000 }, (_, i) => sender.send(heartbeat(i)));
    const queued = results.filter((r) => r === 'queued').length;
    const payloadBytesMin = JSON.stringify(heartbeat(0)).length;
    expect(queued).toBeGreaterThan(0);
    expect(queued * payloadBytesMin).toBeLessThanOrEqual(QUEUE_BYTES_MAX);
    expect(results.at(-1)).toBe('queue-full');
    expect(unreachable).toBe(results.length - queued);
  });

  it('does not replay frames queued for a broken connection once the peer is back', async () => {
    const peer = await silentPeer();
    const sender = transport(A, 0, () => undefined);
    await sender.start();
    sender.setPeer(B, { host: '127.0.0.1', port: peer.port });
    await waitUntil('the connection', peer.connected);
    // Queued behind a handshake that never completes, then the peer goes away.
    expect(sender.send(heartbeat(1))).toBe('queued');
    await peer.close();
    const received: Message[] = [];
    const receiver = transport(B, peer.port, (m) => received.push(m));
    await receiver.start();
    for (let commit = 100; !received.some((m) => m.type === 'Heartbeat'); commit += 1) {
      sender.send(heartbeat(commit));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(received.every((m) => m.type === 'Heartbeat' && m.commit >= 100)).toBe(true);
  });
});
