/**
 * Three RaftLoops in one process, messages passed between them on the next event-loop turn and
 * every fsync taking a few milliseconds: under a steady closed-loop load the leader sends each
 * follower about one Append with entries per fsync of its own, and every proposal commits.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RaftLoop } from '../../src/cluster/raft-loop.js';
import { realTimers } from '../../src/cluster/timers.js';
import { RaftNode } from '../../src/raft/raft-node.js';
import { asLogIndex, asMemberId } from '../../src/raft/types.js';
import type { Message, MemberId } from '../../src/raft/types.js';
import { Prng } from '../sim/prng.js';
import { MemoryStorage } from './memory-storage.js';

const SYNC_MS = 6;
const CLIENTS = 64;
const WRITES = 1500;

/** MemoryStorage whose fsync takes SYNC_MS, as a disk's does. */
class SlowSyncStorage extends MemoryStorage {
  override sync(): Promise<void> {
    super.sync();
    return new Promise((resolve) => setTimeout(resolve, SYNC_MS));
  }
}

interface Core {
  readonly loop: RaftLoop;
  readonly storage: SlowSyncStorage;
}

const ids = ['core1', 'core2', 'core3'].map(asMemberId);
let cores = new Map<MemberId, Core>();

afterEach(async () => {
  for (const core of cores.values()) await core.loop.stop();
  cores = new Map();
});

function startCores(onSend: (message: Message) => void,
  onApply: (id: MemberId, index: number) => void): void {
  for (const [i, id] of ids.entries()) {
    const prng = new Prng(i + 1);
    const storage = new SlowSyncStorage();
    const loop = new RaftLoop({
      node: RaftNode.bootstrap({ id, rng: prng.rng, electionTicks: 10 }, ids),
      storage,
      storedLastIndex: asLogIndex(0),
      send: (message) => {
        onSend(message);
        setImmediate(() => cores.get(message.to)?.loop.step(message));
      },
      apply: (entry) => onApply(id, entry.index),
      applySnapshot: () => undefined,
      onFatal: (error) => {
        throw error;
      },
      timers: realTimers,
      tickMs: 10,
    });
    cores.set(id, { loop, storage });
  }
  for (const core of cores.values()) core.loop.start();
}

describe('Appends per leader fsync', () => {
  it('sends each follower about one Append with entries per fsync of the leader', async () => {
    const appendsTo = new Map<MemberId, number>();
    let leader: MemberId | null = null;
    let proposed = 0;
    let leaderSyncsAtStart = 0;
    const waiting = new Map<number, () => void>();
    startCores((message) => {
      if (message.type !== 'Append' || message.entries.length === 0) return;
      leader = message.from;
      appendsTo.set(message.to, (appendsTo.get(message.to) ?? 0) + 1);
    }, (id, index) => {
      if (id === leader) waiting.get(index)?.();
    });
    const elected = await new Promise<MemberId>((resolve) => {
      const poll = (): void => {
        const found = ids.find((id) => cores.get(id)?.loop.status().soft.role === 'LEADER');
        if (found === undefined) setTimeout(poll, 5);
        else resolve(found);
      };
      poll();
    });
    const core = cores.get(elected);
    if (core === undefined) throw new Error('leader vanished');
    leader = elected;
    leaderSyncsAtStart = core.storage.syncs;
    appendsTo.clear();
    const thinkPrng = new Prng(99);
    const client = async (): Promise<void> => {
      while (proposed < WRITES) {
        proposed += 1;
        const result = core.loop.propose(new Uint8Array(100));
        if (!result.ok) throw new Error(`refused: ${result.reason}`);
        await new Promise<void>((resolve) => waiting.set(result.index, resolve));
        // Clients answer and send again at scattered times, as a driver's connections do.
        await new Promise((resolve) => setTimeout(resolve, thinkPrng.int(2 * SYNC_MS)));
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    const syncs = core.storage.syncs - leaderSyncsAtStart;
    const followers = ids.filter((id) => id !== elected);
    for (const id of followers) {
      const appends = appendsTo.get(id) ?? 0;
      // Writes came in batches: far fewer fsyncs than writes. Sending each turn's proposals at
      // once made it 4-5 Appends per fsync here; holding them makes it about one.
      expect(syncs).toBeLessThan(WRITES / 4);
      expect(appends / syncs).toBeLessThan(1.5);
    }
  });
});
