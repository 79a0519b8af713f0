/**
 * The URL table of the HTTP server: each pattern with its method(s) and whether it needs
 * authentication. Matching returns a tagged route the server dispatches on.
 */
import type { ClusterCheck } from './cluster-endpoints.js';
import type { TxAction } from './transactional-endpoint.js';

export type Route =
  | { readonly kind: 'discovery' }
  | { readonly kind: 'metrics' }
  | { readonly kind: 'cluster-discovery'; readonly base: string }
  | { readonly kind: 'cluster'; readonly check: ClusterCheck }
  | { readonly kind: 'query'; readonly database: string }
  | { readonly kind: 'tx'; readonly database: string | null; readonly action: TxAction };

export type RouteMatch = Route | { readonly kind: 'not-found' } |
  { readonly kind: 'method-not-allowed' };

const CHECK = '(writable|read-only|available|status)';
const DB = '([^/]+)';
const TX_BASE = `(?:/db/${DB}/tx|/db/data/transaction)`;

type Matcher = (match: RegExpExecArray, method: string) => Route | 'method-not-allowed';

function decodeDb(raw: string | undefined): string | null {
  return raw === undefined ? null : decodeURIComponent(raw);
}

function only(method: string, wanted: string, route: Route): Route | 'method-not-allowed' {
  return method === wanted ? route : 'method-not-allowed';
}

const TABLE: ReadonlyArray<readonly [RegExp, Matcher]> = [
  [/^\/$/, (_m, method) => only(method, 'GET', { kind: 'discovery' })],
  [/^\/metrics$/, (_m, method) => only(method, 'GET', { kind: 'metrics' })],
  [/^(\/db\/manage\/server\/causalclustering)\/?$/, (m, method) =>
    only(method, 'GET', { kind: 'cluster-discovery', base: m[1] ?? '' })],
  [new RegExp(`^/db/manage/server/(?:causalclustering|core|read-replica)/${CHECK}$`), (m, method) =>
    only(method, 'GET', { kind: 'cluster', check: m[1] as ClusterCheck })],
  [new RegExp(`^/db/${DB}/cluster/${CHECK}$`), (m, method) =>
    only(method, 'GET', { kind: 'cluster', check: m[2] as ClusterCheck })],
  [new RegExp(`^/db/${DB}/query/v2/?$`), (m, method) =>
    only(method, 'POST', { kind: 'query', database: decodeDb(m[1]) ?? '' })],
  [new RegExp(`^${TX_BASE}/?$`), (m, method) =>
    only(method, 'POST', { kind: 'tx', database: decodeDb(m[1]), action: { kind: 'begin' } })],
  [new RegExp(`^${TX_BASE}/commit$`), (m, method) => only(method, 'POST',
    { kind: 'tx', database: decodeDb(m[1]), action: { kind: 'commit-new' } })],
  [new RegExp(`^${TX_BASE}/(\\d+)$`), (m, method) => {
    const id = m[2] ?? '';
    if (method === 'DELETE') {
      return { kind: 'tx', database: decodeDb(m[1]), action: { kind: 'rollback', id } };
    }
    return only(method, 'POST', { kind: 'tx', database: decodeDb(m[1]),
      action: { kind: 'run', id } });
  }],
  [new RegExp(`^${TX_BASE}/(\\d+)/commit$`), (m, method) => only(method, 'POST',
    { kind: 'tx', database: decodeDb(m[1]), action: { kind: 'commit', id: m[2] ?? '' } })],
];

export function matchRoute(method: string, pathname: string): RouteMatch {
  for (const [pattern, matcher] of TABLE) {
    const match = pattern.exec(pathname);
    if (match === null) continue;
    const route = matcher(match, method);
    return route === 'method-not-allowed' ? { kind: 'method-not-allowed' } : route;
  }
  return { kind: 'not-found' };
}

/** The route's name in metrics: the pattern, never the raw path (ids would explode labels). */
export function routeLabel(match: RouteMatch): string {
  if (match.kind === 'tx') return `tx-${match.action.kind}`;
  if (match.kind === 'cluster') return `cluster-${match.check}`;
  return match.kind;
}
