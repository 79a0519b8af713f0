/**
 * Installs a graph as a database folder that a server recovers from: one snapshot at the graph's
 * log index, a log that continues right after it (empty, or the entries a backup holds past its
 * snapshot), and the store id. load, restore and import all end here.
 *
 * The folder is built beside the target and renamed into place, so a crash leaves the old
 * database or the new one, never a mix. Everything of the old folder goes, its cluster binding
 * and member id too: a restored member is a new member (docs/decisions/0013).
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { assert } from '../assert.js';
import { QuiverError } from '../errors/quiver-error.js';
import { SegmentedLog, SnapshotStore, type LogEntry } from '../log/index.js';
import { ensureDir, fsyncDir } from '../log/durable-fs.js';
import { isDatabaseDirectory } from './offline-store.js';

export interface InstallRequest {
  /** `<data>/databases/<name>`. */
  readonly dbDir: string;
  /** Log index and term the graph stands at; 0 installs an empty database. */
  readonly index: number;
  readonly term: number;
  readonly storeId: string;
  /** Graph snapshot bytes (src/graph/snapshot.ts format); ignored when index is 0. */
  readonly snapshot: Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
  /** Entries from index + 1 on, in order, replayed by the server when it starts. */
  readonly logTail?: AsyncIterable<readonly LogEntry[]>;
  /** Replace an existing database. */
  readonly force: boolean;
}

export async function refuseExisting(dbDir: string, force: boolean): Promise<void> {
  if (!force && await isDatabaseDirectory(dbDir)) {
    throw new QuiverError('ExistingDatabaseFound',
      `database already exists: ${basename(dbDir)} (${dbDir}); use --force to replace it`);
  }
}

export async function installDatabase(request: InstallRequest): Promise<void> {
  const { dbDir, index, term } = request;
  assert(Number.isSafeInteger(index) && index >= 0, 'install index must be a count');
  assert(Number.isSafeInteger(term) && term >= 0, 'install term must be a count');
  await refuseExisting(dbDir, request.force);
  const building = `${dbDir}.installing`;
  await rm(building, { recursive: true, force: true });
  await ensureDir(building);
  if (index > 0) {
    const snapshots = await SnapshotStore.open(join(building, 'snapshots'));
    await snapshots.save({ index, term, config: null }, request.snapshot);
  }
  const log = await SegmentedLog.open(join(building, 'log'));
  // The server appends after its log's last index: the log must continue after the snapshot.
  try {
    if (index > 0) await log.compactPrefix(index + 1);
    for await (const entries of request.logTail ?? []) {
      assert(entries[0]?.index === log.lastIndex() + 1, 'install: the log tail must be contiguous');
      await log.append(entries);
    }
  } finally {
    await log.close();
  }
  await writeFile(join(building, 'store-id'), `${request.storeId}\n`, { flush: true });
  await fsyncDir(building);
  await swapInto(building, dbDir);
}

async function swapInto(building: string, dbDir: string): Promise<void> {
  const replaced = `${dbDir}.replaced`;
  await rm(replaced, { recursive: true, force: true });
  const hadOld = await rename(dbDir, replaced).then(() => true, () => false);
  await rename(building, dbDir);
  await fsyncDir(dirname(dbDir));
  if (hadOld) await rm(replaced, { recursive: true, force: true });
}
