/**
 * Three members in one process, each a RaftLoop over a RaftTransport on loopback TCP with real
 * timers: they elect a leader, replicate, lose the leader, and elect another.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RaftLoop } from '../../src/cluster/raft-loop.js';
import { RaftTransport, TRANSPORT_DEFAULTS } from '../../src/cluster/transport.js';
import type { PeerAddress } from '../../src/cluster/transport.js';
import { realTimers } from '../../src/cluster/timers.js';
import { RaftNode } from '../../src/raft/raft-node.js';
import { asLogIndex, asMemberId, asTerm } from '../../src/raft/types.js';
import type { MemberId } from '../../src/raft/types.js';
import { Prng } from '../sim/prng.js';
import { MemoryStorage } from './memory-storage.js';

interface Core {
  readonly id: MemberId;
  readonly loop: RaftLoop;
  readonly transport: RaftTransport;
  readonly storage: MemoryStorage;
  readonly applied: string[];
  address: PeerAddress;
}

const decoder = new TextDecoder();
const quietLogger = { info: () => undefined, warn: () => undefined };
let running: Core[] = [];

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function startCore(id: MemberId, voters: MemberId[], seed: number): Promise<Core> {
  const storage = new MemoryStorage();
  const applied: string[] = [];
  const prng = new Prng(seed);
  const node = RaftNode.bootstrap({ id, rng: prng.rng, electionTicks: 10 }, voters);
  let loop: RaftLoop | null = null;
  const transport = new RaftTransport({
    ...TRANSPORT_DEFAULTS,
    reconnectDelayMsMin: 10,
    reconnectDelayMsMax: 100,
    clusterId: 'test-cluster',
    memberId: id,
    listen: { host: '127.0.0.1', port: 0 },
    timers: realTimers,
    logger: quietLogger,
    onMessage: (message) => loop?.step(message),
    onUnreachable: (peer) => loop?.reportUnreachable(peer),
  });
  const address = await transport.start();
  loop = new RaftLoop({
    node,
    storage,
    storedLastIndex: asLogIndex(0),
    send: (message) => transport.send(message),
    apply: (entry) => {
      if (entry.kind === 'normal') applied.push(decoder.decode(entry.data));
    },
    applySnapshot: () => undefined,
    onFatal: (error) => {
      throw error;
    },
    timers: realTimers,
    tickMs: 10,
  });
  return { id, loop, transport, storage, applied, address };
}

async function stopCore(core: Core): Promise<void> {
  await core.loop.stop();
  await core.transport.close();
  running = running.filter((c) => c !== core);
}

afterEach(async () => {
  for (const core of [...running]) await stopCore(core);
});

function leaderOf(cores: Core[]): Core | undefined {
  return cores.find((c) => c.loop.status().soft.role === 'LEADER');
}

describe('raft loops over loopback TCP', () => {
  it('elect, replicate, lose the leader, and elect another', async () => {
    const ids = ['core1', 'core2', 'core3'].map(asMemberId);
    running = await Promise.all(ids.map((id, i) => startCore(id, ids, i + 1)));
    for (const core of running) {
      for (const peer of running) core.transport.setPeer(peer.id, peer.address);
      core.loop.start();
    }
    const first = await waitFor('a leader', () => leaderOf(running));
    expect(first.loop.propose(new TextEncoder().encode('one')).ok).toBe(true);
    await waitFor('replication', () =>
      running.every((c) => c.applied.includes('one')) ? true : undefined,
    );
    expect(running.every((c) => c.storage.entries.some((e) => e.kind === 'normal'))).toBe(true);

    await stopCore(first);
    const second = await waitFor('a new leader', () => leaderOf(running));
    expect(second.id).not.toBe(first.id);
    expect(second.loop.propose(new TextEncoder().encode('two')).ok).toBe(true);
    await waitFor('replication after failover', () =>
      running.every((c) => c.applied.join() === 'one,two') ? true : undefined,
    );
  });

  it('refuses a member of another cluster and says so in the log', async () => {
    const warnings: string[] = [];
    const ours = new RaftTransport({
      ...TRANSPORT_DEFAULTS,
      clusterId: 'ours',
      memberId: asMemberId('a'),
      listen: { host: '127.0.0.1', port: 0 },
      timers: realTimers,
      logger: { info: () => undefined, warn: (m) => warnings.push(m) },
      onMessage: () => expect.fail('no message may pass the handshake'),
      onUnreachable: () => undefined,
    });
    const theirs = new RaftTransport({
      ...TRANSPORT_DEFAULTS,
      clusterId: 'theirs',
      memberId: asMemberId('b'),
      listen: { host: '127.0.0.1', port: 0 },
      timers: realTimers,
      logger: quietLogger,
      onMessage: () => undefined,
      onUnreachable: () => undefined,
    });
    const address = await ours.start();
    await theirs.start();
    theirs.setPeer(asMemberId('a'), address);
    const [a, b] = [asMemberId('a'), asMemberId('b')];
    theirs.send({ type: 'TimeoutNow', from: b, to: a, term: asTerm(1) });
    await waitFor('a refusal', () => (warnings.length > 0 ? true : undefined));
    expect(warnings[0]).toMatch(/member b belongs to cluster theirs/);
    await theirs.close();
    await ours.close();
  });
});
