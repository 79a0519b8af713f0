/**
 * The torn-log fault against the real durable log: a torn record left after the last whole one
 * must be what the log's recovery calls a torn tail (cut, reported, every entry kept), and
 * cutting into the last whole record must lose exactly that entry.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SegmentedLog } from '../../src/log/index.js';
import { RECORD_MAGIC_BYTES } from '../../src/log/record-codec.js';
import { cutLastRecord, newestSegment, wholeRecords, writeTornRecord } from './log-tail.js';

const ENTRIES = 5;
let home: string | null = null;

afterEach(() => {
  if (home !== null) fs.rmSync(home, { recursive: true, force: true });
  home = null;
});

/** A member home whose log holds entries 1..ENTRIES, closed as after a clean stop. */
async function memberHome(): Promise<{ dir: string; logDir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quiver-log-tail-'));
  home = dir;
  const logDir = path.join(dir, 'data', 'databases', 'neo4j', 'log');
  fs.mkdirSync(logDir, { recursive: true });
  const log = await SegmentedLog.open(logDir);
  await log.append(Array.from({ length: ENTRIES }, (_, i) => ({ index: i + 1, term: 1,
    kind: 'normal' as const, data: Buffer.from(`entry ${i + 1}`) })));
  await log.close();
  return { dir, logDir };
}

describe('the torn-log fault', () => {
  it('leaves a torn tail that recovery cuts, keeping every whole entry', async () => {
    const { dir, logDir } = await memberHome();
    const segment = newestSegment(dir)!;
    const before = wholeRecords(segment);
    const partial = Buffer.concat([RECORD_MAGIC_BYTES, Buffer.from([7, 7, 7, 7, 7])]);
    expect(writeTornRecord(segment, partial)).toBe(before.end);
    expect(fs.statSync(segment).size).toBe(before.end + partial.length);
    const lines: string[] = [];
    const log = await SegmentedLog.open(logDir, { logger: (line) => lines.push(line) });
    try {
      expect(log.lastIndex()).toBe(ENTRIES);
      expect(lines.join('\n')).toMatch(/torn log tail/i);
    } finally {
      await log.close();
    }
  });

  it('cutting into the last whole record loses that entry and no other', async () => {
    const { dir, logDir } = await memberHome();
    expect(cutLastRecord(newestSegment(dir)!, 3)).toBe(3);
    const log = await SegmentedLog.open(logDir, { logger: () => undefined });
    try {
      expect(log.lastIndex()).toBe(ENTRIES - 1);
    } finally {
      await log.close();
    }
  });
});
