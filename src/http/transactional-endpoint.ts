/**
 * Neo4j's transactional HTTP endpoint (4.x/5.x `/db/{db}/tx…`, 3.5 `/db/data/transaction…`):
 * `{statements: [{statement, parameters, includeStats}]}` in, `{results: [{columns, data:
 * [{row, meta}]}], errors, commit?, transaction?: {expires}, lastBookmarks?}` out. Any failing
 * statement rolls the transaction back and is reported in `errors` with HTTP 200, as Neo4j does.
 * A one-request transaction (`/tx/commit`) that loses a write conflict runs again on the server
 * (src/db/conflict-retry.ts): nothing of it was sent yet.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TransactionHandle } from '../db/api.js';
import { isWriteConflict, retryingConflicts, type ConflictRetry } from '../db/conflict-retry.js';
import { QuiverError, toQuiverError } from '../errors/quiver-error.js';
import type { HttpBackend } from './http-backend.js';
import { parametersFromJson, toMeta, toRow, type Json } from './json-values.js';
import type { QuiverMetrics } from './metrics.js';
import type { OpenTransaction, OpenTransactions } from './open-transactions.js';
import { HttpProblem, readJsonObject, sendJson } from './request-io.js';
import { runAndCollect, transactionalStats } from './statement-runner.js';

export type TxAction =
  | { readonly kind: 'begin' } | { readonly kind: 'commit-new' }
  | { readonly kind: 'run'; readonly id: string } | { readonly kind: 'commit'; readonly id: string }
  | { readonly kind: 'rollback'; readonly id: string };

export interface TxContext {
  readonly backend: HttpBackend;
  readonly metrics: QuiverMetrics;
  readonly transactions: OpenTransactions;
  readonly user: string;
  /** The client's address, for the security log. */
  readonly peer: string;
  readonly database: string | null;
  /** `http://host:port/db/neo4j/tx`, for commit and Location URLs. */
  readonly baseUrl: string;
  readonly retry: ConflictRetry;
}

interface StatementRequest {
  readonly statement: string;
  readonly parameters: unknown;
  readonly includeStats: boolean;
}

function parseStatements(body: Record<string, unknown>): StatementRequest[] {
  const list = body['statements'] ?? [];
  if (!Array.isArray(list)) throw new QuiverError('InvalidFormat', 'statements must be a list');
  return list.map((item: unknown) => {
    const entry = (typeof item === 'object' && item !== null ? item : {}) as
      Record<string, unknown>;
    if (typeof entry['statement'] !== 'string') {
      throw new QuiverError('InvalidFormat', 'Each statement needs a statement string');
    }
    return { statement: entry['statement'], parameters: entry['parameters'],
      includeStats: entry['includeStats'] === true };
  });
}

/** Runs the statements in order; stops at the first error, which the caller reports. */
async function runStatements(handle: TransactionHandle, statements: readonly StatementRequest[],
  metrics: QuiverMetrics): Promise<{ results: Json[]; error: QuiverError | null }> {
  const results: Json[] = [];
  for (const request of statements) {
    try {
      const collected = await runAndCollect(handle, request.statement,
        parametersFromJson(request.parameters, false));
      const result: { [key: string]: Json } = { columns: [...collected.fields],
        data: collected.rows.map((row) => ({ row: row.map(toRow), meta: row.map(toMeta) })) };
      if (request.includeStats) result['stats'] = transactionalStats(collected.summary);
      results.push(result);
      metrics.queries.inc({ protocol: 'http', outcome: 'ok' });
    } catch (thrown) {
      metrics.queries.inc({ protocol: 'http', outcome: 'failed' });
      return { results, error: toQuiverError(thrown) };
    }
  }
  return { results, error: null };
}

function errorJson(error: QuiverError): Json {
  return { code: error.code, message: error.message };
}

function bookmarksOf(body: Record<string, unknown>): string[] {
  const raw = body['bookmarks'];
  return Array.isArray(raw) ? raw.filter((item): item is string => typeof item === 'string') : [];
}

async function finish(entry: OpenTransaction | null, handle: TransactionHandle,
  how: 'commit' | 'rollback', context: TxContext): Promise<string | null> {
  if (entry !== null) context.transactions.remove(entry);
  if (how === 'rollback') {
    await handle.rollback();
    context.metrics.transactions.inc({ protocol: 'http', outcome: 'rolled_back' });
    return null;
  }
  try {
    const { bookmark } = await handle.commit();
    context.metrics.transactions.inc({ protocol: 'http', outcome: 'committed' });
    return bookmark;
  } catch (thrown) {
    context.metrics.transactions.inc({ protocol: 'http', outcome: 'failed' });
    throw thrown;
  }
}

