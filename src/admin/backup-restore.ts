/**
 * Restore: a verified backup folder becomes a stopped database. The backup's snapshot and log
 * are replayed into one graph and installed as a single snapshot with an empty log after it,
 * the same shape load and import produce, so a standalone server and a newly seeded cluster
 * member start from it alike (docs/decisions/0013).
 */
import { QuiverError } from '../errors/quiver-error.js';
import { openVerifiedBackup, type BackupManifest } from './backup-folder.js';
import {
  recoverOffline, snapshotOf, type InitialPassword, type RecoveredStore,
} from './offline-store.js';
import { installDatabase, refuseExisting } from './store-install.js';

/** Checks every file against the manifest, then rebuilds the graph the backup stands for. */
export async function recoverBackup(dir: string, initialPassword: InitialPassword):
  Promise<{ manifest: BackupManifest; recovered: RecoveredStore }> {
  const manifest = await openVerifiedBackup(dir);
  const recovered = await recoverOffline(dir, { initialPassword });
  if (recovered.index !== manifest.lastIndex) {
    throw new QuiverError('StorageDamageDetected', `The backup in ${dir} is damaged: it replays ` +
      `to log index ${recovered.index}, its manifest says ${manifest.lastIndex}`);
  }
  return { manifest, recovered };
}

export interface RestoreRequest {
  readonly from: string;
  readonly dbDir: string;
  readonly force: boolean;
  readonly initialPassword: InitialPassword;
}

export async function restoreBackup(request: RestoreRequest): Promise<BackupManifest> {
  await refuseExisting(request.dbDir, request.force);
  const { manifest, recovered } = await recoverBackup(request.from, request.initialPassword);
  await installDatabase({ dbDir: request.dbDir, index: recovered.index, term: recovered.term,
    storeId: manifest.storeId, snapshot: snapshotOf(recovered), force: request.force });
  return manifest;
}
