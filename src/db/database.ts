/**
 * The embedded database: `await Database.open(dir)` recovers the graph (newest good snapshot,
 * then the log after it) and accepts transactions. The servers and cluster members run exactly
 * this, with a different Replicator when they are part of a cluster.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QuiverError, toQuiverError } from '../errors/quiver-error.js';
import { MemoryPool, prepareQuery, type PreparedQuery } from '../cypher/index.js';
import { builtinProcedures, type ProcedureRegistry } from '../cypher/procedures.js';
import { readSnapshot, writeSnapshot } from '../graph/snapshot.js';
import { StatisticsCache } from '../graph/statistics.js';
import type { Value } from '../graph/values.js';
import { SegmentedLog, SnapshotStore } from '../log/index.js';
import type { AccessMode, BeginOptions, ResultSummary } from './api.js';
import { requiredIndex, UNBOUND_STORE_ID } from './bookmark.js';
import { isWriteConflict } from './conflict-retry.js';
import { DatabaseCore } from './database-core.js';
import { LocalReplicator } from './local-replicator.js';
import { fromJs } from './js-values.js';
import { NotReadyReplicator, type Replicator } from './replicator.js';
import { GraphStateMachine } from './state-machine.js';
import type { EmbeddedClusterOptions } from '../cluster/embedded-member.js';
import { turnOffPretenuring } from './pretenuring.js';
import { newStoreId, Transaction } from './transaction.js';

export interface DatabaseOptions {
  /** Database name reported to clients and in bookmarks. */
  readonly name?: string;
  /** LOAD CSV reads file:/// URLs only below this folder; null disables file access. */
  readonly importDir?: string | null;
  /** Take a snapshot and compact the log after this many entries. */
  readonly snapshotEveryEntries?: number;
  readonly bookmarkReadyTimeoutMs?: number;
  readonly logger?: (line: string) => void;
  /** State of layers above the graph (users and roles) carried in ChangeSets and snapshots. */
  readonly system?: SystemState;
  /** Makes this database a member of a Raft cluster (see src/cluster/embedded-member.ts). */
  readonly cluster?: EmbeddedClusterOptions;
  /** db.transaction.timeout: a transaction still running after this fails; null = never. */
  readonly transactionTimeoutMs?: number | null;
  /** db.memory.transaction.max: what one transaction may hold; null = unlimited. */
  readonly transactionBytesMax?: number | null;
  /** dbms.memory.transaction.total.max: what all transactions together may hold. */
  readonly transactionTotalBytesMax?: number | null;
}

export interface SystemState {
  apply(records: readonly unknown[]): void;
  snapshot(): unknown[];
  restore(records: readonly unknown[]): void;
}

export interface QueryResult {
  readonly keys: readonly string[];
  readonly records: Value[][];
  readonly summary: ResultSummary;
  readonly bookmark: string;
  /** Records as objects keyed by column name. */
  rows(): Record<string, Value>[];
}

const AUTO_COMMIT_ATTEMPTS_MAX = 50;

export class Database {
  private snapshotting: Promise<void> | null = null;
  private readonly closeHooks: (() => Promise<void>)[] = [];
  private lastSnapshotIndex = 0;
  private closed = false;
  private readonly memoryPool: MemoryPool;
  /** Planner estimates shared by every transaction of this database. */
  private readonly statistics = new StatisticsCache();

  private constructor(
    readonly core: DatabaseCore,
    private readonly log: SegmentedLog | null,
    private readonly snapshots: SnapshotStore | null,
    private readonly options: DatabaseOptions,
  ) {
    this.memoryPool = new MemoryPool(options.transactionTotalBytesMax ?? null);
    turnOffPretenuring();
  }

  /** Opens (creating if needed) a database in `dir`, or an in-memory one when dir is null. */
  static async open(dir: string | null = null, options: DatabaseOptions = {}): Promise<Database> {
    const machine = new GraphStateMachine();
    const system = options.system;
    if (system) machine.onSystemRecords = (records) => system.apply(records);
    const procedures = builtinProcedures();
    const name = options.name ?? 'neo4j';
    if (options.cluster && dir !== null) {
      // Loaded on demand: the cluster layer sits above this one and imports it.
      const { openEmbeddedMember } = await import('../cluster/embedded-member.js');
      return openEmbeddedMember(dir, options, options.cluster,
        (m, storeId) => Database.forMember(m, { ...options, storeId }));
    }
    if (dir === null) {
      const core = new DatabaseCore(name, newStoreId(), machine,
        new LocalReplicator(machine, null), procedures, options.importDir ?? null);
      return new Database(core, null, null, options);
    }
    await mkdir(dir, { recursive: true });
    const storeId = await readOrCreateStoreId(dir);
    const { log, snapshots, snapshotIndex } = await recover(dir, machine, options);
    const core = new DatabaseCore(name, storeId, machine, new LocalReplicator(machine, log),
      procedures, options.importDir ?? null);
    const db = new Database(core, log, snapshots, options);
    db.lastSnapshotIndex = snapshotIndex;
    return db;
  }

