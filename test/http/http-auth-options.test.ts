import { afterEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/config/logger.js';
import { parseBasicAuth } from '../../src/http/http-auth.js';
import { startHttpServer, type RunningHttpServer } from '../../src/http/http-server.js';
import { QuiverMetrics } from '../../src/http/metrics.js';
import { FakeBackend } from './fake-backend.js';

let server: RunningHttpServer | null = null;

afterEach(async () => {
  await server?.close();
  server = null;
});

async function start(auth: { enabled: boolean; clusterStatusAuthEnabled: boolean }) {
  server = await startHttpServer({ host: '127.0.0.1', port: 0, backend: new FakeBackend(),
    metrics: new QuiverMetrics({ defaultMetrics: false }), logger: createSilentLogger(), auth });
  return `http://127.0.0.1:${server.port}`;
}

describe('authentication settings', () => {
  it('lets load balancers read cluster status without credentials when configured', async () => {
    const base = await start({ enabled: true, clusterStatusAuthEnabled: false });
    const status = await fetch(`${base}/db/manage/server/causalclustering/available`);
    expect(`${status.status} ${await status.text()}`).toBe('200 true');
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
  });

  it('asks for nothing when auth is disabled', async () => {
    const base = await start({ enabled: false, clusterStatusAuthEnabled: true });
    const response = await fetch(`${base}/db/neo4j/query/v2`, { method: 'POST',
      body: JSON.stringify({ statement: 'RETURN $x AS x', parameters: { x: 1 } }) });
    expect(response.status).toBe(202);
  });

  it('parses basic credentials, passwords with colons included', () => {
    const header = `Basic ${Buffer.from('neo4j:a:b').toString('base64')}`;
    expect(parseBasicAuth(header)).toEqual({ user: 'neo4j', password: 'a:b' });
    expect(parseBasicAuth('Bearer x')).toBeNull();
    expect(parseBasicAuth(undefined)).toBeNull();
  });
});
