/**
 * Everything a member keeps on disk, opened together so that the checks spanning the log and
 * the snapshots happen once: the log must continue where the newest valid snapshot ends.
 *
 *   <home>/log/        segment files
 *   <home>/snapshots/  snapshot files
 *   <home>/raft/       hard state (term, vote, commit)
 */
import { join } from 'node:path';
import { QuiverError } from '../errors/quiver-error.js';
import { HardStateFile } from './hard-state-file.js';
import type { LogLine, SegmentedLogOptions } from './log-types.js';
import { SegmentedLog } from './segmented-log.js';
import { SnapshotStore } from './snapshot-store.js';
import type { StoredSnapshot } from './snapshot-store.js';

export interface DurableState {
  readonly log: SegmentedLog;
  readonly hardState: HardStateFile;
  readonly snapshots: SnapshotStore;
  /** The newest valid snapshot, from which the state machine is rebuilt before log replay. */
  readonly snapshot: StoredSnapshot | null;
}

export interface DurableStateOptions {
  readonly log?: Omit<SegmentedLogOptions, 'logger'>;
  readonly snapshotBytesMax?: number;
  readonly logger?: LogLine;
}

export async function openDurableState(
  home: string,
  options: DurableStateOptions = {},
): Promise<DurableState> {
  const logger = options.logger ?? (() => undefined);
  const hardState = await HardStateFile.open(join(home, 'raft'));
  const { snapshotBytesMax } = options;
  const snapshots = await SnapshotStore.open(join(home, 'snapshots'),
    snapshotBytesMax === undefined ? { logger } : { logger, snapshotBytesMax });
  const snapshot = await snapshots.latest();
  const logDir = join(home, 'log');
  const log = await SegmentedLog.open(logDir, { ...options.log, logger });
  const coveredTo = snapshot === null ? 0 : snapshot.meta.index;
  if (log.firstIndex() > coveredTo + 1) {
    await log.close();
    const source = snapshot === null ? 'no valid snapshot' : `the newest valid snapshot ends at ` +
      `${coveredTo}`;
    throw new QuiverError('StorageDamageDetected', `${logDir}: the log starts at index ` +
      `${log.firstIndex()} but ${source} in ${join(home, 'snapshots')}, so entries are missing; ` +
      'restore from backup or a cluster member');
  }
  // A crash while a newer snapshot replaced the log can leave the log behind the snapshot:
  // continue the log right after the snapshot.
  if (log.lastIndex() < coveredTo) await log.compactPrefix(coveredTo + 1);
  return { log, hardState, snapshots, snapshot };
}
