import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalReplicator } from '../../src/db/local-replicator.js';
import { GraphStateMachine } from '../../src/db/state-machine.js';
import { QuiverError } from '../../src/errors/quiver-error.js';
import { SegmentedLog } from '../../src/log/index.js';

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function openLog(entryBytesMax: number): Promise<{ log: SegmentedLog; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'quiver-replicator-'));
  made.push(dir);
  return { log: await SegmentedLog.open(dir, { entryBytesMax }), dir };
}

// Empty entries apply as a bare version step, so these tests need no ChangeSet encoding.
const EMPTY = new Uint8Array(0);

describe('LocalReplicator', () => {
  it('resolves each commit with its index once it is durable and applied', async () => {
    const { log, dir } = await openLog(1000);
    const machine = new GraphStateMachine();
    const replicator = new LocalReplicator(machine, log);
    const indexes = await Promise.all([1, 2, 3].map(() => replicator.replicate(EMPTY)));
    expect(indexes).toEqual([1, 2, 3]);
    expect(machine.appliedIndex).toBe(3);
    await replicator.close();
    const reopened = await SegmentedLog.open(dir);
    expect(reopened.lastIndex()).toBe(3);
    await reopened.close();
  });

  it('fails only the commit the log refuses, and the next one takes its index', async () => {
    const { log } = await openLog(100);
    const machine = new GraphStateMachine();
    const replicator = new LocalReplicator(machine, log);
    expect(await replicator.replicate(EMPTY)).toBe(1);
    const refused = replicator.replicate(new Uint8Array(101));
    await expect(refused).rejects.toBeInstanceOf(QuiverError);
    await expect(refused).rejects.toMatchObject({ code: 'Neo.ClientError.Request.Invalid' });
    expect(replicator.canWrite()).toBe(true);
    expect(await replicator.replicate(EMPTY)).toBe(2);
    expect([machine.appliedIndex, log.lastIndex()]).toEqual([2, 2]);
    await replicator.close();
  });
});