  /**
   * A database whose log lives elsewhere (a cluster member's Raft log): the caller restores the
   * state machine and supplies the replicator once the member has joined its cluster.
   */
  static forMember(machine: GraphStateMachine, options: DatabaseOptions & { storeId: string }):
    Database {
    const system = options.system;
    if (system) machine.onSystemRecords = (records) => system.apply(records);
    const core = new DatabaseCore(options.name ?? 'neo4j', options.storeId, machine,
      new NotReadyReplicator(), builtinProcedures(), options.importDir ?? null);
    return new Database(core, null, null, options);
  }

  get procedures(): ProcedureRegistry {
    return this.core.procedures;
  }

  get storeId(): string {
    return this.core.storeId;
  }

  /** Swaps in a cluster's replicator: the same engine becomes a cluster member. */
  useReplicator(replicator: Replicator): void {
    this.core.replicator = replicator;
    replicator.onLeadershipChange(() => this.core.resetAfterLeadershipChange());
  }

  /** Starts a transaction after waiting for its bookmarks to be applied here. */
  async begin(options: BeginOptions = {}): Promise<Transaction> {
    this.assertOpen();
    const bookmarks = options.bookmarks ?? [];
    const unbound = this.core.storeId === UNBOUND_STORE_ID;
    const needed = requiredIndex(bookmarks, this.core.storeId);
    // Already applied is the common case: no wait, not even a promise's.
    if (needed > this.core.machine.store.version) {
      await this.core.machine.waitForApplied(needed,
        this.options.bookmarkReadyTimeoutMs ?? 30_000);
    }
    // A member that joined after the write binds to its cluster's id before it applies
    // anything: now its store id tells whether the bookmarks were its cluster's.
    if (unbound) requiredIndex(bookmarks, this.core.storeId);
    return this.startTransaction(options.mode ?? 'WRITE', options);
  }

  private assertOpen(): void {
    if (this.closed) throw new QuiverError('DatabaseUnavailable', 'The database is closed.');
  }

  private startTransaction(mode: AccessMode, options: BeginOptions): Transaction {
    const timeoutMs = options.timeoutMs ?? this.options.transactionTimeoutMs ?? null;
    const tx = new Transaction(this.core, mode, options.user ?? 'neo4j', options.metadata, {
      deadlineMs: timeoutMs === null || timeoutMs <= 0 ? null : Date.now() + timeoutMs,
      bytesMax: this.options.transactionBytesMax ?? null, pool: this.memoryPool,
      clock: Date.now,
    }, this.statistics);
    this.core.transactions.add(tx);
    return tx;
  }

  /**
   * Runs one statement in its own transaction and returns all records. A commit that conflicts
   * with a concurrent one is retried (the statement is re-run on the newer version), so
   * read-modify-write statements lose no update. A statement that cannot write runs in a READ
   * transaction: it needs no commit-gate start and no write layer (decision 0032).
   */
  async run(query: string, params: Record<string, unknown> | ReadonlyMap<string, Value> = {}):
    Promise<QueryResult> {
    this.assertOpen();
    const values = isValueMap(params) ? params : valuesOf(params);
    const prepared = prepare(query, values);
    const mode: AccessMode = prepared.isWrite ? 'WRITE' : 'READ';
    for (let attempt = 1; ; attempt++) {
      const tx = this.startTransaction(mode, {});
      try {
        const result = tx.runPrepared(prepared, values);
        const records: Value[][] = [];
        for (let r = result.next(); r !== null; r = result.next()) records.push(r);
        const { bookmark } = await tx.commit();
        this.maybeSnapshot();
        return new BufferedResult(result.fields, records, result.summary(), bookmark);
      } catch (e) {
        await tx.rollback();
        if (!isWriteConflict(e) || attempt >= AUTO_COMMIT_ATTEMPTS_MAX) throw e;
        await this.core.gate.settled();
      }
    }
  }

