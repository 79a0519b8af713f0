import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/config/logger.js';
import { startHttpServer, type RunningHttpServer } from '../../src/http/http-server.js';
import { QuiverMetrics } from '../../src/http/metrics.js';
import { FakeBackend } from './fake-backend.js';

let backend: FakeBackend;
let server: RunningHttpServer;
let base: string;
const metrics = new QuiverMetrics({ defaultMetrics: false });
const AUTH = `Basic ${Buffer.from('neo4j:secret').toString('base64')}`;

beforeAll(async () => {
  backend = new FakeBackend();
  server = await startHttpServer({ host: '127.0.0.1', port: 0, backend, metrics,
    logger: createSilentLogger() });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  backend.status = { ...backend.status, role: 'FOLLOWER', healthy: true };
});

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body),
    headers: { Authorization: AUTH, 'Content-Type': 'application/json', ...headers } });
}

describe('discovery and auth', () => {
  it('answers discovery without credentials, like Neo4j 5', async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      bolt_routing: 'neo4j://localhost:7687', bolt_direct: 'bolt://localhost:7687',
      query: `http://127.0.0.1:${server.port}/db/{databaseName}/query/v2`,
      transaction: `http://127.0.0.1:${server.port}/db/{databaseName}/tx`,
      neo4j_version: '5.26.0', neo4j_edition: 'enterprise',
    });
  });

  it('asks for credentials everywhere else', async () => {
    const missing = await fetch(`${base}/db/neo4j/query/v2`, { method: 'POST', body: '{}' });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Basic realm="Neo4j"');
    expect(await missing.json()).toEqual({ errors: [{
      code: 'Neo.ClientError.Security.Unauthorized', message: 'No authentication header supplied.',
    }] });
    const wrong = await post('/db/neo4j/query/v2', { statement: 'RETURN 1' },
      { Authorization: `Basic ${Buffer.from('neo4j:nope').toString('base64')}` });
    expect(wrong.status).toBe(401);
    const expired = await post('/db/neo4j/query/v2', { statement: 'RETURN 1' },
      { Authorization: `Basic ${Buffer.from('fresh:neo4j').toString('base64')}` });
    expect(expired.status).toBe(403);
    expect((await expired.json()).errors[0].code)
      .toBe('Neo.ClientError.Security.CredentialsExpired');
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
  });

  it('answers 404 for unknown paths and 405 for wrong methods', async () => {
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    expect((await fetch(`${base}/db/neo4j/query/v2`, { headers: { Authorization: AUTH } }))
      .status).toBe(405);
  });
});

describe('Query API', () => {
  it('runs a statement with plain JSON parameters, returning values and a bookmark', async () => {
    const response = await post('/db/neo4j/query/v2',
      { statement: 'RETURN $x AS x', parameters: { x: 5 }, bookmarks: ['FB:0'] });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ data: { fields: ['x'], values: [[5]] },
      bookmarks: [expect.stringMatching(/^FB:/)] });
    expect(backend.begun.at(-1)).toMatchObject({ database: 'neo4j',
      options: { mode: 'WRITE', bookmarks: ['FB:0'], user: 'neo4j' } });
  });

  it('speaks typed JSON when asked, both ways', async () => {
    const response = await post('/db/neo4j/query/v2', { statement: 'RETURN $x AS x',
      parameters: { x: { $type: 'Integer', _value: '9007199254740993' } } },
    { 'Content-Type': 'application/vnd.neo4j.query', Accept: 'application/vnd.neo4j.query' });
    expect((await response.json()).data.values).toEqual([[
      { $type: 'Integer', _value: '9007199254740993' }]]);
    const nodes = await post('/db/neo4j/query/v2', { statement: 'MATCH (n) RETURN n' },
      { Accept: 'application/vnd.neo4j.query' });
    expect((await nodes.json()).data.values[0][0]).toEqual({ $type: 'Node', _value: {
      _element_id: '4:x:7', _labels: ['Person'],
      _properties: { name: { $type: 'String', _value: 'Ada' } } } });
  });

  it('reports counters when asked and errors with Neo4j codes', async () => {
    const created = await post('/db/neo4j/query/v2', { statement: 'CREATE a',
      includeCounters: true });
    expect((await created.json()).counters).toMatchObject({ containsUpdates: true,
      nodesCreated: 1 });
    const failed = await post('/db/neo4j/query/v2', { statement: 'FAIL' });
    expect(failed.status).toBe(400);
    expect(await failed.json()).toEqual({ errors: [{
      code: 'Neo.ClientError.Statement.SyntaxError', message: "Invalid input 'FAIL'" }] });
    const missing = await post('/db/missing/query/v2', { statement: 'RETURN 1' });
    expect(missing.status).toBe(404);
    const bad = await fetch(`${base}/db/neo4j/query/v2`, { method: 'POST', body: '{nope',
      headers: { Authorization: AUTH } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].code).toBe('Neo.ClientError.Request.InvalidFormat');
  });
});

