import type { BeginOptions } from '../db/api.js';
import { QuiverError } from '../errors/quiver-error.js';
import type { Value } from '../graph/values.js';
import type { BoltSession } from './backend.js';
import type { ConnectionContext, OpenTransaction } from './connection-context.js';
import type { Request, RunRequest, TxExtra } from './messages.js';

type RequestOf<T extends Request['type']> = Extract<Request, { type: T }>;

export function sessionFor(ctx: ConnectionContext, impersonatedUser: string | null): BoltSession {
  if (ctx.auth === null) {
    throw new QuiverError('Unauthorized', 'The connection is not authenticated');
  }
  return {
    connectionId: ctx.connectionId,
    peer: ctx.peer,
    userAgent: ctx.userAgent,
    user: ctx.auth.user,
    credentialsExpired: ctx.auth.credentialsExpired,
    impersonatedUser,
  };
}

function beginOptions(extra: TxExtra, user: string): BeginOptions {
  return {
    mode: extra.mode,
    bookmarks: extra.bookmarks,
    timeoutMs: extra.timeoutMs,
    user,
    ...(extra.metadata === null ? {} : { metadata: extra.metadata }),
  };
}

/** Opens the transaction of a BEGIN (autoCommitRun null) or of an auto-commit RUN. */
export async function beginTransaction(
  ctx: ConnectionContext,
  extra: TxExtra,
  autoCommitRun: RunRequest | null,
): Promise<OpenTransaction> {
  const session = sessionFor(ctx, extra.impersonatedUser);
  const handle = await ctx.backend.begin({
    session,
    database: extra.database,
    options: beginOptions(extra, extra.impersonatedUser ?? session.user),
  });
  return {
    handle, explicit: autoCommitRun === null, autoCommitRun,
    database: extra.database ?? ctx.backend.defaultDatabase(), streams: new Map(), nextQid: 0,
  };
}

/** 5.8+: name the database a request without `db` resolved to, so drivers can cache it. */
function homeDatabaseMetadata(ctx: ConnectionContext, extra: TxExtra, tx: OpenTransaction) {
  const metadata = new Map<string, Value>();
  if (ctx.table.features.homeDatabase && extra.database === null) metadata.set('db', tx.database);
  return metadata;
}

export async function onBegin(ctx: ConnectionContext, request: RequestOf<'BEGIN'>): Promise<void> {
  const tx = await beginTransaction(ctx, request.extra, null);
  ctx.tx = tx;
  ctx.out.success(homeDatabaseMetadata(ctx, request.extra, tx));
  ctx.state = 'TX_READY';
}

export async function onRun(ctx: ConnectionContext, request: RequestOf<'RUN'>): Promise<void> {
  const startedMs = ctx.nowMs();
  const autoCommit = ctx.state === 'READY';
  if (autoCommit) ctx.tx = await beginTransaction(ctx, request.extra, request);
  const tx = ctx.tx;
  if (tx === null) throw new QuiverError('RequestInvalid', 'RUN outside a transaction');
  const result = await tx.handle.run(request.query, request.params);
  const qid = tx.nextQid;
  tx.nextQid += 1;
  tx.streams.set(qid, { qid, result, startedMs, pulls: 0 });
  const metadata = autoCommit ? homeDatabaseMetadata(ctx, request.extra, tx) : new Map();
  metadata.set('fields', [...result.fields]);
  metadata.set('t_first', BigInt(Math.max(0, Math.round(ctx.nowMs() - startedMs))));
  if (!autoCommit && ctx.table.features.streamIds) metadata.set('qid', BigInt(qid));
  ctx.out.success(metadata);
  ctx.state = autoCommit ? 'STREAMING' : 'TX_STREAMING';
}

export async function onCommit(ctx: ConnectionContext): Promise<void> {
  const tx = explicitTransaction(ctx, 'COMMIT');
  exhaustStreams(tx);
  // Whatever the outcome, the transaction is over; a failed commit has rolled back.
  ctx.tx = null;
  const { bookmark } = await tx.handle.commit();
  ctx.out.success(new Map([['bookmark', bookmark]]));
  ctx.state = 'READY';
}

export async function onRollback(ctx: ConnectionContext): Promise<void> {
  const tx = explicitTransaction(ctx, 'ROLLBACK');
  tx.streams.clear();
  ctx.tx = null;
  await tx.handle.rollback();
  ctx.out.success();
  ctx.state = 'READY';
}

/**
 * Before COMMIT, results the client never pulled are run to the end so that their effects are
 * part of the transaction, as a DISCARD would have done.
 */
function exhaustStreams(tx: OpenTransaction): void {
  for (const stream of tx.streams.values()) {
    while (stream.result.next() !== null) { /* discarded */ }
  }
  tx.streams.clear();
}

function explicitTransaction(ctx: ConnectionContext, what: string): OpenTransaction {
  const tx = ctx.tx;
  if (tx === null || !tx.explicit) {
    throw new QuiverError('RequestInvalid', `${what} without an explicit transaction`);
  }
  return tx;
}
