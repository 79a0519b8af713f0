import { stat, writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SegmentedLog } from '../../src/log/index.js';
import { recordBytes } from '../../src/log/record-codec.js';
import { entries, plain, segmentNames, tempDir } from './helpers.js';

const SEGMENT_BYTES_MAX = 64 * 1024;

function bytesOf(from: number, to: number): number {
  return entries(from, to).reduce((sum, e) => sum + recordBytes(e), 0);
}

async function openLogged(dir: string): Promise<{ log: SegmentedLog; lines: string[] }> {
  const lines: string[] = [];
  const log = await SegmentedLog.open(dir, {
    segmentBytesMax: SEGMENT_BYTES_MAX, logger: (line) => lines.push(line),
  });
  return { log, lines };
}

describe('segment preallocation', () => {
  it('grows the open segment ahead of its records and trims it on close', async () => {
    const dir = await tempDir();
    const { log } = await openLogged(dir);
    await log.append(entries(1, 10));
    const [name] = await segmentNames(dir);
    const path = join(dir, name ?? '');
    expect((await stat(path)).size).toBe(SEGMENT_BYTES_MAX);
    await log.close();
    expect((await stat(path)).size).toBe(bytesOf(1, 10));
  });

  it('recovers every entry of a preallocated segment after a crash, reporting no torn tail',
    async () => {
      const dir = await tempDir();
      const { log: crashed } = await openLogged(dir);
      await crashed.append(entries(1, 20));
      // The first log is never closed: its folder is what a killed process leaves behind.
      const { log, lines } = await openLogged(dir);
      expect(log.lastIndex()).toBe(20);
      expect(plain(log.read(1, 21))).toEqual(plain(entries(1, 20)));
      expect(lines.filter((l) => l.includes('torn'))).toEqual([]);
      await log.append(entries(21, 25));
      await log.close();
      const { log: again } = await openLogged(dir);
      expect(plain(again.read(1, 26))).toEqual(plain(entries(1, 25)));
      await again.close();
    });

  it('cuts a torn record written over preallocated zeros', async () => {
    const dir = await tempDir();
    const { log: crashed } = await openLogged(dir);
    await crashed.append(entries(1, 5));
    const path = join(dir, (await segmentNames(dir))[0] ?? '');
    const bytes = await readFile(path);
    // Half a record header after the last record: a write that tore.
    bytes.write('QVL1', bytesOf(1, 5), 'latin1');
    await writeFile(path, bytes);
    const { log, lines } = await openLogged(dir);
    expect(log.lastIndex()).toBe(5);
    expect(lines.some((l) => l.includes('Truncated torn log tail at index 6'))).toBe(true);
    await log.close();
  });

  it('leaves a full segment holding exactly its records when the log moves on', async () => {
    const dir = await tempDir();
    const { log } = await openLogged(dir);
    let index = 1;
    while ((await segmentNames(dir)).length < 2) {
      await log.append(entries(index, index + 99));
      index += 100;
    }
    const [first, second] = await segmentNames(dir);
    const firstBytes = (await stat(join(dir, first ?? ''))).size;
    const secondFirstIndex = Number(second?.slice(0, 20));
    expect(firstBytes).toBe(bytesOf(1, secondFirstIndex - 1));
    await log.close();
  });
});
