import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AssertionFailed } from '../../src/assert.js';
import { QuiverError } from '../../src/errors/quiver-error.js';
import { SegmentedLog } from '../../src/log/index.js';
import type { LogEntry } from '../../src/log/index.js';
import { SYNC_WRITE_BYTES_MAX } from '../../src/log/segment-file.js';
import { entries, entry, plain, segmentNames, tempDir } from './helpers.js';

async function reopen(log: SegmentedLog, dir: string, segmentBytesMax?: number) {
  await log.close();
  return SegmentedLog.open(dir, segmentBytesMax === undefined ? {} : { segmentBytesMax });
}

describe('SegmentedLog', () => {
  it('starts empty with lastIndex 0 and firstIndex 1', async () => {
    const log = await SegmentedLog.open(await tempDir());
    expect([log.firstIndex(), log.lastIndex(), log.termAt(1)]).toEqual([1, 0, undefined]);
    await log.close();
  });

  it('returns after reopen exactly what was appended, with every kind', async () => {
    const dir = await tempDir();
    const log = await SegmentedLog.open(dir);
    const written: LogEntry[] = [
      { index: 1, term: 1, kind: 'noop', data: new Uint8Array(0) },
      { index: 2, term: 1, kind: 'config', data: Uint8Array.of(1, 2, 3) },
      ...entries(3, 50, 2),
      { index: 51, term: 2 ** 40, kind: 'normal', data: new Uint8Array(70_000).fill(7) },
    ];
    await log.append(written.slice(0, 10));
    await log.append(written.slice(10));
    const again = await reopen(log, dir);
    expect([again.firstIndex(), again.lastIndex()]).toEqual([1, 51]);
    expect(plain(again.read(1, 52))).toEqual(plain(written));
    expect(again.termAt(51)).toBe(2 ** 40);
    expect(again.termAt(3)).toBe(2);
    await again.close();
  });

  it('serves reads of entries still being written', async () => {
    const log = await SegmentedLog.open(await tempDir());
    const durable = log.append(entries(1, 5));
    expect(log.lastIndex()).toBe(5);
    expect(plain(log.read(2, 4))).toEqual(plain(entries(2, 3)));
    await durable;
    await log.close();
  });
});

describe('SegmentedLog segments and reads', () => {
  it('rolls over to a new segment named by its first index', async () => {
    const dir = await tempDir();
    const log = await SegmentedLog.open(dir, { segmentBytesMax: 1024 });
    for (let index = 1; index <= 100; index += 10) await log.append(entries(index, index + 9));
    const names = await segmentNames(dir);
    expect(names.length).toBeGreaterThan(3);
    expect(names[0]).toBe('00000000000000000001.seg');
    const again = await reopen(log, dir, 1024);
    expect(plain(again.read(1, 101))).toEqual(plain(entries(1, 100)));
    await again.close();
  });

  it('reads across segments and from disk after the cache is evicted', async () => {
    const dir = await tempDir();
    const log = await SegmentedLog.open(dir, { segmentBytesMax: 700, cacheBytesMax: 64 });
    await log.append(entries(1, 60));
    expect(plain(log.read(1, 61))).toEqual(plain(entries(1, 60)));
    expect(plain(log.read(17, 43))).toEqual(plain(entries(17, 42)));
    await log.close();
  });

  it('reopens and reads a segment of more entries than a call may take arguments', async () => {
    // A member of many small commits fills one 64 MiB segment with hundreds of thousands of
    // entries; spreading them into one call overflowed the stack and the member never started.
    const dir = await tempDir();
    const count = 300_000;
    const log = await SegmentedLog.open(dir);
    const tiny = (index: number): LogEntry =>
      ({ index, term: 1 + (index >> 17), kind: 'normal', data: Uint8Array.of(index & 255) });
    for (let from = 1; from <= count; from += 50_000) {
      await log.append(Array.from({ length: 50_000 }, (_, k) => tiny(from + k)));
    }
    const again = await reopen(log, dir);
    expect(await segmentNames(dir)).toHaveLength(1);
    expect([again.firstIndex(), again.lastIndex(), again.termAt(count)]).toEqual([1, count, 3]);
    const read = again.read(1, count + 1);
    expect(read).toHaveLength(count);
    expect(plain([read[count - 1] as LogEntry])).toEqual(plain([tiny(count)]));
    await again.close();
  });

  it('stops a read at bytesMax but always returns at least one entry', async () => {
    const log = await SegmentedLog.open(await tempDir(), { cacheBytesMax: 1 });
    await log.append(entries(1, 20));
    const some = log.read(1, 21, 200);
    expect(some.length).toBeGreaterThan(0);
    expect(some.length).toBeLessThan(20);
    expect(plain(some)).toEqual(plain(entries(1, some.length)));
    expect(log.read(5, 21, 1).map((e) => e.index)).toEqual([5]);
    await log.close();
  });
});

