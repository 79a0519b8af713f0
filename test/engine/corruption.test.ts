/**
 * Damaged files under a database folder: what open() does with a flipped byte at the log's tail
 * (a torn write: cut it, keep the rest), inside the log (refuse, naming the file), in the newest
 * snapshot (fall back to the previous one and the log), and with foreign files in the log folder.
 */
import { readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.js';
import { decodeRecord } from '../../src/log/record-codec.js';
import { segmentFileName } from '../../src/log/segment-file.js';
import { column, tempDbDir } from './helpers.js';

const ENTRY_BYTES_MAX = 64 * 1024 * 1024;

/** A database holding nodes (:Item {n}) for n in 1..count, one transaction (log entry) each. */
async function databaseWithItems(count: number): Promise<string> {
  const dir = await tempDbDir();
  const db = await Database.open(dir);
  await addItems(db, 1, count);
  await db.close();
  return dir;
}

async function addItems(db: Database, from: number, to: number): Promise<void> {
  for (let n = from; n <= to; n++) await db.run('CREATE (:Item {n: $n})', { n });
}

async function items(db: Database): Promise<number[]> {
  return (await column(db, 'MATCH (i:Item) RETURN i.n ORDER BY i.n')).map(Number);
}

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The only segment of a young log, and the byte offset where each of its records starts. */
async function segmentRecords(dir: string): Promise<{ path: string; offsets: number[] }> {
  const path = join(dir, 'log', segmentFileName(1));
  const bytes = await readFile(path);
  const offsets: number[] = [];
  for (let offset = 0; offset < bytes.length;) {
    const decoded = decodeRecord(bytes, offset, ENTRY_BYTES_MAX);
    if (!decoded.ok) throw new Error(`${path}: ${decoded.reason} at ${offset}`);
    offsets.push(offset);
    offset += decoded.bytes;
  }
  return { path, offsets };
}

/** Flips every bit of the byte at `offset`. */
async function flipByte(path: string, offset: number): Promise<void> {
  const bytes = await readFile(path);
  bytes[offset] = (bytes[offset] ?? 0) ^ 0xff;
  await writeFile(path, bytes);
}

function collectLines(): { lines: string[]; logger: (line: string) => void } {
  const lines: string[] = [];
  return { lines, logger: (line) => lines.push(line) };
}

describe('damaged database files', () => {
  it('cuts a damaged last log record and opens with everything before it', async () => {
    const dir = await databaseWithItems(10);
    const { path, offsets } = await segmentRecords(dir);
    await flipByte(path, (offsets[offsets.length - 1] ?? 0) + 40);
    const { lines, logger } = collectLines();
    const db = await Database.open(dir, { logger });
    expect(await items(db)).toEqual(range(1, 9));
    expect(lines.join('\n')).toContain('Truncated torn log tail');
    // The log continues where it was cut, and the next reopen sees the new commit.
    await addItems(db, 100, 100);
    await db.close();
    const again = await Database.open(dir);
    expect(await items(again)).toEqual([...range(1, 9), 100]);
    await again.close();
  });

  it('refuses to open on a damaged record inside the log, naming the file', async () => {
    const dir = await databaseWithItems(10);
    const { path, offsets } = await segmentRecords(dir);
    await flipByte(path, (offsets[4] ?? 0) + 40);
    const opening = Database.open(dir);
    await expect(opening).rejects.toMatchObject({
      code: 'Neo.DatabaseError.General.StorageDamageDetected',
      message: expect.stringContaining(path),
    });
  });

  it('falls back to the previous snapshot and the log when the newest is truncated', async () => {
    const dir = await tempDbDir();
    const db = await Database.open(dir);
    await addItems(db, 1, 5);
    const older = await db.snapshot();
    await addItems(db, 6, 10);
    const newer = await db.snapshot();
    await addItems(db, 11, 15);
    await db.close();
    expect(newer).toBeGreaterThan(older);
    const snapshots = (await readdir(join(dir, 'snapshots'))).sort();
    expect(snapshots).toHaveLength(2);
    const newest = join(dir, 'snapshots', snapshots[1] ?? '');
    const { size } = await stat(newest);
    await truncate(newest, Math.floor(size / 2));
    const { lines, logger } = collectLines();
    const reopened = await Database.open(dir, { logger });
    expect(await items(reopened)).toEqual(range(1, 15));
    expect(lines.join('\n')).toMatch(/Snapshot .* is damaged/);
    expect(lines.join('\n')).toContain(newest);
    await reopened.close();
  });

  it('ignores a file in the log folder that is not a segment, and says so', async () => {
    const dir = await databaseWithItems(3);
    const stray = join(dir, 'log', 'notes.txt');
    await writeFile(stray, Buffer.from([0x51, 0x56, 0x4c, 0x31, 0xde, 0xad, 0xbe, 0xef]));
    const { lines, logger } = collectLines();
    const db = await Database.open(dir, { logger });
    expect(await items(db)).toEqual(range(1, 3));
    expect(lines.join('\n')).toContain(`Ignoring unexpected file ${stray}`);
    await db.close();
  });

  it('refuses garbage that is named like a log segment, naming the file', async () => {
    const dir = await databaseWithItems(3);
    const fake = join(dir, 'log', segmentFileName(4));
    await writeFile(fake, Buffer.from('this is not a log segment, just some bytes\n'));
    await expect(Database.open(dir)).rejects.toMatchObject({
      code: 'Neo.DatabaseError.General.StorageDamageDetected',
      message: expect.stringContaining(fake),
    });
  });

  it('keeps refusing a damaged log rather than serving a partial graph', async () => {
    const dir = await databaseWithItems(6);
    const { path, offsets } = await segmentRecords(dir);
    await flipByte(path, (offsets[1] ?? 0) + 12); // the kind byte of the second record
    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(Database.open(dir)).rejects.toMatchObject({
        code: 'Neo.DatabaseError.General.StorageDamageDetected' });
    }
    // Refusing must not have cut the log: the records after the damage are still on disk.
    expect((await readFile(path)).length).toBeGreaterThan(offsets[5] ?? 0);
  });
});
