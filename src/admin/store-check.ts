/**
 * check-consistency's three subjects, a stopped database folder, a dump archive and a backup
 * folder, brought to one report: damage that stops the graph from being read is one problem;
 * otherwise the graph goes through checkStoreConsistency.
 */
import { QuiverError } from '../errors/quiver-error.js';
import { readSnapshot } from '../graph/snapshot.js';
import type { GraphStore } from '../graph/store.js';
import { recoverBackup } from './backup-restore.js';
import { checkStoreConsistency, type ConsistencyReport } from './consistency-check.js';
import { readDumpArchive } from './dump-archive.js';
import { recoverOffline, type InitialPassword } from './offline-store.js';

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

/** A backup folder: every file against the manifest, then the graph it replays to. */
export async function checkBackupDirectory(dir: string): Promise<CheckOutcome> {
  try {
    const { recovered } = await recoverBackup(dir, CHECK_PASSWORD);
    return checked(recovered.store, []);
  } catch (thrown) {
    return damagedOutcome(thrown);
  }
}
