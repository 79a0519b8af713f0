/**
 * Peer down end to end inside one process: three RaftLoops over real transports with a 1 s
 * election timeout. When the leader's transport goes away (as a killed process's sockets do),
 * the survivors forget it and elect another well before the election timeout could fire.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RaftLoop } from '../../src/cluster/raft-loop.js';
import { RaftTransport, TRANSPORT_DEFAULTS } from '../../src/cluster/transport.js';
import type { PeerAddress } from '../../src/cluster/transport.js';
import { realTimers } from '../../src/cluster/timers.js';
import { RaftNode } from '../../src/raft/raft-node.js';
import { asLogIndex, asMemberId } from '../../src/raft/types.js';
import type { MemberId, SoftState } from '../../src/raft/types.js';
import { Prng } from '../sim/prng.js';
import { MemoryStorage } from './memory-storage.js';

const TICK_MS = 10;
const ELECTION_TIMEOUT_MS = 1000;
const quietLogger = { info: () => undefined, warn: () => undefined };

interface Member {
  readonly id: MemberId;
  readonly loop: RaftLoop;
  readonly transport: RaftTransport;
  readonly address: PeerAddress;
  /** Every soft state the loop reported, in order. */
  readonly softStates: SoftState[];
}

let members: Member[] = [];

afterEach(async () => {
  for (const m of members.splice(0)) await stop(m);
});

async function stop(member: Member): Promise<void> {
  await member.loop.stop();
  await member.transport.close();
}

async function waitFor<T>(what: string, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (let value = probe(); ; value = probe()) {
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function start(id: MemberId, voters: MemberId[], seed: number): Promise<Member> {
  const electionTicks = ELECTION_TIMEOUT_MS / TICK_MS;
  const node = RaftNode.bootstrap({ id, rng: new Prng(seed).rng, electionTicks,
    heartbeatTicks: electionTicks / 4 }, voters);
  let loop: RaftLoop | null = null;
  const transport = new RaftTransport({ ...TRANSPORT_DEFAULTS, reconnectDelayMsMin: 10,
    clusterId: 'c', memberId: id, listen: { host: '127.0.0.1', port: 0 },
    timers: realTimers, logger: quietLogger,
    onMessage: (message) => loop?.step(message),
    onUnreachable: (peer) => loop?.reportUnreachable(peer),
    onPeerDown: (peer) => loop?.reportPeerDown(peer) });
  const address = await transport.start();
  const softStates: SoftState[] = [];
  loop = new RaftLoop({ node, storage: new MemoryStorage(), storedLastIndex: asLogIndex(0),
    send: (message) => transport.send(message), apply: () => undefined,
    applySnapshot: () => undefined, onSoftState: (s) => softStates.push(s),
    onFatal: (error) => { throw error; }, timers: realTimers, tickMs: TICK_MS });
  return { id, loop, transport, address, softStates };
}

function leader(among: Member[]): Member | undefined {
  return among.find((m) => m.loop.status().soft.role === 'LEADER');
}

describe('a leader whose process goes away', () => {
  it('is replaced well within the election timeout', async () => {
    const ids = ['m1', 'm2', 'm3'].map(asMemberId);
    members = await Promise.all(ids.map((id, i) => start(id, ids, i + 1)));
    for (const m of members) {
      for (const peer of members) m.transport.setPeer(peer.id, peer.address);
      m.loop.start();
    }
    const old = await waitFor('a leader', () => leader(members));
    const survivors = members.filter((m) => m !== old);
    await waitFor('followers', () =>
      survivors.every((m) => m.loop.status().soft.leader === old.id) ? true : undefined);
    members = survivors;
    const goneAtMs = Date.now();
    await stop(old);
    const next = await waitFor('a new leader', () => leader(survivors));
    expect(Date.now() - goneAtMs).toBeLessThan(ELECTION_TIMEOUT_MS);
    // The one that did not win reported the old leader forgotten on its way to the new one.
    const other = survivors.find((m) => m !== next);
    const lastOld = other?.softStates.map((s) => s.leader).lastIndexOf(old.id) ?? -1;
    expect(other?.softStates.slice(lastOld + 1).at(0)?.leader).toBeNull();
  });
});
