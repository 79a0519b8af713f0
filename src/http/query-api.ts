/**
 * `POST /db/{db}/query/v2`: Neo4j 5's Query API. One statement in its own transaction:
 * `{statement, parameters, bookmarks?, accessMode?, includeCounters?}` in,
 * `{data: {fields, values}, bookmarks, counters?}` out (202), values in plain or typed JSON
 * as the Accept header asks. A transaction that loses a write conflict runs again on the server
 * (src/db/conflict-retry.ts): the answer is sent only after the commit.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessMode, BeginOptions } from '../db/api.js';
import { retryingConflicts, type ConflictRetry } from '../db/conflict-retry.js';
import { QuiverError, toQuiverError } from '../errors/quiver-error.js';
import type { HttpBackend } from './http-backend.js';
import { parametersFromJson, toPlainJson, toTypedJson, type Json } from './json-values.js';
import type { QuiverMetrics } from './metrics.js';
import { HttpProblem, readJsonObject, sendJson } from './request-io.js';
import { queryApiCounters, runAndCollect, type CollectedResult } from './statement-runner.js';

export const TYPED_JSON = 'application/vnd.neo4j.query';

export interface QueryRequestContext {
  readonly backend: HttpBackend;
  readonly metrics: QuiverMetrics;
  readonly user: string;
  /** The client's address, for the security log. */
  readonly peer: string;
  readonly database: string | null;
  readonly retry: ConflictRetry;
}

function bad(message: string): HttpProblem {
  return new HttpProblem(400, new QuiverError('RequestInvalid', message));
}

function parseBookmarks(raw: unknown): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || !raw.every((item) => typeof item === 'string')) {
    throw bad('bookmarks must be a list of strings');
  }
  return raw;
}

function parseAccessMode(raw: unknown): AccessMode {
  if (raw === undefined) return 'WRITE';
  if (raw === 'READ' || raw === 'WRITE') return raw;
  throw bad("accessMode must be 'READ' or 'WRITE'");
}

export async function handleQueryApi(request: IncomingMessage, response: ServerResponse,
  context: QueryRequestContext): Promise<void> {
  const body = await readJsonObject(request);
  const statement = body['statement'];
  if (typeof statement !== 'string') throw bad('statement must be a string');
  const typedIn = (request.headers['content-type'] ?? '').includes(TYPED_JSON);
  const typedOut = (request.headers.accept ?? '').includes(TYPED_JSON);
  const params = parametersFromJson(body['parameters'], typedIn);
  const options: BeginOptions = { mode: parseAccessMode(body['accessMode']),
    bookmarks: parseBookmarks(body['bookmarks']), user: context.user };
  const started = performance.now();
  let outcome: { result: CollectedResult; bookmark: string };
  try {
    outcome = await retryingConflicts(() => runInTransaction(context, options, statement,
      params), context.retry);
  } catch (thrown) {
    context.metrics.queries.inc({ protocol: 'http', outcome: 'failed' });
    context.metrics.transactions.inc({ protocol: 'http', outcome: 'failed' });
    throw toQuiverError(thrown);
  }
  const { result, bookmark } = outcome;
  context.metrics.queries.inc({ protocol: 'http', outcome: 'ok' });
  context.metrics.transactions.inc({ protocol: 'http', outcome: 'committed' });
  context.metrics.queryDurationSeconds.observe({ protocol: 'http' },
    (performance.now() - started) / 1000);
  const convert = typedOut ? toTypedJson : toPlainJson;
  const answer: { [key: string]: Json } = {
    data: { fields: [...result.fields], values: result.rows.map((row) => row.map(convert)) },
    bookmarks: [bookmark],
  };
  if (body['includeCounters'] === true) answer['counters'] = queryApiCounters(result.summary);
  sendJson(response, 202, answer, {}, typedOut ? TYPED_JSON : 'application/json');
}

async function runInTransaction(context: QueryRequestContext, options: BeginOptions,
  statement: string, params: Parameters<typeof runAndCollect>[2]):
  Promise<{ result: CollectedResult; bookmark: string }> {
  const handle = await context.backend.begin(context.database, options, context.peer);
  let result: CollectedResult;
  try {
    result = await runAndCollect(handle, statement, params);
  } catch (thrown) {
    await handle.rollback().catch(() => undefined);
    throw thrown;
  }
  const { bookmark } = await handle.commit();
  return { result, bookmark };
}
