import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { V5X4 } from '../../src/bolt/versions/v5.js';
import { startLive, openSession, connectRaw, type Live } from './live.js';
import { RawClient } from './raw-client.js';
import { frame, message, msg, pack, WireStruct } from './wire.js';

const SEED = Number(process.env.QUIVER_SEED ?? 20240611);

/** mulberry32: a small seeded generator so a failing case can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(random: () => number, count: number): number[] {
  return Array.from({ length: count }, () => Math.floor(random() * 256));
}

let live: Live;
beforeAll(async () => {
  live = await startLive({ boltMessageBytesMax: 4096, packstreamDepthMax: 32 });
});
afterAll(async () => {
  await live.server.close();
});

async function stillServes(): Promise<void> {
  const { client } = await openSession(live.server.port, V5X4);
  client.send([...msg.run('RETURN 1 AS n'), ...msg.pull(-1n)]);
  await client.next();
  expect((await client.summary()).records).toEqual([[1n]]);
  client.close();
}

describe(`robustness (QUIVER_SEED=${SEED})`, () => {
  it('closes connections that open with random bytes, and keeps serving', async () => {
    const random = prng(SEED);
    for (let i = 0; i < 20; i++) {
      const client = await RawClient.open(live.server.port);
      client.send(randomBytes(random, 1 + Math.floor(random() * 40)));
      client.send(Array(20).fill(0));
      await client.waitClosed();
    }
    await stillServes();
  });

  it('answers framed random messages with FAILURE (or closes), and keeps serving', async () => {
    const random = prng(SEED + 1);
    for (let i = 0; i < 50; i++) {
      const { client } = await openSession(live.server.port, V5X4);
      const body = randomBytes(random, 1 + Math.floor(random() * 64));
      client.send([...frame(body), ...msg.reset()]);
      const first = await client.next().catch(() => null);
      if (first !== null) expect(['FAILURE', 'SUCCESS', 'IGNORED']).toContain(first.type);
      client.close();
    }
    await stillServes();
  });

  it('answers a truncated message with InvalidFormat and recovers on RESET', async () => {
    const run = pack(new WireStruct(0x10, ['RETURN 1', { a: 'long string value' }, {}]));
    for (let cut = 3; cut < run.length; cut += 4) {
      const { client } = await openSession(live.server.port, V5X4);
      client.send(frame(run.slice(0, cut)));
      const failure = await client.next();
      client.send(msg.reset());
      expect(failure.type).toBe('FAILURE');
      expect(String(failure.meta.get('code'))).toMatch(/^Neo\.ClientError\.Request\./);
      expect((await client.next()).type).toBe('SUCCESS');
      client.close();
    }
  });

});

describe('resource limits', () => {
  it('refuses a message above boltMessageBytesMax and closes only that connection', async () => {
    const { client } = await openSession(live.server.port, V5X4);
    const other = await openSession(live.server.port, V5X4);
    client.send(message(0x10, 'x'.repeat(5000), {}, {}));
    const failure = await client.next();
    expect(failure.meta.get('code')).toBe('Neo.ClientError.Request.Invalid');
    expect(String(failure.meta.get('message'))).toContain('boltMessageBytesMax');
    await client.waitClosed();
    other.client.send([...msg.run('RETURN 1 AS n'), ...msg.pull(-1n)]);
    expect((await other.client.next()).type).toBe('SUCCESS');
    other.client.close();
  });

  it('refuses parameters nested deeper than packstreamDepthMax', async () => {
    const { client } = await openSession(live.server.port, V5X4);
    let deep: number[] = [0x01];
    for (let i = 0; i < 40; i++) deep = [0x91, ...deep];
    const body = [0xb3, 0x10, ...pack('RETURN $x AS x'), 0xa1, ...pack('x'), ...deep, 0xa0];
    client.send(frame(body));
    expect(String((await client.next()).meta.get('message'))).toContain('packstreamDepthMax');
    client.send(msg.reset());
    expect((await client.next()).type).toBe('SUCCESS');
    client.close();
  });

  it('answers thousands of pipelined requests in order without unbounded buffering', async () => {
    const { client } = await openSession(live.server.port, V5X4);
    const count = 3000;
    const batch: number[] = [];
    for (let i = 0; i < count; i++) batch.push(...msg.run('RETURN 1 AS n'), ...msg.pull(-1n));
    client.send(batch);
    for (let i = 0; i < count; i++) {
      expect((await client.next()).type).toBe('SUCCESS');
      expect((await client.summary()).records).toEqual([[1n]]);
    }
    client.close();
  });

  it('accepts the handshake one byte at a time and a HELLO split across writes', async () => {
    const client = await RawClient.open(live.server.port);
    for (const byte of [0x60, 0x60, 0xb0, 0x17, 0, 0, 4, 5, ...Array(12).fill(0)]) {
      client.send([byte]);
    }
    expect(await client.readBytes(4)).toEqual([0, 0, 4, 5]);
    client.startMessages();
    const hello = msg.hello({ user_agent: 'x' });
    for (const byte of hello) client.send([byte]);
    expect((await client.next()).type).toBe('SUCCESS');
    client.close();
  });

  it('drops every connection it closed from the count', async () => {
    const client = await connectRaw(live.server.port, V5X4);
    client.send(msg.goodbye());
    await client.waitClosed();
    await stillServes();
    await expect.poll(() => live.server.connectionCount()).toBe(0);
  });
});
