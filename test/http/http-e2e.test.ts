import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as admin } from '../../src/cli/quiver-admin.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createSilentLogger } from '../../src/config/logger.js';
import { databaseHttpBackend } from '../../src/http/database-http-backend.js';
import { startHttpServer, type RunningHttpServer } from '../../src/http/http-server.js';
import { QuiverMetrics } from '../../src/http/metrics.js';
import { startServer, type RunningServer } from '../../src/server/start.js';

let home: string;
let server: RunningServer;
let http: RunningHttpServer;
let base: string;
const AUTH = `Basic ${Buffer.from('neo4j:secret').toString('base64')}`;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'quiver-http-e2e-'));
  fs.mkdirSync(path.join(home, 'conf'));
  // The test serves HTTP itself, below; the server's own listener would take port 7474.
  fs.writeFileSync(path.join(home, 'conf', 'quiver.conf'),
    'dbms.connector.bolt.listen_address=127.0.0.1:0\ndbms.connector.http.enabled=false\n');
  await admin(['set-initial-password', 'secret', '--home', home],
    { env: {}, stdout: () => undefined });
  const logger = createSilentLogger();
  server = await startServer(loadConfig({ home, env: {} }), logger);
  http = await startHttpServer({ host: '127.0.0.1', port: 0, logger,
    backend: databaseHttpBackend(server.backend, { boltAddress: `localhost:${server.boltPort}` }),
    metrics: new QuiverMetrics({ defaultMetrics: false }) });
  base = `http://127.0.0.1:${http.port}`;
});

afterAll(async () => {
  await http.close();
  await server.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

function post(url: string, body: unknown) {
  return fetch(`${base}${url}`, { method: 'POST', body: JSON.stringify(body),
    headers: { Authorization: AUTH, 'Content-Type': 'application/json' } });
}

describe('HTTP against a real database', () => {
  it('writes through the Query API and reads it back with the bookmark', async () => {
    const created = await post('/db/neo4j/query/v2', {
      statement: 'CREATE (p:Person {name: $name, born: $born}) RETURN p',
      parameters: { name: 'Ada', born: 1815 }, includeCounters: true });
    expect(created.status).toBe(202);
    const body = await created.json();
    expect(body.data.fields).toEqual(['p']);
    expect(body.data.values[0][0]).toMatchObject({ labels: ['Person'],
      properties: { name: 'Ada', born: 1815 } });
    expect(body.counters).toMatchObject({ nodesCreated: 1, propertiesSet: 2 });
    const read = await post('/db/neo4j/query/v2', { statement:
      'MATCH (p:Person) RETURN p.name AS name, p.born AS born', bookmarks: body.bookmarks });
    expect((await read.json()).data).toEqual({ fields: ['name', 'born'], values: [['Ada', 1815]] });
  });

  it('keeps an HTTP transaction open and commits it', async () => {
    const opened = await post('/db/neo4j/tx', { statements: [
      { statement: "CREATE (:Person {name: 'Grace'})" }] });
    expect(opened.status).toBe(201);
    const commitUrl = new URL((await opened.json()).commit).pathname;
    const committed = await post(commitUrl, { statements: [
      { statement: 'MATCH (p:Person) RETURN count(p) AS n' }] });
    const body = await committed.json();
    expect(body.errors).toEqual([]);
    expect(body.results[0].data[0].row).toEqual([2]);
  });

  it('returns Neo4j error codes for bad Cypher and bad passwords', async () => {
    const bad = await post('/db/neo4j/query/v2', { statement: 'RETRUN 1' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].code).toBe('Neo.ClientError.Statement.SyntaxError');
    const wrong = await fetch(`${base}/db/neo4j/query/v2`, { method: 'POST',
      body: JSON.stringify({ statement: 'RETURN 1' }),
      headers: { Authorization: `Basic ${Buffer.from('neo4j:nope').toString('base64')}` } });
    expect(wrong.status).toBe(401);
  });

  it('reports a standalone server as a writable leader', async () => {
    const writable = await fetch(`${base}/db/manage/server/causalclustering/writable`,
      { headers: { Authorization: AUTH } });
    expect(`${writable.status} ${await writable.text()}`).toBe('200 true');
  });
});

describe('concurrent read-modify-write over HTTP', () => {
  const CLIENTS = 8;
  const ROUNDS = 15;

  it('every Query API increment commits and none is lost', async () => {
    await post('/db/neo4j/query/v2', { statement: "CREATE (:Counter {id: 'q', n: 0})" });
    const statuses = await Promise.all(Array.from({ length: CLIENTS }, async () => {
      const seen: number[] = [];
      for (let i = 0; i < ROUNDS; i += 1) {
        const answer = await post('/db/neo4j/query/v2',
          { statement: "MATCH (c:Counter {id: 'q'}) SET c.n = c.n + 1" });
        seen.push(answer.status);
        await answer.arrayBuffer();
      }
      return seen;
    }));
    expect(new Set(statuses.flat())).toEqual(new Set([202]));
    const read = await post('/db/neo4j/query/v2',
      { statement: "MATCH (c:Counter {id: 'q'}) RETURN c.n AS n" });
    expect((await read.json() as { data: { values: unknown[][] } }).data.values)
      .toEqual([[CLIENTS * ROUNDS]]);
  });

  it('every one-request transaction on /tx/commit commits and none is lost', async () => {
    await post('/db/neo4j/tx/commit',
      { statements: [{ statement: "CREATE (:Counter {id: 't', n: 0})" }] });
    const errors = await Promise.all(Array.from({ length: CLIENTS }, async () => {
      const seen: unknown[] = [];
      for (let i = 0; i < ROUNDS; i += 1) {
        const answer = await post('/db/neo4j/tx/commit', { statements: [
          { statement: "MATCH (c:Counter {id: 't'}) SET c.n = c.n + 1" }] });
        seen.push(...(await answer.json() as { errors: unknown[] }).errors);
      }
      return seen;
    }));
    expect(errors.flat()).toEqual([]);
    const read = await post('/db/neo4j/tx/commit',
      { statements: [{ statement: "MATCH (c:Counter {id: 't'}) RETURN c.n AS n" }] });
    const body = await read.json() as { results: { data: { row: unknown[] }[] }[] };
    expect(body.results[0]?.data[0]?.row).toEqual([CLIENTS * ROUNDS]);
  });
});