describe('SegmentedLog truncation', () => {
  it('keeps a truncated suffix gone across reopen and continues after it', async () => {
    const dir = await tempDir();
    const log = await SegmentedLog.open(dir, { segmentBytesMax: 600 });
    await log.append(entries(1, 40, 1));
    await log.truncateSuffix(12);
    expect(log.lastIndex()).toBe(11);
    await log.append(entries(12, 15, 2));
    const again = await reopen(log, dir, 600);
    expect(again.lastIndex()).toBe(15);
    expect(plain(again.read(1, 16))).toEqual(plain([...entries(1, 11, 1), ...entries(12, 15, 2)]));
    await again.close();
  });

  it('accepts an append right after a truncation without waiting for it', async () => {
    const dir = await tempDir();
    const log = await SegmentedLog.open(dir, { segmentBytesMax: 500 });
    const first = log.append(entries(1, 30, 1));
    const cut = log.truncateSuffix(8);
    const second = log.append(entries(8, 12, 3));
    expect(plain(log.read(6, 13))).toEqual(plain([...entries(6, 7, 1), ...entries(8, 12, 3)]));
    await Promise.all([first, cut, second]);
    const again = await reopen(log, dir, 500);
    expect(again.lastIndex()).toBe(12);
    expect(again.termAt(8)).toBe(3);
    expect(plain(again.read(1, 13))).toEqual(plain([...entries(1, 7, 1), ...entries(8, 12, 3)]));
    await again.close();
  });

  it('truncates everything back to its first index and starts again there', async () => {
    const dir = await tempDir();
    const log = await SegmentedLog.open(dir, { segmentBytesMax: 500 });
    await log.append(entries(1, 30));
    await log.truncateSuffix(1);
    expect([log.firstIndex(), log.lastIndex()]).toEqual([1, 0]);
    const again = await reopen(log, dir, 500);
    expect([again.firstIndex(), again.lastIndex()]).toEqual([1, 0]);
    await again.append(entries(1, 3, 4));
    expect(again.termAt(3)).toBe(4);
    await again.close();
  });
});

describe('SegmentedLog compaction', () => {
  it('compacts whole segments before an index, and that persists', async () => {
    const dir = await tempDir();
    const log = await SegmentedLog.open(dir, { segmentBytesMax: 512 });
    await log.append(entries(1, 80));
    const before = (await segmentNames(dir)).length;
    await log.compactPrefix(50);
    const first = log.firstIndex();
    expect(first).toBeGreaterThan(1);
    expect(first).toBeLessThanOrEqual(50);
    expect((await segmentNames(dir)).length).toBeLessThan(before);
    expect(log.termAt(first - 1)).toBeUndefined();
    const again = await reopen(log, dir, 512);
    expect([again.firstIndex(), again.lastIndex()]).toEqual([first, 80]);
    expect(plain(again.read(first, 81))).toEqual(plain(entries(first, 80)));
    await again.close();
  });

  it('empties the log and continues at the index when compacted past its end', async () => {
    const dir = await tempDir();
    const log = await SegmentedLog.open(dir, { segmentBytesMax: 512 });
    await log.append(entries(1, 30));
    await log.compactPrefix(101);
    expect([log.firstIndex(), log.lastIndex()]).toEqual([101, 100]);
    await log.append(entries(101, 103, 5));
    const again = await reopen(log, dir, 512);
    expect([again.firstIndex(), again.lastIndex()]).toEqual([101, 103]);
    expect(plain(again.read(101, 104))).toEqual(plain(entries(101, 103, 5)));
    await again.close();
  });
});

