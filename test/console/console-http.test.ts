import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createSilentLogger } from '../../src/config/logger.js';
import { startServer, type RunningServer } from '../../src/server/start.js';

let home: string;
let server: RunningServer;
let base: string;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'quiver-console-'));
  fs.mkdirSync(path.join(home, 'conf'));
  fs.writeFileSync(path.join(home, 'conf', 'quiver.conf'),
    'dbms.connector.bolt.listen_address=127.0.0.1:0\n' +
    'dbms.connector.http.listen_address=127.0.0.1:0\n');
  server = await startServer(loadConfig({ home, env: {} }), createSilentLogger());
  base = `http://127.0.0.1:${server.httpPort ?? 0}`;
});

afterAll(async () => {
  await server.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('the web console over HTTP', () => {
  it('sends a browser that opens / to /browser/', async () => {
    const response = await fetch(`${base}/`, { redirect: 'manual',
      headers: { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/browser/');
  });

  it('still answers / with the discovery document for JSON clients', async () => {
    const response = await fetch(`${base}/`, { headers: { Accept: 'application/json' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toHaveProperty('bolt_direct');
  });

  it('serves index.html and the script bundle it names, without auth', async () => {
    const page = await fetch(`${base}/browser/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('id="login-form"');
    const script = /<script[^>]+src="([^"]+\.js)"/.exec(html)?.[1];
    expect(script).toMatch(/^\/browser\/assets\//);
    const bundle = await fetch(`${base}${script ?? ''}`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('text/javascript');
    expect(bundle.headers.get('cache-control')).toContain('immutable');
    // The driver's WebSocket channel is in the bundle: nothing is loaded from a CDN.
    expect(await bundle.text()).toContain('WebSocket');
    expect(html).not.toMatch(/src="https?:/);
  });

  it('redirects /browser to /browser/ and 404s a missing file', async () => {
    const bare = await fetch(`${base}/browser`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/browser/');
    expect((await fetch(`${base}/browser/no-such-file.js`)).status).toBe(404);
  });

  it('never serves a file outside the console folder', async () => {
    for (const attempt of ['/browser/..%2f..%2fpackage.json', '/browser/%2e%2e/%2e%2e/package.json',
      '/browser/..%5c..%5cpackage.json']) {
      const response = await fetch(`${base}${attempt}`);
      expect(response.status, attempt).toBe(404);
      expect(await response.text(), attempt).not.toContain('"name": "quiverdb"');
    }
  });

  it('lets the console on another member read this status endpoint (CORS)', async () => {
    const preflight = await fetch(`${base}/db/manage/server/causalclustering/status`, {
      method: 'OPTIONS', headers: { Origin: 'http://other:7474',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
    const status = await fetch(`${base}/db/manage/server/causalclustering/status`,
      { headers: { Origin: 'http://other:7474' } });
    expect(status.headers.get('access-control-allow-origin')).toBe('*');
  });
});
