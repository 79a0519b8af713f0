/**
 * QuiverDB's HTTP server (node:http): discovery, the Query API, the transactional endpoint,
 * cluster status endpoints and /metrics. Everything but discovery sits behind basic auth;
 * cluster status endpoints only when dbms.security.cluster_status_auth_enabled says so.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { SecureContextOptions } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../config/logger.js';
import {
  DEFAULT_CONFLICT_RETRY, RerunTurns, type ConflictRetry,
} from '../db/conflict-retry.js';
import { QuiverError, toQuiverError } from '../errors/quiver-error.js';
import { handleClusterCheck, handleClusterDiscovery } from './cluster-endpoints.js';
import { serveConsole } from './console.js';
import { peerOf } from '../security/member-channel.js';
import { authenticateRequest } from './http-auth.js';
import type { HttpBackend } from './http-backend.js';
import type { QuiverMetrics } from './metrics.js';
import { OpenTransactions, TRANSACTION_IDLE_TIMEOUT_MS } from './open-transactions.js';
import { handleQueryApi } from './query-api.js';
import { HttpProblem, errorBody, sendJson, sendText, statusForError } from './request-io.js';
import { matchRoute, routeLabel, type Route } from './routes.js';
import { handleTransactional } from './transactional-endpoint.js';

export const HTTP_CONNECTIONS_MAX = 1000;
const EXPIRY_SWEEP_INTERVAL_MS = 1000;

export interface HttpServerOptions {
  readonly host: string;
  /** 0 picks a free port; the started server reports the one it got. */
  readonly port: number;
  readonly backend: HttpBackend;
  readonly metrics: QuiverMetrics;
  readonly logger: Logger;
  /** Defaults: auth on for everything, cluster status included (Neo4j's defaults). */
  readonly auth?: { readonly enabled: boolean; readonly clusterStatusAuthEnabled: boolean };
  readonly clock?: () => number;
  readonly transactionIdleTimeoutMs?: number;
  /** Serve HTTPS (dbms.connector.https) instead of HTTP. */
  readonly tls?: HttpTls;
}

export interface HttpTls {
  readonly options: SecureContextOptions;
  /** dbms.ssl.policy.https.client_auth: OPTIONAL asks for a certificate, REQUIRE insists. */
  readonly clientAuth: 'NONE' | 'OPTIONAL' | 'REQUIRE';
  /** Registers for reloaded certificates; new connections use them. */
  readonly onReload?: (apply: (options: SecureContextOptions) => void) => void;
}

export interface RunningHttpServer {
  readonly port: number;
  close(): Promise<void>;
}

interface ServerContext {
  readonly options: HttpServerOptions;
  readonly transactions: OpenTransactions;
  readonly retry: ConflictRetry;
}

function baseUrl(request: IncomingMessage, options: HttpServerOptions): string {
  const scheme = options.tls === undefined ? 'http' : 'https';
  return `${scheme}://${request.headers.host ?? `${options.host}:${options.port}`}`;
}

function discoveryDocument(request: IncomingMessage, options: HttpServerOptions) {
  const discovery = options.backend.discovery();
  const base = baseUrl(request, options);
  return {
    bolt_routing: discovery.boltRouting,
    query: `${base}/db/{databaseName}/query/v2`,
    transaction: `${base}/db/{databaseName}/tx`,
    bolt_direct: discovery.boltDirect,
    neo4j_version: discovery.version,
    neo4j_edition: 'enterprise',
  };
}

function needsAuth(route: Route, options: HttpServerOptions): boolean {
  const auth = options.auth ?? { enabled: true, clusterStatusAuthEnabled: true };
  if (!auth.enabled || route.kind === 'discovery') return false;
  if (route.kind === 'cluster' || route.kind === 'cluster-discovery') {
    return auth.clusterStatusAuthEnabled;
  }
  return true;
}

