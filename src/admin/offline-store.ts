/**
 * The graph of a stopped database, rebuilt the way the server rebuilds it at start (newest
 * snapshot that verifies, then every log entry after it) but without writing to the folder:
 * dump, check-consistency and restore read stores they must not change.
 *
 * A database folder is `<data>/databases/<name>/` with `log/`, `snapshots/`, and either
 * `store-id` (standalone) or `cluster/cluster-id` (a cluster member).
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AssertionFailed } from '../assert.js';
import { UserStore } from '../auth/user-store.js';
import { GraphStateMachine } from '../db/state-machine.js';
import { QuiverError } from '../errors/quiver-error.js';
import { readSnapshot, writeSnapshot } from '../graph/snapshot.js';
import type { GraphStore } from '../graph/store.js';
import { SnapshotStore } from '../log/index.js';
import { readLogEntries } from './log-reader.js';

export interface InitialPassword {
  readonly password: string;
  readonly changeRequired: boolean;
}

export interface RecoveredStore {
  readonly store: GraphStore;
  /** Users and roles as snapshot records (the snapshot header's `system`). */
  readonly system: unknown[];
  /** Log index (and its term) the graph stands at. */
  readonly index: number;
  readonly term: number;
  readonly storeId: string | null;
}

export interface RecoverOptions {
  /**
   * The password the server gives user neo4j when no user record exists yet: the first user
   * change in the log is applied on top of that default user, as the server does.
   */
  readonly initialPassword: InitialPassword;
  readonly logger?: (line: string) => void;
}

/** Record bytes per batch read from the log during replay. */
const REPLAY_BATCH_BYTES = 16 * 1024 * 1024;

export async function isDatabaseDirectory(dir: string): Promise<boolean> {
  for (const part of ['log', 'snapshots']) {
    if (await stat(join(dir, part)).then((s) => s.isDirectory(), () => false)) return true;
  }
  return false;
}

export async function recoverOffline(dir: string, options: RecoverOptions):
  Promise<RecoveredStore> {
  if (!await isDatabaseDirectory(dir)) {
    throw new QuiverError('DatabaseNotFound', `database does not exist: ${dir}`);
  }
  const logger = options.logger ?? (() => undefined);
  const users = new UserStore(options.initialPassword);
  const machine = new GraphStateMachine();
  machine.onSystemRecords = (records) => users.apply(records);
  const snapshots = await SnapshotStore.open(join(dir, 'snapshots'), { logger });
  const snap = await snapshots.latest();
  let term = 0;
  try {
    if (snap !== null) {
      const { store, header } = readSnapshot(snap.data);
      machine.replaceStore(store);
      users.restore(header.system);
      term = snap.meta.term;
    }
    for await (const batch of readLogEntries({ dir: join(dir, 'log'),
      fromIndex: machine.appliedIndex + 1, toIndex: null, batchBytesMax: REPLAY_BATCH_BYTES })) {
      for (const entry of batch) machine.apply(entry);
      term = batch[batch.length - 1]?.term ?? term;
    }
  } catch (thrown) {
    throw asDamage(dir, thrown);
  }
  return { store: machine.store, system: users.snapshot(), index: machine.appliedIndex, term,
    storeId: await readStoreId(dir) };
}

/** A store the server would refuse or crash on is damaged, whatever part of it gave way. */
function asDamage(dir: string, thrown: unknown): QuiverError {
  if (thrown instanceof QuiverError && thrown.code.includes('StorageDamageDetected')) return thrown;
  const why = thrown instanceof Error ? thrown.message : String(thrown);
  const what = thrown instanceof AssertionFailed ? 'an impossible change' : 'unreadable data';
  return new QuiverError('StorageDamageDetected', `${dir}: ${what} (${why})`);
}

export async function readStoreId(dir: string): Promise<string | null> {
  for (const file of ['store-id', join('cluster', 'cluster-id')]) {
    const text = await readFile(join(dir, file), 'utf8').then((t) => t.trim(), () => '');
    if (text.length > 0) return text;
  }
  return null;
}

/** Snapshot bytes of a recovered store, in the format the server recovers from. */
export function* snapshotOf(recovered: RecoveredStore): Generator<Uint8Array> {
  const view = recovered.store.openView();
  try {
    yield* writeSnapshot(recovered.store, view, recovered.system);
  } finally {
    view.close();
  }
}
