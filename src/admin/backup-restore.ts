/**
 * Restore: a verified backup folder becomes a stopped database. Every file has been checked
 * against the manifest's checksums, the snapshot against its own and every log record against
 * its own, so the backup's snapshot bytes and the log entries after it are installed as they
 * are: nothing is decoded into a graph and encoded again, which made a restore as slow as two
 * server starts. Cores restored from one backup get the same snapshot and log, so they seed a
 * cluster together (docs/decisions/0013). `check-consistency --backup` is the deep check.
 */
import { join } from 'node:path';
import { QuiverError } from '../errors/quiver-error.js';
import { SnapshotStore, type LogEntry } from '../log/index.js';
import { openVerifiedBackup, type BackupManifest } from './backup-folder.js';
import { readLogEntries } from './log-reader.js';
import { recoverOffline, type InitialPassword, type RecoveredStore } from './offline-store.js';
import { installDatabase, refuseExisting } from './store-install.js';

/** Record bytes per batch copied from the backup's log into the restored one. */
const TAIL_BATCH_BYTES = 16 * 1024 * 1024;

/** The graph a backup stands for, once its files were verified against `manifest`. */
export async function recoverVerifiedBackup(dir: string, manifest: BackupManifest,
  initialPassword: InitialPassword): Promise<RecoveredStore> {
  const recovered = await recoverOffline(dir, { initialPassword });
  if (recovered.index !== manifest.lastIndex) {
    throw new QuiverError('StorageDamageDetected', `The backup in ${dir} is damaged: it replays ` +
      `to log index ${recovered.index}, its manifest says ${manifest.lastIndex}`);
  }
  return recovered;
}

export interface RestoreRequest {
  readonly from: string;
  readonly dbDir: string;
  readonly force: boolean;
  readonly initialPassword: InitialPassword;
}

export async function restoreBackup(request: RestoreRequest): Promise<BackupManifest> {
  await refuseExisting(request.dbDir, request.force);
  const manifest = await openVerifiedBackup(request.from);
  const snapshot = await backupSnapshot(request.from, manifest);
  await installDatabase({ dbDir: request.dbDir, index: manifest.snapshotIndex,
    term: snapshot?.term ?? 0, storeId: manifest.storeId, snapshot: snapshot?.data ?? [],
    logTail: logTail(request.from, manifest), force: request.force });
  return manifest;
}

/** The backup's snapshot (verified against its own checksums), null when it has none. */
export async function backupSnapshot(dir: string, manifest: BackupManifest):
  Promise<{ term: number; data: Uint8Array[] } | null> {
  if (manifest.snapshotIndex === 0) return null;
  const stored = await (await SnapshotStore.open(join(dir, 'snapshots'))).latest();
  if (stored?.meta.index !== manifest.snapshotIndex) {
    throw damaged(dir, `its snapshot is not at log index ${manifest.snapshotIndex}`);
  }
  return { term: stored.meta.term, data: [stored.data] };
}

/** The backup's entries after its snapshot, each record verified as it is read. */
async function* logTail(dir: string, manifest: BackupManifest): AsyncGenerator<LogEntry[]> {
  if (manifest.lastIndex === manifest.snapshotIndex) return;
  let last = manifest.snapshotIndex;
  for await (const batch of readLogEntries({ dir: join(dir, 'log'),
    fromIndex: manifest.snapshotIndex + 1, toIndex: manifest.lastIndex,
    batchBytesMax: TAIL_BATCH_BYTES })) {
    last = batch[batch.length - 1]?.index ?? last;
    yield batch;
  }
  if (last !== manifest.lastIndex) {
    throw damaged(dir, `its log ends at index ${last}, its manifest says ${manifest.lastIndex}`);
  }
}

function damaged(dir: string, why: string): QuiverError {
  return new QuiverError('StorageDamageDetected', `The backup in ${dir} is damaged: ${why}`);
}