describe('SegmentedLog group commit', () => {
  it('writes concurrent appends with far fewer fsyncs (group commit)', async () => {
    const log = await SegmentedLog.open(await tempDir());
    const calls: Promise<void>[] = [];
    for (let index = 1; index <= 200; index++) calls.push(log.append([entry(index)]));
    await Promise.all(calls);
    const stats = log.stats();
    expect(stats.appends).toBe(200);
    expect(stats.entries).toBe(200);
    expect(stats.fsyncs).toBeLessThan(stats.appends / 10);
    expect(stats.bytes).toBeGreaterThan(200 * 32);
    await log.close();
  });

  it('writes a batch too large for the main thread through the pool, in order', async () => {
    const dir = await tempDir();
    const log = await SegmentedLog.open(dir);
    const huge: LogEntry = {
      index: 2, term: 1, kind: 'normal', data: new Uint8Array(SYNC_WRITE_BYTES_MAX + 1).fill(9),
    };
    await Promise.all([log.append([entry(1)]), log.append([huge]), log.append([entry(3)])]);
    const again = await reopen(log, dir);
    expect(plain(again.read(1, 4))).toEqual(plain([entry(1), huge, entry(3)]));
    await again.close();
  });

  it('shares a sync among appends made while another sync is in flight', async () => {
    const log = await SegmentedLog.open(await tempDir());
    let next = 1;
    const appender = async (): Promise<void> => {
      for (let k = 0; k < 20; k++) await log.append([entry(next++)]);
    };
    await Promise.all(Array.from({ length: 16 }, appender));
    expect(log.lastIndex()).toBe(320);
    expect(log.stats().fsyncs).toBeLessThan(log.stats().appends / 2);
    await log.close();
  });
});

describe('SegmentedLog limits and failures', () => {
  it('refuses an entry over entryBytesMax with a named error, changing nothing', async () => {
    const log = await SegmentedLog.open(await tempDir(), { entryBytesMax: 100 });
    const big = { index: 1, term: 1, kind: 'normal' as const, data: new Uint8Array(101) };
    await expect(log.append([big])).rejects.toThrow(/entryBytesMax 100/);
    await expect(log.append([big])).rejects.toBeInstanceOf(QuiverError);
    expect(log.lastIndex()).toBe(0);
    await log.append([entry(1)]);
    await log.close();
  });

  it('refuses appends once pendingBytesMax of unwritten data waits', async () => {
    const options = { entryBytesMax: 1000, pendingBytesMax: 2000 };
    const log = await SegmentedLog.open(await tempDir(), options);
    const blob = (index: number): LogEntry => ({
      index, term: 1, kind: 'normal', data: new Uint8Array(900),
    });
    const accepted = [log.append([blob(1)]), log.append([blob(2)])];
    await expect(log.append([blob(3)])).rejects.toThrow(/pendingBytesMax 2000/);
    await Promise.all(accepted);
    await log.append([blob(3)]);
    expect(log.lastIndex()).toBe(3);
    await log.close();
  });

  it('asserts contiguity and non-decreasing terms (caller bugs stop the member)', async () => {
    const log = await SegmentedLog.open(await tempDir());
    await log.append(entries(1, 3, 2));
    expect(() => log.append([entry(5, 2)])).toThrow(AssertionFailed);
    expect(() => log.append([entry(4, 1)])).toThrow(AssertionFailed);
    expect(() => log.truncateSuffix(9)).toThrow(AssertionFailed);
    await log.close();
  });

  it('stops after a failed write: the caller and every later call get the error', async () => {
    const dir = await tempDir();
    const lines: string[] = [];
    const logger = (line: string): number => lines.push(line);
    const log = await SegmentedLog.open(dir, { segmentBytesMax: 200, logger });
    await log.append(entries(1, 3));
    await rm(dir, { recursive: true });
    await expect(log.append(entries(4, 20))).rejects.toThrow(/ENOENT/);
    await expect(log.append(entries(21, 21))).rejects.toThrow(/ENOENT/);
    expect(lines.join('\n')).toMatch(/stopped after a failed write/);
    await log.close();
  });

  it('keeps only segment files in its folder', async () => {
    const dir = await tempDir();
    const log = await SegmentedLog.open(dir, { segmentBytesMax: 300 });
    await log.append(entries(1, 30));
    await log.close();
    expect((await readdir(dir)).every((name) => name.endsWith('.seg'))).toBe(true);
    await writeFile(join(dir, 'notes.txt'), 'hello');
    const lines: string[] = [];
    const again = await SegmentedLog.open(dir, { logger: (line) => lines.push(line) });
    expect(again.lastIndex()).toBe(30);
    expect(lines.join('\n')).toMatch(/Ignoring unexpected file .*notes\.txt/);
    await again.close();
  });
});