async function openOrAcquire(action: Exclude<TxAction, { kind: 'commit-new' }>,
  context: TxContext, body: Record<string, unknown>):
  Promise<{ entry: OpenTransaction; handle: TransactionHandle }> {
  if (action.kind === 'begin') {
    const handle = await context.backend.begin(context.database,
      { mode: 'WRITE', bookmarks: bookmarksOf(body), user: context.user }, context.peer);
    return { entry: context.transactions.add({ handle, user: context.user,
      database: context.database }), handle };
  }
  const entry = context.transactions.acquire(action.id, context.user, context.database);
  return { entry, handle: entry.handle };
}

export async function handleTransactional(request: IncomingMessage, response: ServerResponse,
  action: TxAction, context: TxContext): Promise<void> {
  const body = action.kind === 'rollback' ? {} : await readJsonObject(request);
  const statements = parseStatements(body);
  if (action.kind === 'commit-new') {
    await commitInOneRequest(response, statements, body, context);
    return;
  }
  let opened;
  try {
    opened = await openOrAcquire(action, context, body);
  } catch (thrown) {
    const error = toQuiverError(thrown);
    if (error.code !== 'Neo.ClientError.Transaction.TransactionNotFound') throw thrown;
    throw new HttpProblem(404, error);
  }
  const { entry, handle } = opened;
  const { results, error } = await runStatements(handle, statements, context.metrics);
  if (error !== null || action.kind === 'rollback') {
    await finish(entry, handle, 'rollback', context).catch(() => null);
    sendJson(response, 200, { results, errors: error === null ? [] : [errorJson(error)] });
    return;
  }
  if (action.kind === 'commit') {
    await answerCommit(response, { entry, handle, results }, context);
    return;
  }
  answerOpen(response, entry, results, action.kind === 'begin', context);
}

interface Outcome {
  readonly results: Json[];
  readonly error: QuiverError | null;
  readonly bookmark: string | null;
}

/** begin, statements and commit in one request, run again while it loses write conflicts. */
async function commitInOneRequest(response: ServerResponse,
  statements: readonly StatementRequest[], body: Record<string, unknown>,
  context: TxContext): Promise<void> {
  let lost: Outcome | null = null;
  const attempt = async (): Promise<Outcome> => {
    const handle = await context.backend.begin(context.database,
      { mode: 'WRITE', bookmarks: bookmarksOf(body), user: context.user }, context.peer);
    const { results, error } = await runStatements(handle, statements, context.metrics);
    try {
      if (error !== null) {
        await finish(null, handle, 'rollback', context).catch(() => null);
        if (isWriteConflict(error)) throw error;
        return { results, error, bookmark: null };
      }
      return { results, error: null, bookmark: await finish(null, handle, 'commit', context) };
    } catch (thrown) {
      lost = { results, error: toQuiverError(thrown), bookmark: null };
      throw thrown;
    }
  };
  let outcome: Outcome;
  try {
    outcome = await retryingConflicts(attempt, context.retry);
  } catch (thrown) {
    if (lost === null) throw thrown;
    outcome = lost;
  }
  sendJson(response, 200, { results: outcome.results,
    errors: outcome.error === null ? [] : [errorJson(outcome.error)],
    lastBookmarks: outcome.bookmark === null ? [] : [outcome.bookmark] });
}

async function answerCommit(response: ServerResponse, done: { entry: OpenTransaction;
  handle: TransactionHandle; results: Json[] }, context: TxContext): Promise<void> {
  try {
    const bookmark = await finish(done.entry, done.handle, 'commit', context);
    sendJson(response, 200, { results: done.results, errors: [],
      lastBookmarks: bookmark === null ? [] : [bookmark] });
  } catch (thrown) {
    sendJson(response, 200, { results: done.results, errors: [errorJson(toQuiverError(thrown))] });
  }
}

function answerOpen(response: ServerResponse, entry: OpenTransaction, results: Json[],
  created: boolean, context: TxContext): void {
  context.transactions.release(entry);
  const location = `${context.baseUrl}/${entry.id}`;
  sendJson(response, created ? 201 : 200, {
    results, errors: [], commit: `${location}/commit`,
    transaction: { expires: context.transactions.expiryText(entry) },
  }, created ? { Location: location } : {});
}