describe('transactional endpoint', () => {
  it('commits a one-shot transaction with rows, meta and stats', async () => {
    const response = await post('/db/neo4j/tx/commit', { statements: [
      { statement: 'MATCH (n) RETURN n' }, { statement: 'CREATE b', includeStats: true }] });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.errors).toEqual([]);
    expect(body.results[0]).toEqual({ columns: ['n'], data: [{ row: [{ name: 'Ada' }],
      meta: [{ id: 7, elementId: '4:x:7', type: 'node', deleted: false }] }] });
    expect(body.results[1].stats).toMatchObject({ contains_updates: true, nodes_created: 1 });
    expect(body.lastBookmarks).toHaveLength(1);
    expect(backend.committed).toContain('b');
  });

  it('keeps a transaction open across requests until commit', async () => {
    const opened = await post('/db/neo4j/tx', { statements: [{ statement: 'CREATE c' }] });
    expect(opened.status).toBe(201);
    const body = await opened.json();
    const location = opened.headers.get('location') ?? '';
    expect(location).toMatch(/\/db\/neo4j\/tx\/\d+$/);
    expect(body.commit).toBe(`${location}/commit`);
    expect(new Date(body.transaction.expires).getTime()).toBeGreaterThan(Date.now());
    expect(backend.committed).not.toContain('c');
    const path = new URL(location).pathname;
    expect((await post(path, { statements: [{ statement: 'CREATE d' }] })).status).toBe(200);
    const committed = await post(`${path}/commit`, {});
    expect((await committed.json()).errors).toEqual([]);
    expect(backend.committed).toEqual(expect.arrayContaining(['c', 'd']));
    const again = await post(`${path}/commit`, {});
    expect(again.status).toBe(404);
    expect((await again.json()).errors[0].code)
      .toBe('Neo.ClientError.Transaction.TransactionNotFound');
  });

  it('rolls back on DELETE and on a failing statement', async () => {
    const opened = await post('/db/neo4j/tx', { statements: [{ statement: 'CREATE e' }] });
    const path = new URL(opened.headers.get('location') ?? '').pathname;
    const before = backend.rolledBack;
    const deleted = await fetch(`${base}${path}`, { method: 'DELETE',
      headers: { Authorization: AUTH } });
    expect(await deleted.json()).toEqual({ results: [], errors: [] });
    expect(backend.rolledBack).toBe(before + 1);
    const failed = await post('/db/neo4j/tx/commit', { statements: [
      { statement: 'CREATE f' }, { statement: 'FAIL' }] });
    expect(failed.status).toBe(200);
    const body = await failed.json();
    expect(body.errors[0].code).toBe('Neo.ClientError.Statement.SyntaxError');
    expect(body.results).toHaveLength(1);
    expect(backend.committed).not.toContain('f');
  });

  it('serves the 3.5 /db/data/transaction path on the default database', async () => {
    const response = await post('/db/data/transaction/commit',
      { statements: [{ statement: 'RETURN $x AS x', parameters: { x: 'hi' } }] });
    expect((await response.json()).results[0].data[0].row).toEqual(['hi']);
    expect(backend.begun.at(-1)?.database).toBeNull();
  });
});

describe('cluster endpoints', () => {
  async function check(path: string) {
    const response = await fetch(`${base}${path}`, { headers: { Authorization: AUTH } });
    return `${response.status} ${await response.text()}`;
  }

  it('answer 200 true / 404 false by role, on 3.5 and 5.x paths', async () => {
    expect(await check('/db/manage/server/causalclustering/writable')).toBe('404 false');
    expect(await check('/db/manage/server/causalclustering/read-only')).toBe('200 true');
    expect(await check('/db/manage/server/core/available')).toBe('200 true');
    backend.status = { ...backend.status, role: 'LEADER', healthy: false };
    expect(await check('/db/neo4j/cluster/writable')).toBe('200 true');
    expect(await check('/db/neo4j/cluster/read-only')).toBe('404 false');
    expect(await check('/db/manage/server/read-replica/available')).toBe('404 false');
  });

  it('serve the status document with sorted voting members', async () => {
    const response = await fetch(`${base}/db/manage/server/causalclustering/status`,
      { headers: { Authorization: AUTH } });
    expect(await response.json()).toEqual({ lastAppliedRaftIndex: 42,
      votingMembers: ['a', 'b', 'c'], memberId: 'b', leader: 'a',
      millisSinceLastLeaderMessage: 12, participatingInRaftGroup: true, core: true,
      healthy: true });
  });
});

describe('/metrics', () => {
  it('exposes request, query and transaction counters in Prometheus text', async () => {
    const response = await fetch(`${base}/metrics`, { headers: { Authorization: AUTH } });
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/quiver_queries_total\{protocol="http",outcome="ok"\} \d+/);
    expect(text).toMatch(/quiver_transactions_total\{protocol="http",outcome="committed"\} \d+/);
    expect(text).toMatch(/quiver_http_requests_total\{route="query",status="202"\} \d+/);
  });
});
