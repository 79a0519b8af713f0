/**
 * Catchup between an upstream and replicas over real sockets in one process: committed
 * entries only, a snapshot when the replica's position is compacted away, wakes on commit
 * under ha.tx_push_factor taken in turn, and a new upstream when the current one goes away.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CatchupClient, type ReplicaStore } from '../../../src/cluster/catchup-client.js';
import type { CatchupEntry } from '../../../src/cluster/catchup-protocol.js';
import { CatchupServer, type CatchupSource } from '../../../src/cluster/catchup-server.js';
import type { MemberAdvert } from '../../../src/cluster/discovery.js';
import { realTimers } from '../../../src/cluster/timers.js';
import type { LogEntry } from '../../../src/log/index.js';
import { waitFor } from '../../helpers/cluster.js';

const QUIET = { info: () => undefined, warn: () => undefined };

/** An upstream's log of entries 1..lastIndex, applied up to `applied`, compacted below `first`. */
class MemorySource implements CatchupSource {
  entries: LogEntry[] = [];
  applied = 0;
  first = 1;

  add(count: number): void {
    for (let i = 0; i < count; i += 1) {
      const index = this.entries.length + 1;
      this.entries.push({ index, term: 1, kind: 'normal', data: Buffer.from(`e${index}`) });
    }
  }

  appliedIndex(): number {
    return this.applied;
  }

  firstIndex(): number {
    return this.first;
  }

  termAt(index: number): number | undefined {
    return this.entries[index - 1]?.term;
  }

  read(from: number, to: number): LogEntry[] {
    return this.entries.slice(from - 1, to - 1);
  }

  snapshot(): Promise<{ index: number; term: number; membership: unknown; data: Uint8Array }> {
    return Promise.resolve({ index: this.applied, term: 1, membership: null,
      data: Buffer.from(`snapshot@${this.applied}`) });
  }
}

class MemoryStore implements ReplicaStore {
  indexes: number[] = [];
  snapshots: number[] = [];
  private last = 0;

  lastIndex(): number {
    return this.last;
  }

  lastTerm(): number {
    return this.last === 0 ? 0 : 1;
  }

  append(entries: readonly CatchupEntry[]): Promise<string | null> {
    for (const e of entries) {
      if (e.index !== this.last + 1) return Promise.resolve(`gap at ${e.index}`);
      this.indexes.push(e.index);
      this.last = e.index;
    }
    return Promise.resolve(null);
  }

  install(snapshot: { index: number }): Promise<void> {
    this.snapshots.push(snapshot.index);
    this.last = snapshot.index;
    return Promise.resolve();
  }
}

function advert(id: string, port: number): MemberAdvert {
  return { memberId: id, clusterId: 'c1', mode: 'CORE', discoveryAddress: '', raftAddress: '',
    boltAddress: '', httpAddress: '', groups: [], role: 'FOLLOWER', leaderId: null, term: 1,
    appliedIndex: 0, catchupAddress: `127.0.0.1:${port}` };
}

const servers: CatchupServer[] = [];
const clients: CatchupClient[] = [];

async function serve(source: CatchupSource, pushFactor: number): Promise<[CatchupServer, number]> {
  const server = new CatchupServer({ host: '127.0.0.1', port: 0, clusterId: 'c1', source,
    pushFactor, log: QUIET });
  servers.push(server);
  return [server, await server.start()];
}

function replica(name: string, upstreams: () => MemberAdvert[], pullIntervalMs: number):
  MemoryStore {
  const store = new MemoryStore();
  const client = new CatchupClient({ selfId: name, clusterId: 'c1', pullIntervalMs, store,
    choose: ({ avoid }) => {
      const member = upstreams().find((m) => !avoid.has(m.memberId));
      return member === undefined ? null : { member, how: 'preferred', strategy: 'default' };
    },
    stillUsable: () => true, timers: realTimers, nowMs: Date.now, log: QUIET,
    onFatal: (e) => {
      throw e;
    } });
  clients.push(client);
  client.start();
  return store;
}

const until = (what: string, check: () => boolean): Promise<boolean> =>
  waitFor(what, () => Promise.resolve(check() ? true : null), 10_000);

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.stop()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('catchup', () => {
  it('serves committed entries only, never past what the upstream applied', async () => {
    const source = new MemorySource();
    source.add(8);
    source.applied = 5;
    const [, port] = await serve(source, 0);
    const store = replica('r1', () => [advert('up', port)], 60_000);
    await until('five entries', () => store.indexes.length === 5);
    expect(store.indexes).toEqual([1, 2, 3, 4, 5]);
    expect(store.snapshots).toEqual([]);
  });

  it('sends a snapshot when the position is compacted away, then the entries after it',
    async () => {
      const source = new MemorySource();
      source.add(10);
      source.applied = 7;
      source.first = 5;
      const [server, port] = await serve(source, 1);
      const store = replica('r1', () => [advert('up', port)], 60_000);
      await until('the snapshot', () => store.lastIndex() === 7);
      expect(store.snapshots).toEqual([7]);
      source.applied = 10;
      server.committed();
      await until('the entries after it', () => store.lastIndex() === 10);
      expect(store.indexes).toEqual([8, 9, 10]);
    });

  it('wakes pulling replicas in turn, push factor at a time', async () => {
    const source = new MemorySource();
    source.add(1);
    source.applied = 1;
    const [server, port] = await serve(source, 1);
    const stores = [replica('r1', () => [advert('up', port)], 60_000),
      replica('r2', () => [advert('up', port)], 60_000)];
    await until('both connected', () => stores.every((s) => s.lastIndex() === 1) &&
      server.servedReplicas().length === 2);
    // Each commit wakes one replica; the next commit wakes the other, which takes both.
    for (const index of [2, 3]) {
      source.add(1);
      source.applied = index;
      server.committed();
      await until(`a replica at ${index}`, () => stores.some((s) => s.lastIndex() === index));
    }
    await until('each woken once', () => stores.every((s) => s.lastIndex() >= 2));
    expect(stores.map((s) => s.lastIndex()).sort()).toEqual([2, 3]);
  });

  it('chooses another upstream when its upstream goes away, and goes on from where it was',
    async () => {
      const first = new MemorySource();
      first.add(3);
      first.applied = 3;
      const second = new MemorySource();
      second.add(6);
      second.applied = 6;
      const [gone, firstPort] = await serve(first, 1);
      const [, secondPort] = await serve(second, 1);
      const store = replica('r1', () => [advert('first', firstPort),
        advert('second', secondPort)], 60_000);
      await until('the first upstream\'s entries', () => store.lastIndex() === 3);
      await gone.close();
      await until('the second upstream\'s entries', () => store.lastIndex() === 6);
      expect(store.indexes).toEqual([1, 2, 3, 4, 5, 6]);
    });
});
