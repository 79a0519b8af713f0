import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { LogEntry } from '../../src/log/index.js';

const made: string[] = [];

/** A fresh folder, removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'quiver-log-'));
  made.push(dir);
  return dir;
}

afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Data that depends only on the index, with varying lengths, so any mix-up shows. */
export function dataFor(index: number): Uint8Array {
  return new TextEncoder().encode(`entry-${index}:${'x'.repeat(index % 37)}`);
}

export function entry(index: number, term = 1): LogEntry {
  return { index, term, kind: 'normal', data: dataFor(index) };
}

export function entries(from: number, to: number, term = 1): LogEntry[] {
  const out: LogEntry[] = [];
  for (let index = from; index <= to; index++) out.push(entry(index, term));
  return out;
}

export async function segmentNames(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.seg')).sort();
}

/** Comparable form: Uint8Array views of different buffers compare by content. */
export function plain(list: readonly LogEntry[]): object[] {
  return list.map((e) => ({ ...e, data: Buffer.from(e.data).toString('latin1') }));
}
