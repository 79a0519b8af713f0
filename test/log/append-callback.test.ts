import { describe, expect, it } from 'vitest';
import { QuiverError } from '../../src/errors/quiver-error.js';
import { SegmentedLog } from '../../src/log/index.js';
import type { LogEntry } from '../../src/log/index.js';
import { entry, plain, segmentNames, tempDir } from './helpers.js';

/** appendThen as a promise of the error it was called back with (null: durable). */
function appendCalledBack(log: SegmentedLog, list: readonly LogEntry[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const refusal = log.appendThen(list, resolve);
    if (refusal !== null) reject(new Error(`refused: ${String(refusal)}`));
  });
}

describe('SegmentedLog.appendThen (the commit path without promises)', () => {
  it('calls back once, after the entries are durable, in append order', async () => {
    const dir = await tempDir();
    const log = await SegmentedLog.open(dir);
    const order: number[] = [];
    const calls = [1, 2, 3].map(async (index) => {
      const error = await appendCalledBack(log, [entry(index)]);
      order.push(index);
      return error;
    });
    expect(await Promise.all(calls)).toEqual([null, null, null]);
    expect(order).toEqual([1, 2, 3]);
    await log.close();
    const again = await SegmentedLog.open(dir);
    expect(plain(again.read(1, 4))).toEqual(plain([entry(1), entry(2), entry(3)]));
    await again.close();
  });

  it('returns a refusal instead of calling back, and the log goes on', async () => {
    const log = await SegmentedLog.open(await tempDir(), { entryBytesMax: 100 });
    let calledBack = 0;
    const big: LogEntry = { index: 1, term: 1, kind: 'normal', data: new Uint8Array(101) };
    const refusal = log.appendThen([big], () => calledBack++);
    expect(refusal).toBeInstanceOf(QuiverError);
    expect((refusal as QuiverError).code).toBe('Neo.ClientError.Request.Invalid');
    expect(log.lastIndex()).toBe(0);
    expect(await appendCalledBack(log, [entry(1)])).toBeNull();
    expect(calledBack).toBe(0);
    expect(log.lastIndex()).toBe(1);
    await log.close();
  });

  it('keeps every commit across preallocation steps and segment rolls', async () => {
    // 3 KiB records and 2.5 MiB segments: commits written in place, commits that must first
    // grow the file, and commits that open a new segment, all in one run.
    const dir = await tempDir();
    const log = await SegmentedLog.open(dir, { segmentBytesMax: 2.5 * 1024 * 1024 });
    const data = (index: number): Uint8Array => new Uint8Array(3000).fill(index % 251);
    const written: LogEntry[] = [];
    for (let index = 1; index <= 2000; index += 4) {
      const group = [0, 1, 2, 3].map((k) => ({
        index: index + k, term: 1, kind: 'normal' as const, data: data(index + k),
      }));
      written.push(...group);
      const errors = await Promise.all(group.map((e) => appendCalledBack(log, [e])));
      expect(errors.every((e) => e === null)).toBe(true);
    }
    expect(log.stats().fsyncs).toBeLessThan(log.stats().appends);
    await log.close();
    expect((await segmentNames(dir)).length).toBeGreaterThan(1);
    const again = await SegmentedLog.open(dir);
    expect([again.firstIndex(), again.lastIndex()]).toEqual([1, 2000]);
    for (let from = 1; from <= 2000; from += 250) {
      expect(plain(again.read(from, from + 250, 1 << 30))).toEqual(
        plain(written.slice(from - 1, from + 249)));
    }
    await again.close();
  });
});
