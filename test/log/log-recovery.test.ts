import { appendFile, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QuiverError } from '../../src/errors/quiver-error.js';
import { SegmentedLog } from '../../src/log/index.js';
import { entries, plain, segmentNames, tempDir } from './helpers.js';

const SEGMENT_BYTES_MAX = 1024;

/** A closed log of entries 1..count in small segments; returns its folder and segment paths. */
async function writtenLog(count: number): Promise<{ dir: string; segments: string[] }> {
  const dir = await tempDir();
  const log = await SegmentedLog.open(dir, { segmentBytesMax: SEGMENT_BYTES_MAX });
  for (let index = 1; index <= count; index += 5) await log.append(entries(index, index + 4));
  await log.close();
  return { dir, segments: (await segmentNames(dir)).map((name) => join(dir, name)) };
}

async function openLogged(dir: string): Promise<{ log: SegmentedLog; lines: string[] }> {
  const lines: string[] = [];
  const log = await SegmentedLog.open(dir, {
    segmentBytesMax: SEGMENT_BYTES_MAX, logger: (line) => lines.push(line),
  });
  return { log, lines };
}

async function flipByte(path: string, offset: number): Promise<void> {
  const bytes = await readFile(path);
  bytes[offset]! ^= 0x5a;
  await writeFile(path, bytes);
}

/** Where the record of `index` starts in a segment: its data follows the 32-byte header. */
async function recordOffset(path: string, index: number): Promise<number> {
  const bytes = await readFile(path);
  const text = `entry-${index}:`;
  return bytes.indexOf(text) - 32;
}

async function openError(dir: string): Promise<QuiverError> {
  const error: unknown = await SegmentedLog.open(dir).then(
    async (log) => { await log.close(); return null; },
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(QuiverError);
  return error as QuiverError;
}

describe('log recovery at open', () => {
  it('cuts a record torn in the middle of the last segment and reports it', async () => {
    const { dir, segments } = await writtenLog(40);
    const last = segments[segments.length - 1]!;
    await truncate(last, (await stat(last)).size - 7);
    const { log, lines } = await openLogged(dir);
    expect(log.lastIndex()).toBe(39);
    expect(lines.join('\n')).toMatch(/Truncated torn log tail at index 40 in .*\.seg/);
    expect(plain(log.read(1, 40))).toEqual(plain(entries(1, 39)));
    await log.append(entries(40, 41, 2));
    await log.close();
    const { log: again, lines: quiet } = await openLogged(dir);
    expect([again.lastIndex(), again.termAt(41), quiet]).toEqual([41, 2, []]);
    await again.close();
  });

  it('cuts garbage bytes after the last whole record', async () => {
    const { dir, segments } = await writtenLog(40);
    await appendFile(segments[segments.length - 1]!, Buffer.from('\x00\xffgarbage after a crash'));
    const { log, lines } = await openLogged(dir);
    expect(log.lastIndex()).toBe(40);
    expect(lines.join('\n')).toMatch(/Truncated torn log tail at index 41/);
    await log.close();
  });

  it('cuts the last record when one of its bytes flipped', async () => {
    const { dir, segments } = await writtenLog(40);
    const last = segments[segments.length - 1]!;
    await flipByte(last, (await recordOffset(last, 40)) + 40);
    const { log, lines } = await openLogged(dir);
    expect(log.lastIndex()).toBe(39);
    expect(lines.join('\n')).toMatch(/index 40 .*checksum mismatch/);
    await log.close();
  });
});

describe('log recovery refusing damage', () => {
  it('refuses to open when a record in the middle of the last segment is damaged', async () => {
    const { dir, segments } = await writtenLog(40);
    const last = segments[segments.length - 1]!;
    await flipByte(last, (await recordOffset(last, 38)) + 40);
    const error = await openError(dir);
    expect(error.code).toBe('Neo.DatabaseError.General.StorageDamageDetected');
    expect(error.message).toContain(last);
    expect(error.message).toMatch(/checksum mismatch at offset \d+ \(index 38\); the log is /);
    expect(error.message).toMatch(/before its tail; restore from backup or a cluster member$/);
  });

  it('refuses to open when a record of an earlier segment is damaged', async () => {
    const { dir, segments } = await writtenLog(60);
    expect(segments.length).toBeGreaterThan(2);
    const first = segments[0]!;
    await flipByte(first, (await recordOffset(first, 3)) + 12);
    const error = await openError(dir);
    expect(error.message).toContain(first);
    expect(error.message).toMatch(/\(index 3\); the log is damaged before its tail/);
  });

  it('refuses to open when an earlier segment lost its tail', async () => {
    const { dir, segments } = await writtenLog(60);
    await truncate(segments[0]!, (await stat(segments[0]!)).size - 3);
    const error = await openError(dir);
    expect(error.message).toContain(segments[0]!);
  });

  it('refuses a damaged length field when whole records follow it', async () => {
    const { dir, segments } = await writtenLog(40);
    const last = segments[segments.length - 1]!;
    await flipByte(last, (await recordOffset(last, 37)) + 10); // high byte of the length
    const error = await openError(dir);
    expect(error.message).toMatch(/index 37/);
  });
});

describe('log recovery of foreign files', () => {
  it('refuses a segment-named file that the log never wrote, naming it', async () => {
    const { dir } = await writtenLog(20);
    const garbage = join(dir, '00000000000000000021.seg');
    await writeFile(garbage, Buffer.from('not a log at all, just some text someone left here'));
    const error = await openError(dir);
    expect(error.message).toBe(`${garbage}: not a log segment (no record at its start); ` +
      'move it out of the log folder or restore from backup');
  });

  it('refuses a garbage segment-named file placed among real segments', async () => {
    const { dir } = await writtenLog(20);
    await writeFile(join(dir, '00000000000000000002.seg'), Buffer.from('garbage'));
    const error = await openError(dir);
    expect(error.message).toMatch(/00000000000000000002\.seg: starts at index 2 .* gap/);
  });

  it('treats an empty newest segment left by a crash at rollover as empty', async () => {
    const { dir } = await writtenLog(20);
    await writeFile(join(dir, '00000000000000000021.seg'), new Uint8Array(0));
    const { log, lines } = await openLogged(dir);
    expect([log.lastIndex(), lines]).toEqual([20, []]);
    await log.append(entries(21, 22));
    await log.close();
  });

  it('reports a gap between segments', async () => {
    const { dir, segments } = await writtenLog(60);
    await rm(segments[1]!);
    const error = await openError(dir);
    expect(error.message).toMatch(/gap/);
    expect(error.message).toContain(segments[2]!);
  });

  it('detects damage that appears after open when the entry is read from disk', async () => {
    const { dir, segments } = await writtenLog(20);
    const log = await SegmentedLog.open(dir);
    await flipByte(segments[0]!, (await recordOffset(segments[0]!, 2)) + 40);
    expect(() => log.read(1, 5)).toThrow(/checksum mismatch .*\(index 2\) while reading/);
    await log.close();
  });
});
