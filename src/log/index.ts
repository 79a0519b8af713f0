/** The durable log, hard state and snapshot files of a member (see docs/decisions/0005). */
export { SegmentedLog } from './segmented-log.js';
export type { LogDone } from './segmented-log.js';
export { HardStateFile } from './hard-state-file.js';
export type { HardStateRecord } from './hard-state-file.js';
export { SnapshotStore } from './snapshot-store.js';
export type { SnapshotMetaRecord, SnapshotStoreOptions, StoredSnapshot } from './snapshot-store.js';
export { openDurableState } from './durable-state.js';
export type { DurableState, DurableStateOptions } from './durable-state.js';
export { LOG_DEFAULTS } from './log-types.js';
export type {
  LogEntry, LogEntryKind, LogLine, LogStats, SegmentedLogOptions,
} from './log-types.js';
