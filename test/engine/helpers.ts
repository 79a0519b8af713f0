/** Shared by the engine tests: throw-away database folders and small query shorthands. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { Database } from '../../src/db/database.js';
import type { Value } from '../../src/graph/values.js';

const made: string[] = [];

/** A fresh folder for one database, removed after the test. */
export async function tempDbDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'quiver-engine-'));
  made.push(dir);
  return dir;
}

afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** The single value of a one-row, one-column result. */
export async function scalar(db: Database, query: string,
  params: Record<string, unknown> = {}): Promise<Value> {
  const { records } = await db.run(query, params);
  if (records.length !== 1 || records[0]?.length !== 1) {
    throw new Error(`expected one value from ${query}, got ${records.length} rows`);
  }
  return records[0][0] ?? null;
}

/** The first column of every row. */
export async function column(db: Database, query: string,
  params: Record<string, unknown> = {}): Promise<Value[]> {
  const { records } = await db.run(query, params);
  return records.map((r) => r[0] ?? null);
}