  /** Snapshot + compaction once enough entries piled up since the last one. */
  maybeSnapshot(): void {
    const every = this.options.snapshotEveryEntries ?? 100_000;
    const applied = this.core.machine.appliedIndex;
    if (!this.snapshots || this.snapshotting || applied - this.lastSnapshotIndex < every) return;
    this.snapshotting = this.snapshot().then(() => undefined)
      .finally(() => { this.snapshotting = null; });
  }

  /** Writes a snapshot of the current version and drops the log segments it covers. */
  async snapshot(): Promise<number> {
    if (!this.snapshots || !this.log) return 0;
    const store = this.core.machine.store;
    const view = store.openView();
    try {
      await this.snapshots.save(
        { index: view.version, term: this.core.machine.lastAppliedTerm, config: null },
        writeSnapshot(store, view, this.options.system?.snapshot() ?? []));
    } finally {
      view.close();
    }
    // Only up to the previous snapshot: if this one is found damaged at the next open, recovery
    // falls back to the previous one and needs the log entries after it.
    const previous = this.lastSnapshotIndex;
    if (previous > 0) await this.log.compactPrefix(previous + 1);
    this.lastSnapshotIndex = view.version;
    return view.version;
  }

  /** Runs when the database closes, before its replicator (a cluster member stops here). */
  onClose(hook: () => Promise<void>): void {
    this.closeHooks.push(hook);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.snapshotting;
    for (const hook of this.closeHooks) await hook();
    await this.core.replicator.close();
  }
}

async function readOrCreateStoreId(dir: string): Promise<string> {
  const file = join(dir, 'store-id');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    // Written aside and renamed, so a crash during the first open never leaves it empty.
    const id = newStoreId();
    await writeFile(`${file}.tmp`, `${id}\n`, { flush: true });
    await rename(`${file}.tmp`, file);
    return id;
  }
}

/** Newest snapshot that verifies, then every log entry after it, in order. */
async function recover(dir: string, machine: GraphStateMachine, options: DatabaseOptions):
  Promise<{ log: SegmentedLog; snapshots: SnapshotStore; snapshotIndex: number }> {
  const logger = options.logger ?? (() => undefined);
  const snapshots = await SnapshotStore.open(join(dir, 'snapshots'), { logger });
  const log = await SegmentedLog.open(join(dir, 'log'), { logger });
  const snap = await snapshots.latest();
  let snapshotIndex = 0;
  if (snap) {
    const { store, header } = readSnapshot(snap.data);
    machine.replaceStore(store);
    options.system?.restore(header.system);
    snapshotIndex = snap.meta.index;
  }
  if (log.firstIndex() > snapshotIndex + 1 && log.lastIndex() >= log.firstIndex()) {
    throw new QuiverError('StorageDamageDetected',
      `${join(dir, 'log')}: the log starts at entry ${log.firstIndex()} but the newest valid ` +
      `snapshot ends at ${snapshotIndex}; entries in between are missing. Restore from a backup.`);
  }
  for (let from = snapshotIndex + 1; from <= log.lastIndex(); ) {
    const batch = log.read(from, Math.min(log.lastIndex() + 1, from + 1000));
    if (batch.length === 0) {
      throw new QuiverError('StorageDamageDetected', `log entry ${from} unreadable`);
    }
    for (const e of batch) machine.apply(e);
    from += batch.length;
  }
  return { log, snapshots, snapshotIndex };
}

function isValueMap(params: Record<string, unknown> | ReadonlyMap<string, Value>):
  params is ReadonlyMap<string, Value> {
  return params instanceof Map;
}

function valuesOf(params: Record<string, unknown>): Map<string, Value> {
  const values = new Map<string, Value>();
  for (const key in params) {
    if (Object.hasOwn(params, key)) values.set(key, fromJs(params[key]));
  }
  return values;
}

/** Parses and plans (or finds the cached plan); any failure reaches the caller with a code. */
function prepare(query: string, values: ReadonlyMap<string, Value>): PreparedQuery {
  try {
    return prepareQuery(query, values);
  } catch (e) {
    throw toQuiverError(e);
  }
}

/** A class, not an object with a closure: one is made for every statement db.run runs. */
class BufferedResult implements QueryResult {
  constructor(readonly keys: readonly string[], readonly records: Value[][],
    readonly summary: ResultSummary, readonly bookmark: string) {}

  rows(): Record<string, Value>[] {
    return this.records.map((r) => Object.fromEntries(this.keys.map((k, i) => [k, r[i] ?? null])));
  }
}
