/**
 * The fault proxy on loopback, between a framed echo server (standing in for a member's raft
 * port) and a caller that announces itself as a member: it forwards whole frames, black-holes
 * a partitioned caller, closes that connection when the partition heals, delays and drops.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder } from '../../src/cluster/frame-codec.js';
import { freePort } from '../helpers/quiver-process.js';
import { Prng } from '../sim/prng.js';
import { FaultProxy } from './fault-proxy.js';
import { LinkFaults } from './link-faults.js';
import { pairKey } from './partitions.js';

const MEMBER_IDS: Record<string, string> = { 'id-a': 'core-a', 'id-b': 'core-b' };

function frame(value: unknown): Uint8Array {
  return encodeFrame(Buffer.from(JSON.stringify(value)));
}

/** A member stand-in that answers every frame with {echo: payload}. */
async function echoServer(port: number): Promise<{ server: Server; received: string[] }> {
  const received: string[] = [];
  const server = createServer((socket) => {
    const decoder = new FrameDecoder(1024 * 1024);
    socket.on('data', (chunk: Buffer) => {
      const out = decoder.push(chunk);
      if ('error' in out) return;
      for (const payload of out.payloads) {
        const text = Buffer.from(payload).toString('utf8');
        received.push(text);
        socket.write(frame({ echo: JSON.parse(text) as unknown }));
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, received };
}

interface Caller {
  readonly socket: Socket;
  readonly replies: unknown[];
  closed: boolean;
}

function caller(port: number, memberId: string): Caller {
  const socket = connect({ host: '127.0.0.1', port });
  const result: Caller = { socket, replies: [], closed: false };
  const decoder = new FrameDecoder(1024 * 1024);
  socket.on('data', (chunk: Buffer) => {
    const out = decoder.push(chunk);
    if ('error' in out) return;
    for (const p of out.payloads) result.replies.push(JSON.parse(Buffer.from(p).toString('utf8')));
  });
  socket.on('error', () => undefined);
  socket.on('close', () => { result.closed = true; });
  socket.write(frame({ hello: 'quiver-raft-hello', clusterId: 'c', memberId }));
  return result;
}

async function until(what: string, condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const cleanup: (() => Promise<void> | void)[] = [];

/** An echo server behind a proxy that stands in front of member core-b. */
async function setup(): Promise<{ links: LinkFaults; proxyPort: number; received: string[];
  proxy: FaultProxy; }> {
  const [targetPort, proxyPort] = [await freePort(), await freePort()];
  const { server, received } = await echoServer(targetPort);
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const links = new LinkFaults(new Prng(1));
  const proxy = new FaultProxy({ destination: 'core-b', listenPort: proxyPort, targetPort,
    links, memberName: (id) => MEMBER_IDS[id] ?? null });
  await proxy.start();
  cleanup.push(() => proxy.close());
  return { links, proxyPort, received, proxy };
}

describe('fault proxy', () => {
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('forwards whole frames both ways for a caller that is not cut off', async () => {
    const { proxyPort, received } = await setup();
    const a = caller(proxyPort, 'id-a');
    cleanup.push(() => { a.socket.destroy(); });
    a.socket.write(frame({ n: 1 }));
    await until('two echoes', () => a.replies.length === 2);
    expect(received.map((t) => JSON.parse(t) as unknown)).toEqual([
      { hello: 'quiver-raft-hello', clusterId: 'c', memberId: 'id-a' }, { n: 1 }]);
    expect(a.replies[1]).toEqual({ echo: { n: 1 } });
  });

  it('black-holes a partitioned caller and closes its connection when the cut heals',
    async () => {
      const { links, proxyPort, received, proxy } = await setup();
      links.setCut(new Set([pairKey('core-a', 'core-b')]));
      const a = caller(proxyPort, 'id-a');
      cleanup.push(() => { a.socket.destroy(); });
      a.socket.write(frame({ n: 1 }));
      await until('both frames to vanish', () => proxy.stats.blackHoled === 2);
      expect(proxy.connectionStates()).toEqual(['black-holed']);
      expect(received).toEqual([]);
      expect(a.closed).toBe(false);
      links.healAll();
      await until('the black-holed connection to close', () => a.closed);
      expect(received).toEqual([]);
    });

  it('black-holes an open connection when a partition starts', async () => {
    const { links, proxyPort, received, proxy } = await setup();
    const a = caller(proxyPort, 'id-a');
    cleanup.push(() => { a.socket.destroy(); });
    await until('the handshake echo', () => a.replies.length === 1);
    links.setCut(new Set([pairKey('core-a', 'core-b')]));
    a.socket.write(frame({ n: 2 }));
    await until('the frame to vanish', () => proxy.stats.blackHoled === 1);
    expect(received).toHaveLength(1);
    expect(a.replies).toHaveLength(1);
  });

  it('drops every frame but the handshake at a loss rate of one', async () => {
    const { links, proxyPort, received, proxy } = await setup();
    links.setSlow({ delayMs: 0, jitterMs: 0, lossRate: 1 });
    const a = caller(proxyPort, 'id-a');
    cleanup.push(() => { a.socket.destroy(); });
    for (let n = 0; n < 5; n += 1) a.socket.write(frame({ n }));
    await until('five frames lost', () => proxy.stats.lost === 5);
    await until('the handshake echo', () => a.replies.length === 1);
    expect(received).toHaveLength(1);
  });

  it('delays frames yet keeps their order', async () => {
    const { links, proxyPort, received } = await setup();
    links.setSlow({ delayMs: 60, jitterMs: 30, lossRate: 0 });
    const a = caller(proxyPort, 'id-a');
    cleanup.push(() => { a.socket.destroy(); });
    const sentAt = Date.now();
    for (let n = 0; n < 5; n += 1) a.socket.write(frame({ n }));
    await until('six frames', () => received.length === 6);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(60);
    expect(received.slice(1).map((t) => (JSON.parse(t) as { n: number }).n))
      .toEqual([0, 1, 2, 3, 4]);
  });
});
