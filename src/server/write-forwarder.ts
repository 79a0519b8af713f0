/**
 * Server-side routing (`dbms.routing.enabled`, and Neo4j HA's "write on any instance"): a member
 * that is not the leader runs a client's write transaction on the leader, over Bolt with the
 * official driver, as the same user. Records come back buffered (bounded) and converted to our
 * values; the commit's bookmark is the leader's, valid on every member of the cluster. Every
 * step on the leader has a deadline: a leader that stopped answering (paused, or cut off behind
 * an open socket) fails the write with a transient error that drivers retry, never hangs it.
 */
import neo4j, { type Driver, type Session, type Transaction as DriverTx } from 'neo4j-driver';
import type { CommitResult, StreamingResult, TransactionHandle } from '../db/api.js';
import { QuiverError } from '../errors/quiver-error.js';
import { emptyStatistics, type QueryStatistics } from '../graph/types.js';
import type { Value } from '../graph/values.js';
import { fromDriver, toDriver } from './driver-values.js';

/** Forwarded results are buffered; past this a client must connect to the leader itself. */
const FORWARDED_ROWS_MAX = 100_000;
const CREDENTIALS_KEPT_MAX = 10_000;
const DRIVERS_MAX = 64;
/** Neo4j's default replication timeout: a leader silent this long is as good as gone. */
export const FORWARD_TIMEOUT_MS_DEFAULT = 20_000;

export interface Credentials {
  readonly principal: string;
  readonly credentials: string;
}

export class WriteForwarder {
  private readonly drivers = new Map<string, Driver>();
  /** Basic-auth tokens by client connection (peer address), to act as the same user. */
  private readonly credentials = new Map<string, Credentials>();

  constructor(private readonly timeoutMs = FORWARD_TIMEOUT_MS_DEFAULT) {}

  remember(peer: string, creds: Credentials): void {
    if (this.credentials.size >= CREDENTIALS_KEPT_MAX) this.credentials.clear();
    this.credentials.set(peer, creds);
  }

  canForward(peer: string): boolean {
    return this.credentials.has(peer);
  }

  async begin(args: { leaderBolt: string; peer: string; database: string;
    bookmarks: readonly string[] }): Promise<TransactionHandle> {
    const creds = this.credentials.get(args.peer);
    if (!creds) {
      throw new QuiverError('NotALeader', 'This member cannot forward the write: unknown client.');
    }
    const session = this.driverFor(args.leaderBolt, creds).session({
      database: args.database, bookmarks: [...args.bookmarks],
      defaultAccessMode: neo4j.session.WRITE });
    try {
      const tx = await withDeadline(session.beginTransaction(), this.timeoutMs, 'BEGIN');
      return new ForwardedTransaction(session, tx, this.timeoutMs);
    } catch (e) {
      closeQuietly(session);
      throw forwardedError(e);
    }
  }

  private driverFor(address: string, creds: Credentials): Driver {
    const key = `${creds.principal}@${address}`;
    let driver = this.drivers.get(key);
    if (!driver) {
      if (this.drivers.size >= DRIVERS_MAX) void this.close();
      const token = neo4j.auth.basic(creds.principal, creds.credentials);
      driver = neo4j.driver(`bolt://${address}`, token,
        { disableLosslessIntegers: false, maxConnectionPoolSize: 50,
          connectionTimeout: this.timeoutMs, connectionAcquisitionTimeout: this.timeoutMs });
      this.drivers.set(key, driver);
    }
    return driver;
  }

  async close(): Promise<void> {
    const all = [...this.drivers.values()];
    this.drivers.clear();
    await Promise.all(all.map((d) => d.close()));
  }
}

/** Settles as `work` does, or fails with a transient error once `ms` have passed. */
function withDeadline<T>(work: Promise<T>, ms: number, step: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QuiverError('LeaderUnavailable',
      `The leader did not answer the forwarded ${step} within ${ms} ms; retry.`)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/** A session on a silent leader may never finish closing; nobody waits for it. */
function closeQuietly(session: Session): void {
  session.close().catch(() => undefined);
}

function forwardedError(e: unknown): QuiverError {
  if (e instanceof QuiverError) return e;
  const code = (e as { code?: unknown }).code;
  const message = e instanceof Error ? e.message : String(e);
  if (typeof code === 'string' && code.startsWith('Neo.')) {
    const err = new QuiverError('UnknownError', message);
    (err as { code: string }).code = code;
    return err;
  }
  return new QuiverError('ReplicationFailure',
    `Forwarding the write to the leader failed: ${message}`);
}

class ForwardedTransaction implements TransactionHandle {
  readonly id: string;

  constructor(private readonly session: Session, private readonly tx: DriverTx,
    private readonly timeoutMs: number) {
    this.id = `forwarded-${Math.random().toString(16).slice(2)}`;
  }

  async run(query: string, params: ReadonlyMap<string, Value> = new Map()):
    Promise<StreamingResult> {
    try {
      const driverParams = Object.fromEntries([...params].map(([k, v]) => [k, toDriver(v)]));
      const pending = this.tx.run(query, driverParams);
      const fields = (await withDeadline(pending.keys(), this.timeoutMs, 'RUN')).map(String);
      const result = await withDeadline(Promise.resolve(pending), this.timeoutMs, 'PULL');
      if (result.records.length > FORWARDED_ROWS_MAX) {
        throw new QuiverError('RequestInvalid', `A forwarded write returned more than ` +
          `${FORWARDED_ROWS_MAX} rows; connect to the leader for large results`);
      }
      const rows = result.records.map((r) => r.keys.map((k) => fromDriver(r.get(k))));
      return buffered(fields, rows, statisticsOf(result.summary.counters.updates()),
        result.summary.queryType);
    } catch (e) {
      throw forwardedError(e);
    }
  }

  async commit(): Promise<CommitResult> {
    try {
      await withDeadline(this.tx.commit(), this.timeoutMs, 'COMMIT');
      const bookmarks = this.session.lastBookmarks();
      return { bookmark: bookmarks[0] ?? '' };
    } catch (e) {
      throw forwardedError(e);
    } finally {
      closeQuietly(this.session);
    }
  }

  async rollback(): Promise<void> {
    try {
      if (this.tx.isOpen()) await withDeadline(this.tx.rollback(), this.timeoutMs, 'ROLLBACK');
    } finally {
      closeQuietly(this.session);
    }
  }
}

function statisticsOf(u: Record<string, number>): QueryStatistics {
  const s = emptyStatistics();
  for (const k of Object.keys(s) as (keyof QueryStatistics)[]) s[k] = u[k] ?? 0;
  return s;
}

function buffered(fields: string[], rows: Value[][], statistics: QueryStatistics,
  queryType: string): StreamingResult {
  let at = 0;
  const type = queryType === 'w' || queryType === 'rw' || queryType === 's' ? queryType : 'r';
  return {
    fields,
    next: () => rows[at++] ?? null,
    summary: () => ({ queryType: type, statistics,
      containsUpdates: Object.values(statistics).some((n) => n > 0), plan: null,
      notifications: [] }),
  };
}