async function dispatch(request: IncomingMessage, response: ServerResponse, route: Route,
  context: ServerContext): Promise<void> {
  const { options } = context;
  const user = await authenticateRequest(request, options.backend, needsAuth(route, options));
  switch (route.kind) {
    case 'discovery':
      return sendJson(response, 200, discoveryDocument(request, options));
    case 'metrics':
      return sendText(response, 200, await options.metrics.registry.metrics(),
        options.metrics.registry.contentType.split(';')[0]);
    case 'cluster-discovery':
      return handleClusterDiscovery(response, `${baseUrl(request, options)}${route.base}`);
    case 'cluster':
      return handleClusterCheck(response, route.check, options.backend);
    case 'query':
      return handleQueryApi(request, response, { backend: options.backend,
        metrics: options.metrics, user, peer: peerOf(request.socket), database: route.database,
        retry: context.retry });
    case 'tx': {
      const txPath = route.database === null ? '/db/data/transaction'
        : `/db/${encodeURIComponent(route.database)}/tx`;
      return handleTransactional(request, response, route.action, {
        backend: options.backend, metrics: options.metrics, transactions: context.transactions,
        user, peer: peerOf(request.socket), database: route.database, baseUrl: `${baseUrl(request, options)}${txPath}`,
        retry: context.retry,
      });
    }
  }
}

function respondWithError(response: ServerResponse, thrown: unknown, logger: Logger): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  if (thrown instanceof HttpProblem) {
    sendJson(response, thrown.status, errorBody(thrown.error), thrown.headers);
    return;
  }
  const error = toQuiverError(thrown);
  const status = statusForError(error);
  if (status >= 500) logger.warn({ err: thrown }, 'HTTP request failed');
  sendJson(response, status, errorBody(error));
}

async function handleRequest(request: IncomingMessage, response: ServerResponse,
  context: ServerContext): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (await serveConsole(request, response, url.pathname)) return;
  const match = matchRoute(request.method ?? 'GET', url.pathname);
  try {
    if (match.kind === 'not-found' || match.kind === 'method-not-allowed') {
      const status = match.kind === 'not-found' ? 404 : 405;
      const message = match.kind === 'not-found' ? `No endpoint at ${url.pathname}`
        : `${request.method ?? ''} is not allowed on ${url.pathname}`;
      throw new HttpProblem(status, new QuiverError('RequestInvalid', message));
    }
    await dispatch(request, response, match, context);
  } catch (thrown) {
    respondWithError(response, thrown, context.options.logger);
  } finally {
    context.options.metrics.httpRequests.inc({ route: routeLabel(match),
      status: String(response.statusCode) });
  }
}

async function rollBackAll(entries: ReturnType<OpenTransactions['takeAll']>): Promise<void> {
  await Promise.all(entries.map((entry) => entry.handle.rollback().catch(() => undefined)));
}

function createListener(tls: HttpTls | undefined, handle: http.RequestListener): http.Server {
  if (tls === undefined) return http.createServer(handle);
  const server = https.createServer({ ...tls.options, requestCert: tls.clientAuth !== 'NONE',
    rejectUnauthorized: tls.clientAuth === 'REQUIRE' }, handle);
  tls.onReload?.((options) => server.setSecureContext(options));
  return server;
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const transactions = new OpenTransactions(options.clock ?? Date.now,
    options.transactionIdleTimeoutMs ?? TRANSACTION_IDLE_TIMEOUT_MS);
  const retry: ConflictRetry = { policy: DEFAULT_CONFLICT_RETRY, turns: new RerunTurns(),
    random: Math.random, writesSettled: () => options.backend.writesSettled() };
  const context: ServerContext = { options, transactions, retry };
  const server = createListener(options.tls, (request, response) => {
    void handleRequest(request, response, context);
  });
  server.maxConnections = HTTP_CONNECTIONS_MAX;
  const sweep = setInterval(() => {
    void rollBackAll(transactions.takeExpired());
  }, EXPIRY_SWEEP_INTERVAL_MS);
  sweep.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const scheme = options.tls === undefined ? 'http' : 'https';
  options.logger.info(`Remote interface available at ${scheme}://${options.host}:${port}/`);
  return {
    port,
    async close() {
      clearInterval(sweep);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await rollBackAll(transactions.takeAll());
      await closed;
    },
  };
}
