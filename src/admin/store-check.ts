/**
 * check-consistency's three subjects, a stopped database folder, a dump archive and a backup
 * folder, brought to one report: damage that stops the graph from being read is one problem;
 * otherwise the graph goes through checkStoreConsistency, or, for a backup that is one
 * snapshot with no log entries after it, through the one-pass snapshot check.
 */
import { join } from 'node:path';
import { QuiverError } from '../errors/quiver-error.js';
import { readSnapshot } from '../graph/snapshot.js';
import type { GraphStore } from '../graph/store.js';
import { openVerifiedBackup, type BackupManifest } from './backup-folder.js';
import { backupSnapshot, recoverVerifiedBackup } from './backup-restore.js';
import { checkStoreConsistency, type ConsistencyReport } from './consistency-check.js';
import { readDumpArchive } from './dump-archive.js';
import { LogEntriesGone, readLogEntries } from './log-reader.js';
import { recoverOffline, type InitialPassword } from './offline-store.js';
import { checkSnapshotBytes, type SnapshotChecker } from './snapshot-check.js';

export interface CheckOutcome extends ConsistencyReport {
  /** Log index the checked graph stands at (0 when it could not be read). */
  readonly index: number;
}

const PROBLEMS_MAX = 1000;
/** Only shapes the default user of a store without user records; the check ignores users. */
const CHECK_PASSWORD = { password: 'neo4j', changeRequired: true };

function damagedOutcome(thrown: unknown): CheckOutcome {
  if (!(thrown instanceof QuiverError)) throw thrown;
  return { problems: [thrown.message], problemsUnlisted: 0, nodeCount: 0, relationshipCount: 0,
    index: 0 };
}

function checked(store: GraphStore, warnings: readonly string[]): CheckOutcome {
  const report = checkStoreConsistency(store, PROBLEMS_MAX);
  return { ...report, problems: [...warnings, ...report.problems], index: store.version };
}

export async function checkDatabaseDirectory(dir: string, initialPassword: InitialPassword):
  Promise<CheckOutcome> {
  const warnings: string[] = [];
  try {
    const recovered = await recoverOffline(dir, { initialPassword,
      logger: (line) => warnings.push(line) });
    return checked(recovered.store, warnings);
  } catch (thrown) {
    return damagedOutcome(thrown);
  }
}

export async function checkDumpArchive(file: string): Promise<CheckOutcome> {
  try {
    const { snapshot } = await readDumpArchive(file);
    let store: GraphStore;
    try {
      store = readSnapshot(snapshot).store;
    } catch (error) {
      throw new QuiverError('StorageDamageDetected', `${file}: the graph does not read back ` +
        `(${error instanceof Error ? error.message : String(error)})`);
    }
    return checked(store, []);
  } catch (thrown) {
    return damagedOutcome(thrown);
  }
}

export interface BackupCheckInputs {
  /**
   * A checker that was pushed the snapshot as the backup received it. It stands for the stored
   * snapshot when it saw as many bytes as the stored one holds: the stored snapshot's checksum,
   * verified here, was computed over those same pieces as they were written.
   */
  readonly streamed?: SnapshotChecker;
  /**
   * The manifest this process has just computed from the folder's files (sealBackup): the
   * files are not read against it a second time. Absent, the manifest is read and verified.
   */
  readonly sealed?: BackupManifest;
}

/** A backup folder: every file against the manifest, then the graph it replays to. */
export async function checkBackupDirectory(dir: string, inputs: BackupCheckInputs = {}):
  Promise<CheckOutcome> {
  try {
    const manifest = inputs.sealed ?? await openVerifiedBackup(dir);
    const snapshotOnly = await checkSnapshotOnly(dir, manifest, inputs.streamed);
    if (snapshotOnly !== null) return snapshotOnly;
    return checked((await recoverVerifiedBackup(dir, manifest, CHECK_PASSWORD)).store, []);
  } catch (thrown) {
    return damagedOutcome(thrown);
  }
}

/**
 * The snapshot check of a backup that is a snapshot and nothing after it; null when the backup
 * needs its log replayed (or its snapshot is in the older format), which only a store can do.
 */
async function checkSnapshotOnly(dir: string, manifest: BackupManifest,
  streamed: SnapshotChecker | undefined): Promise<CheckOutcome | null> {
  if (manifest.snapshotIndex === 0 || await hasEntriesAfter(dir, manifest.snapshotIndex)) {
    return null;
  }
  const snapshot = await backupSnapshot(dir, manifest);
  const data = snapshot?.data[0];
  if (data === undefined) return null;
  const report = streamed !== undefined && streamed.bytesPushed === data.length
    ? streamed.finish() : checkSnapshotBytes(data, PROBLEMS_MAX);
  if (report === null) return null;
  if (report.problems.length === 0 && report.index !== manifest.lastIndex) {
    return damagedOutcome(new QuiverError('StorageDamageDetected', `The backup in ${dir} is ` +
      `damaged: it stands at log index ${report.index}, its manifest says ${manifest.lastIndex}`));
  }
  return report;
}

/** True also when the log does not continue the snapshot: replaying it reports how. */
async function hasEntriesAfter(dir: string, index: number): Promise<boolean> {
  try {
    for await (const batch of readLogEntries({ dir: join(dir, 'log'), fromIndex: index + 1,
      toIndex: null, batchBytesMax: 1 })) {
      if (batch.length > 0) return true;
    }
  } catch (error) {
    if (error instanceof LogEntriesGone) return true;
    throw error;
  }
  return false;
}
