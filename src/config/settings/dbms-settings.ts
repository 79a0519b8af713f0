/**
 * Security, directories, transactions, memory and the handful of Neo4j settings that are
 * accepted without effect (JVM and service options a copied neo4j.conf carries).
 */
import type { ConfigDraft, Directory } from '../config-draft.js';
import { InvalidSettingValue } from '../config-error.js';
import { parseBoolean, parseByteSize, parseDurationMs } from '../value-parsers.js';
import { ignoredSetting, setting, type Setting } from './define-setting.js';
import { SECURITY_SETTINGS } from './security-settings.js';

function directory(names: readonly string[], which: Directory): Setting {
  return setting(names, (raw) => {
    const text = raw.trim();
    if (text === '') throw new InvalidSettingValue('a directory cannot be empty');
    return text;
  }, (draft, dir) => {
    draft.directories[which] = dir;
  });
}

/** Zero means "no limit", as in Neo4j. */
function optionalDurationMs(raw: string): number | null {
  const ms = parseDurationMs(raw);
  return ms === 0 ? null : ms;
}

function optionalBytes(raw: string): number | null {
  const bytes = parseByteSize(raw);
  return bytes === 0 ? null : bytes;
}

type MemoryField = keyof ConfigDraft['memory'];

function memory(names: readonly string[], field: MemoryField): Setting {
  return setting(names, optionalBytes, (draft, bytes) => {
    draft.memory[field] = bytes;
  });
}

function databaseName(raw: string): string {
  const name = raw.trim();
  if (!/^[A-Za-z][A-Za-z0-9.-]{2,62}$/.test(name)) {
    throw new InvalidSettingValue(`'${raw}' is not a valid database name`);
  }
  return name.toLowerCase();
}

const SECURITY_AND_DIRECTORIES: readonly Setting[] = [
  setting(['dbms.security.auth_enabled'], parseBoolean, (draft, on) => {
    draft.auth.enabled = on;
  }),
  setting(['dbms.security.causal_clustering_status_auth_enabled',
    'dbms.security.cluster_status_auth_enabled'], parseBoolean, (draft, on) => {
    draft.auth.clusterStatusAuthEnabled = on;
  }),
  directory(['dbms.directories.data', 'server.directories.data'], 'data'),
  directory(['dbms.directories.logs', 'server.directories.logs'], 'logs'),
  directory(['dbms.directories.import', 'server.directories.import'], 'import'),
  directory(['dbms.directories.run', 'server.directories.run'], 'run'),
  directory(['dbms.directories.certificates'], 'certificates'),
  ignoredSetting(['dbms.directories.plugins', 'server.directories.plugins',
    'dbms.directories.lib', 'server.directories.lib',
    'server.directories.licenses', 'dbms.directories.metrics', 'server.directories.metrics'],
  'QuiverDB has no plugins or separate library directories'),
  setting(['dbms.default_database', 'initial.dbms.default_database'], databaseName,
    (draft, name) => {
      draft.defaultDatabase = name;
    }),
  setting(['server.config.strict_validation.enabled', 'dbms.config.strict_validation'],
    parseBoolean, (draft, strict) => {
      draft.strictValidation = strict;
    }),
];

const TRANSACTIONS_AND_MEMORY: readonly Setting[] = [
  setting(['dbms.transaction.timeout', 'db.transaction.timeout'], optionalDurationMs,
    (draft, timeoutMs) => {
      draft.transactionTimeoutMs = timeoutMs;
    }),
  setting(['dbms.transaction.bookmark_ready_timeout', 'db.transaction.bookmark_ready_timeout'],
    parseDurationMs, (draft, timeoutMs) => {
      if (timeoutMs < 1000) {
        throw new InvalidSettingValue('the bookmark ready timeout must be at least 1s');
      }
      draft.bookmarkReadyTimeoutMs = timeoutMs;
    }),
  memory(['dbms.memory.heap.initial_size', 'server.memory.heap.initial_size'], 'heapInitialBytes'),
  memory(['dbms.memory.heap.max_size', 'server.memory.heap.max_size'], 'heapMaxBytes'),
  memory(['dbms.memory.transaction.global_max_size', 'dbms.memory.transaction.total.max'],
    'transactionTotalBytesMax'),
  memory(['dbms.memory.transaction.max_size', 'db.memory.transaction.max'],
    'transactionBytesMax'),
  ignoredSetting(['dbms.jvm.additional', 'server.jvm.additional', 'dbms.windows_service_name',
    'server.windows_service_name', 'dbms.tx_log.rotation.retention_policy',
    'db.tx_log.rotation.retention_policy', 'dbms.allow_upgrade', 'dbms.active_database',
    'dbms.security.procedures.unrestricted', 'dbms.security.allow_csv_import_from_file_urls',
    'dbms.udc.enabled', 'dbms.logs.gc.enabled'],
  'it configures a part of Neo4j QuiverDB does not have'),
  ignoredSetting(['dbms.memory.pagecache.size', 'server.memory.pagecache.size'],
    'the graph is held in the heap, not paged in from disk'),
];

export const DBMS_SETTINGS: readonly Setting[] = [
  ...SECURITY_AND_DIRECTORIES, ...TRANSACTIONS_AND_MEMORY, ...SECURITY_SETTINGS,
];
