/**
 * One transaction: a read view of one version, and for writes a private WriteTx layer over it.
 * Statements run lazily (the caller pulls records). Commit validates, replicates the ChangeSet and
 * waits until it is applied; a failed statement dooms the transaction, as in Neo4j.
 */
import { randomInt } from 'node:crypto';
import { QuiverError, toQuiverError } from '../errors/quiver-error.js';
import { encodeChangeSet, isEmptyChangeSet, type ChangeSet } from '../graph/changeset.js';
import type { ReadView } from '../graph/read-view.js';
import type { StatisticsCache } from '../graph/statistics.js';
import type { GraphReader, GraphWriter } from '../graph/types.js';
import { WriteTx } from '../graph/write-tx.js';
import type { Value } from '../graph/values.js';
import {
  executeQuery, prepareQuery, NO_LIMITS, TransactionBudget, type ExecutionContext,
  type PreparedQuery, type QueryCursor, type TransactionLimits,
} from '../cypher/index.js';
import type {
  AccessMode, CommitResult, ResultSummary, StreamingResult, TransactionHandle,
} from './api.js';
import { notALeaderError } from './replicator.js';
import type { DatabaseCore } from './database-core.js';

/** A user's privileges wrapped around what statements run against. */
type GraphGuard = (graph: GraphReader | GraphWriter) => GraphReader | GraphWriter;

type State = 'open' | 'failed' | 'terminated' | 'committing' | 'closed';

let transactionCounter = 0;

export class Transaction implements TransactionHandle {
  /** Numbers this transaction; its id text is built only when someone asks for it. */
  private readonly serial = ++transactionCounter;
  readonly startedAtMs: number;
  private state: State = 'open';
  private readonly view: ReadView;
  /**
   * Built on the first statement that writes: drivers begin even plain reads in WRITE mode, and
   * most of those never write. Until then statements read the view, which holds the same data.
   */
  private writer: WriteTx | null = null;
  /** What statements run against: the writer or view, or a user's privilege-checking wrapper. */
  private graph: GraphReader | GraphWriter;
  private guardGraph: GraphGuard | null = null;
  /**
   * Taken at begin with the view, even when the writer comes later: the commit must be checked
   * against everything validated after the version this transaction read (decision 0008).
   */
  private readonly gateStart: number;
  /** Deadline (db.transaction.timeout) and memory account (db.memory.transaction.max). */
  private readonly budget: TransactionBudget;
  private statementTimeMs: number;
  /** Results not yet pulled to the end: commit finishes them, as Neo4j does. */
  private unfinished = new Set<StreamingResult>();
  currentQuery = '';

  constructor(
    private readonly core: DatabaseCore,
    readonly mode: AccessMode,
    readonly user: string,
    readonly metadata: ReadonlyMap<string, Value> = new Map(),
    limits: TransactionLimits = NO_LIMITS,
    private readonly statistics: StatisticsCache | null = null,
  ) {
    this.budget = new TransactionBudget(limits);
    this.startedAtMs = Date.now();
    this.statementTimeMs = this.startedAtMs;
    this.view = core.machine.store.openView();
    this.graph = this.view;
    this.gateStart = mode === 'WRITE' ? core.gate.begin() : -1;
  }

  get id(): string {
    return `${this.core.name}-transaction-${this.serial}`;
  }

  /** Runs every statement through `guard` (a user's privileges); set before the first one. */
  restrictGraph(guard: GraphGuard): void {
    this.guardGraph = guard;
    this.graph = guard(this.writer ?? this.view);
  }

  /** The write layer, built on first use; null in a READ transaction. */
  private ensureWriter(): WriteTx | null {
    if (this.writer !== null || this.mode !== 'WRITE') return this.writer;
    const writer = new WriteTx(this.view, this.core.ids);
    this.writer = writer;
    this.graph = this.guardGraph === null ? writer : this.guardGraph(writer);
    return writer;
  }

  run(query: string, params: ReadonlyMap<string, Value> = new Map()): StreamingResult {
    this.assertOpen();
    this.currentQuery = query;
    let prepared: PreparedQuery;
    try {
      // A transaction past its deadline says so rather than what is wrong with the statement.
      this.budget.checkDeadline();
      prepared = prepareQuery(query, params);
    } catch (e) {
      throw this.failWith(e);
    }
    return this.runPrepared(prepared, params);
  }

  /** Runs a statement already prepared (Database.run prepares first to choose the mode). */
  runPrepared(prepared: PreparedQuery, params: ReadonlyMap<string, Value>): StreamingResult {
    this.assertOpen();
    this.currentQuery = prepared.text;
    try {
      this.budget.checkDeadline();
      if (prepared.isWrite) this.checkWritable();
      this.statementTimeMs = Date.now();
      const context: ExecutionContext = {
        graph: this.graph, params, procedures: this.core.procedures,
        statementTimeMs: this.statementTimeMs, random: Math.random,
        importDir: this.core.importDir, budget: this.budget,
      };
      if (this.statistics !== null) context.statistics = this.statistics;
      return this.guard(executeQuery(prepared, context));
    } catch (e) {
      throw this.failWith(e);
    }
  }

