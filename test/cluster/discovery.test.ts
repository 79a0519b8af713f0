import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Discovery, type MemberAdvert } from '../../src/cluster/discovery.js';
import { encodeFrame, FrameDecoder } from '../../src/cluster/frame-codec.js';
import { freePort } from '../helpers/quiver-process.js';

const WAIT_MS_MAX = 10_000;

function advert(memberId: string, discoveryAddress: string): MemberAdvert {
  return { memberId, clusterId: null, mode: 'CORE', discoveryAddress, raftAddress: 'x:1',
    boltAddress: 'x:2', httpAddress: 'x:3', groups: [], role: 'FOLLOWER', leaderId: null,
    term: 0, appliedIndex: 0 };
}

/** A discovery service whose count of answered requests the test can watch. */
function member(id: string, port: number, seeds: string[]):
  { d: Discovery; answered: () => number } {
  let selfCalls = 0;
  const address = `127.0.0.1:${port}`;
  const d = new Discovery({ listenHost: '127.0.0.1', listenPort: port, seeds, intervalMs: 10,
    nowMs: () => Date.now(), log: () => undefined,
    self: () => {
      selfCalls += 1;
      return advert(id, address);
    } });
  return { d, answered: () => selfCalls };
}

async function until(what: string, probe: () => boolean): Promise<void> {
  const deadline = Date.now() + WAIT_MS_MAX;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`not ${what} within ${WAIT_MS_MAX} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A discovery peer that never answers the first `ignored` requests of a connection. */
function forgetfulPeer(port: number, ignored: number): Promise<Server> {
  const server = createServer((socket) => {
    const decoder = new FrameDecoder(1 << 20);
    let requests = 0;
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      const out = decoder.push(chunk);
      if ('error' in out) return;
      for (let i = 0; i < out.payloads.length; i += 1) {
        requests += 1;
        if (requests <= ignored) continue;
        const view = [advert('f', `127.0.0.1:${port}`)];
        socket.write(encodeFrame(Buffer.from(JSON.stringify({ view }))));
      }
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

describe('discovery keeps one connection to each member it asks', () => {
  const running: Discovery[] = [];
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((d) => d.stop()));
    // Stopping the members closed their connections, so the servers close at once.
    await Promise.all(servers.splice(0).map((server) =>
      new Promise((resolve) => server.close(resolve))));
  });

  it('goes on asking over a connection whose answers were lost', async () => {
    const [pa, pf] = [await freePort(), await freePort()];
    servers.push(await forgetfulPeer(pf, 3));
    const a = member('a', pa, [`127.0.0.1:${pf}`]);
    running.push(a.d);
    await a.d.start();
    await until('f heard by a', () => a.d.members.has('f'));
    expect(a.d.dialsTotal).toBe(1);
  });

  it('asks every round over the same connection', async () => {
    const [pa, pb] = [await freePort(), await freePort()];
    const seeds = [`127.0.0.1:${pa}`, `127.0.0.1:${pb}`];
    const a = member('a', pa, seeds);
    const b = member('b', pb, seeds);
    running.push(a.d, b.d);
    await a.d.start();
    await b.d.start();
    // a's first round may have found b not yet listening: count from a few rounds later.
    await until('both known', () => a.d.members.has('b') && b.d.members.has('a') &&
      b.answered() > 20);
    const dials = [a.d.dialsTotal, b.d.dialsTotal];
    const answeredBefore = b.answered();
    // Each round makes b describe itself at least once more, to answer a.
    await until('twenty rounds answered', () => b.answered() > answeredBefore + 40);
    expect(a.d.alive(60_000).map((m) => m.memberId)).toEqual(['a', 'b']);
    expect(b.d.alive(60_000).map((m) => m.memberId)).toEqual(['a', 'b']);
    expect([a.d.dialsTotal, b.d.dialsTotal]).toEqual(dials);
    expect(dials.every((n) => n <= 2)).toBe(true);
  });

  it('dials again once a member it asked has restarted', async () => {
    const [pa, pb] = [await freePort(), await freePort()];
    const seeds = [`127.0.0.1:${pa}`, `127.0.0.1:${pb}`];
    const a = member('a', pa, seeds);
    const b = member('b', pb, seeds);
    running.push(a.d);
    await a.d.start();
    await b.d.start();
    await until('b known to a', () => a.d.members.has('b') && b.answered() > 20);
    const dials = a.d.dialsTotal;
    await b.d.stop();
    const stoppedAtMs = Date.now();
    const again = member('b', pb, seeds);
    running.push(again.d);
    await again.d.start();
    await until('a dialling the restarted b', () => a.d.dialsTotal > dials &&
      (a.d.members.get('b')?.lastHeardMs ?? 0) > stoppedAtMs);
    await until('some rounds', () => again.answered() > 20);
    // Once reconnected, a keeps that connection again.
    const redials = a.d.dialsTotal;
    const answered = again.answered();
    await until('more rounds', () => again.answered() > answered + 20);
    expect(a.d.dialsTotal).toBe(redials);
  });
});
