/**
 * The local side of a replica fed over catchup (src/cluster/catchup-replica.ts) on a real
 * durable log: pulled entries survive a restart, a tail a former Raft learner may not have
 * had committed is dropped and pulled again, and a snapshot replaces log and graph.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CatchupReplica } from '../../../src/cluster/catchup-replica.js';
import type { CatchupEntry } from '../../../src/cluster/catchup-protocol.js';
import { collectChunks } from '../../../src/cluster/snapshot-chunks.js';
import { GraphStateMachine } from '../../../src/db/state-machine.js';
import { readSnapshot, writeSnapshot } from '../../../src/graph/snapshot.js';
import { openDurableState, type DurableState } from '../../../src/log/index.js';

const QUIET = { info: () => undefined, warn: () => undefined };
const NO_USERS = { apply: () => undefined, snapshot: () => [], restore: () => undefined };

let home: string;
const opened: DurableState[] = [];

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'quiver-catchup-replica-'));
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((d) => d.log.close()));
  fs.rmSync(home, { recursive: true, force: true });
});

function noops(from: number, to: number): CatchupEntry[] {
  return Array.from({ length: to - from + 1 },
    (_, i) => ({ index: from + i, term: 2, kind: 'noop', data: new Uint8Array() }));
}

/** Opens the home as a replica would at start: snapshot first, then recover(). */
async function open(): Promise<{ replica: CatchupReplica; machine: GraphStateMachine;
  durable: DurableState }> {
  const durable = await openDurableState(home);
  opened.push(durable);
  const machine = new GraphStateMachine();
  const restore = (data: Uint8Array): void => machine.replaceStore(readSnapshot(data).store);
  if (durable.snapshot !== null) restore(durable.snapshot.data);
  const replica = new CatchupReplica({ durable, machine, system: NO_USERS, log: QUIET,
    snapshotThresholdEntries: null, apply: (e) => machine.apply(e), restore });
  await replica.recover();
  return { replica, machine, durable };
}

async function closeAll(): Promise<void> {
  await Promise.all(opened.splice(0).map((d) => d.log.close()));
}

describe('a replica fed over catchup', () => {
  it('keeps what it pulled across a restart and goes on from there', async () => {
    const first = await open();
    expect(await first.replica.append(noops(1, 5))).toBeNull();
    expect(first.machine.appliedIndex).toBe(5);
    await closeAll();
    const again = await open();
    expect(again.machine.appliedIndex).toBe(5);
    expect([again.replica.lastIndex(), again.replica.lastTerm()]).toEqual([5, 2]);
    expect(await again.replica.append(noops(7, 8))).toMatch(/not after 5/);
  });

  it('drops a tail not known to be committed (a former learner\'s)', async () => {
    const first = await open();
    await first.replica.append(noops(1, 3));
    await first.durable.log.append(noops(4, 6));
    await closeAll();
    const again = await open();
    expect(again.replica.lastIndex()).toBe(3);
    expect(again.durable.log.lastIndex()).toBe(3);
  });

  it('replaces log and graph by a snapshot', async () => {
    const upstream = new GraphStateMachine();
    for (const e of noops(1, 40)) upstream.apply(e);
    const view = upstream.store.openView();
    const data = await collectChunks(writeSnapshot(upstream.store, view, []));
    view.close();
    const first = await open();
    await first.replica.append(noops(1, 3));
    await first.replica.install({ index: 40, term: 2, membership: null, data });
    expect([first.machine.appliedIndex, first.replica.lastIndex()]).toEqual([40, 40]);
    expect(await first.replica.append(noops(41, 42))).toBeNull();
    await closeAll();
    const again = await open();
    expect(again.machine.appliedIndex).toBe(42);
  });
});