  /** Throws unless this transaction may write now; returns its write layer. */
  private checkWritable(): WriteTx {
    const writer = this.ensureWriter();
    if (writer === null) {
      throw new QuiverError('AccessMode',
        'Writing in read access mode not allowed. Attempted write to internal graph 0 (neo4j)');
    }
    if (!this.core.replicator.canWrite()) throw notALeaderError(this.core.replicator.role());
    return writer;
  }

  /** Commits records of a layer above the graph (users and roles) with this transaction. */
  addSystemRecords(records: readonly unknown[]): void {
    this.assertOpen();
    this.checkWritable().systemRecords.push(...records);
  }

  /** Any failure while pulling dooms the transaction. */
  private guard(cursor: QueryCursor): StreamingResult {
    const result = new GuardedResult(cursor, this);
    this.unfinished.add(result);
    return result;
  }

  /** For GuardedResult: checks the state before each pull. */
  beforePull(): void {
    this.assertOpen();
  }

  /** For GuardedResult: the result is exhausted. */
  resultEnded(result: StreamingResult): void {
    this.unfinished.delete(result);
  }

  /** For GuardedResult: pulling failed, which dooms the transaction; returns what to throw. */
  resultFailed(result: StreamingResult, e: unknown): QuiverError {
    this.unfinished.delete(result);
    return this.failWith(e);
  }

  private failWith(e: unknown): QuiverError {
    const error = toQuiverError(e);
    if (this.state === 'open') this.state = 'failed';
    return error;
  }

  /** TERMINATE TRANSACTIONS: the next statement, pull or commit fails; rollback still works. */
  terminate(): void {
    if (this.state === 'open' || this.state === 'failed') this.state = 'terminated';
  }

  get status(): string {
    return this.state === 'terminated' ? 'Terminated' : this.state === 'committing' ? 'Committing'
      : 'Running';
  }

  private assertOpen(): void {
    if (this.state === 'terminated') {
      throw new QuiverError('Terminated', 'The transaction has been terminated. Retry your ' +
        'operation in a new transaction, and you should see a successful result. ' +
        'Explicitly terminated by the user.');
    }
    if (this.state === 'failed') {
      throw new QuiverError('Terminated',
        'The transaction has been rolled back because an earlier statement failed.');
    }
    if (this.state !== 'open') {
      throw new QuiverError('TransactionNotFound', 'The transaction is no longer open.');
    }
  }

  async commit(): Promise<CommitResult> {
    this.assertOpen();
    // Deleting the entry being visited (a result ending) is safe in a Set's iteration.
    for (const result of this.unfinished) while (result.next() !== null);
    this.state = 'committing';
    // One async frame from the caller to the replicator: a commit's wake-up after its fsync
    // passes through each frame in turn (docs/decisions/0034).
    let seq = 0;
    try {
      let index = this.view.version;
      const cs = this.writer === null || this.writer.isEmpty ? null : this.changesToCommit();
      if (cs !== null && this.writer !== null) {
        seq = this.core.gate.validate(this.gateStart, this.writer);
        index = await this.core.replicator.replicate(encodeChangeSet(cs), cs);
      }
      return { bookmark: this.core.bookmarkAt(Math.max(index, this.view.version)) };
    } finally {
      if (seq > 0) this.core.gate.applied(seq);
      this.close();
    }
  }

  /** The writer's ChangeSet, or null when it changes nothing after all. */
  private changesToCommit(): ChangeSet | null {
    const writer = this.checkWritable();
    const cs = writer.toChangeSet();
    return isEmptyChangeSet(cs) ? null : cs;
  }

  rollback(): Promise<void> {
    if (this.state !== 'closed') this.close();
    return Promise.resolve();
  }

  get isOpen(): boolean {
    return this.state === 'open' || this.state === 'failed' || this.state === 'terminated';
  }

  private close(): void {
    this.state = 'closed';
    this.budget.close();
    this.view.close();
    if (this.mode === 'WRITE') this.core.gate.end(this.gateStart);
    this.core.forget(this);
  }
}

/** A random hex id for a new store, fixed for its lifetime (bookmarks carry it). */
export function newStoreId(): string {
  return Array.from({ length: 4 }, () => randomInt(0, 0x10000).toString(16).padStart(4, '0'))
    .join('');
}

/**
 * A statement's records as its transaction hands them out. A class rather than an object of
 * closures: one is made per statement, on the path of every auto-commit round trip.
 */
class GuardedResult implements StreamingResult {
  readonly fields: readonly string[];

  constructor(private readonly cursor: QueryCursor, private readonly tx: Transaction) {
    this.fields = cursor.fields;
  }

  next(): Value[] | null {
    this.tx.beforePull();
    let record: Value[] | null;
    try {
      record = this.cursor.next();
    } catch (e) {
      throw this.tx.resultFailed(this, e);
    }
    if (record === null) this.tx.resultEnded(this);
    return record;
  }

  summary(): ResultSummary {
    const s = this.cursor.summary();
    let counts = false;
    for (const n of Object.values(s.statistics)) if (n > 0) counts = true;
    return { queryType: s.queryType, statistics: s.statistics, containsUpdates: counts,
      plan: s.plan, notifications: s.notifications };
  }
}
