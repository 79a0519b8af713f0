import { readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QuiverError } from '../../src/errors/quiver-error.js';
import { openDurableState, SegmentedLog, SnapshotStore } from '../../src/log/index.js';
import { snapshotFileName } from '../../src/log/snapshot-store.js';
import { entries, tempDir } from './helpers.js';

const config = { voters: ['a', 'b', 'c'], learners: [] };

function bytes(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, k) => (k * 31 + seed) & 0xff);
}

async function* streamed(data: Uint8Array, chunkBytes: number): AsyncIterable<Uint8Array> {
  for (let at = 0; at < data.length; at += chunkBytes) yield data.subarray(at, at + chunkBytes);
}

async function openLogged(dir: string): Promise<{ store: SnapshotStore; lines: string[] }> {
  const lines: string[] = [];
  return { store: await SnapshotStore.open(dir, { logger: (line) => lines.push(line) }), lines };
}

describe('SnapshotStore', () => {
  it('has no snapshot at first', async () => {
    expect(await (await SnapshotStore.open(await tempDir())).latest()).toBeNull();
  });

  it('returns the newest snapshot saved from streamed chunks', async () => {
    const dir = await tempDir();
    const store = await SnapshotStore.open(dir);
    await store.save({ index: 10, term: 2, config }, [bytes(100, 1)]);
    const data = bytes(300_000, 2);
    await store.save({ index: 25, term: 3, config }, streamed(data, 4096));
    const latest = await (await SnapshotStore.open(dir)).latest();
    expect(latest?.meta).toEqual({ index: 25, term: 3, config });
    expect(Buffer.from(latest!.data).equals(Buffer.from(data))).toBe(true);
  });

  it('keeps only the newest two snapshots', async () => {
    const dir = await tempDir();
    const store = await SnapshotStore.open(dir);
    for (const index of [5, 9, 14, 20]) {
      await store.save({ index, term: 1, config }, [bytes(10, index)]);
    }
    expect((await readdir(dir)).sort()).toEqual([snapshotFileName(14, 1), snapshotFileName(20, 1)]);
  });
});

describe('SnapshotStore fallback', () => {
  it('falls back to the previous snapshot when the newest is truncated', async () => {
    const dir = await tempDir();
    const { store, lines } = await openLogged(dir);
    await store.save({ index: 10, term: 2, config }, [bytes(1000, 1)]);
    await store.save({ index: 20, term: 2, config }, [bytes(1000, 2)]);
    const newest = join(dir, snapshotFileName(20, 2));
    await truncate(newest, (await stat(newest)).size - 100);
    const latest = await store.latest();
    expect(latest?.meta.index).toBe(10);
    expect(Buffer.from(latest!.data).equals(Buffer.from(bytes(1000, 1)))).toBe(true);
    expect(lines).toEqual([expect.stringMatching(/Snapshot .*20-.*is damaged \(.*truncated/)]);
  });

  it('falls back when a data byte of the newest flipped, and says why', async () => {
    const dir = await tempDir();
    const { store, lines } = await openLogged(dir);
    await store.save({ index: 10, term: 2, config }, [bytes(1000, 1)]);
    await store.save({ index: 20, term: 2, config }, [bytes(1000, 2)]);
    const newest = join(dir, snapshotFileName(20, 2));
    const content = await readFile(newest);
    content[content.length - 10]! ^= 4;
    await writeFile(newest, content);
    expect((await store.latest())?.meta.index).toBe(10);
    expect(lines.join('\n')).toMatch(/data checksum mismatch\); falling back/);
  });

  it('returns null when no snapshot verifies, and ignores an interrupted save', async () => {
    const dir = await tempDir();
    const store = await SnapshotStore.open(dir);
    await store.save({ index: 10, term: 2, config }, [bytes(100, 1)]);
    await writeFile(join(dir, snapshotFileName(10, 2)), 'garbage');
    await writeFile(join(dir, `${snapshotFileName(30, 2)}.tmp`), 'half a snapshot');
    const reopened = await SnapshotStore.open(dir);
    expect(await reopened.latest()).toBeNull();
    expect(await readdir(dir)).toEqual([snapshotFileName(10, 2)]);
  });

  it('leaves no file behind when the chunk source fails', async () => {
    const dir = await tempDir();
    const store = await SnapshotStore.open(dir);
    async function* failing(): AsyncIterable<Uint8Array> {
      yield bytes(10, 1);
      throw new Error('state machine went away');
    }
    const saving = store.save({ index: 3, term: 1, config }, failing());
    await expect(saving).rejects.toThrow(/went away/);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('openDurableState', () => {
  it('refuses to open a compacted log with no valid snapshot', async () => {
    const home = await tempDir();
    const log = await SegmentedLog.open(join(home, 'log'), { segmentBytesMax: 400 });
    await log.append(entries(1, 60));
    await log.compactPrefix(40);
    await log.close();
    const error: unknown = await openDurableState(home).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(QuiverError);
    const { message } = error as QuiverError;
    expect(message).toMatch(/log: the log starts at index \d+ but no valid snapshot in /);
    expect(message).toMatch(/snapshots, so entries are missing; restore from backup/);
  });

  it('opens when the snapshot covers what the log compacted away', async () => {
    const home = await tempDir();
    const state = await openDurableState(home, { log: { segmentBytesMax: 400 } });
    await state.log.append(entries(1, 60));
    await state.snapshots.save({ index: 45, term: 1, config }, [bytes(10, 1)]);
    await state.log.compactPrefix(46);
    await state.hardState.save({ term: 1, vote: 'a', commit: 60 });
    await state.log.close();
    const again = await openDurableState(home, { log: { segmentBytesMax: 400 } });
    expect(again.snapshot?.meta.index).toBe(45);
    expect(again.log.firstIndex()).toBeLessThanOrEqual(46);
    expect(again.log.lastIndex()).toBe(60);
    expect(again.hardState.read()).toEqual({ term: 1, vote: 'a', commit: 60 });
    await again.log.close();
  });

  it('continues the log after the snapshot when the log is behind it', async () => {
    const home = await tempDir();
    const state = await openDurableState(home);
    await state.log.append(entries(1, 5));
    await state.snapshots.save({ index: 50, term: 3, config }, [bytes(10, 1)]);
    await state.log.close();
    const again = await openDurableState(home);
    expect([again.log.firstIndex(), again.log.lastIndex()]).toEqual([51, 50]);
    await again.log.append(entries(51, 52, 3));
    await again.log.close();
  });
});
