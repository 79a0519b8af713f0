/**
 * The console in Debian's Chromium against a real, fresh server: the forced password change,
 * a query, the movie graph loaded through the editor, the schema sidebar, a graph, a syntax
 * error, the cluster view with its chart, a wrong password. Part of `npm test`: fails (never
 * skips) without /usr/bin/chromium or a built console. Screenshots go to test-output/console/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { createSilentLogger } from '../../../src/config/logger.js';
import { startServer, type RunningServer } from '../../../src/server/start.js';
import { freePort } from '../../helpers/quiver-process.js';
import { SHARED_DIR } from '../../shared-dir.js';
import { launchChromium, REPO_ROOT, type Chromium } from './chromium.js';
import { clusterRows, frameOf, login, resultFrameOf, runInEditor, screenshot }
  from './console-page.js';

const SHOTS = path.join(REPO_ROOT, 'test-output', 'console');
const MATRIX_QUERY = "MATCH (m:Movie {title:'The Matrix'})<-[r]-(p) RETURN *";

let home: string;
let server: RunningServer | undefined;
let chromium: Chromium | undefined;
let page: Page;
let boltUrl: string;
let consoleUrl: string;

async function shot(name: string): Promise<void> {
  await screenshot(page, path.join(SHOTS, `${name}.png`));
}

beforeAll(async () => {
  chromium = await launchChromium();
  page = chromium.page;
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'quiver-console-browser-'));
  fs.mkdirSync(path.join(home, 'conf'));
  // Fixed ports, advertised as such: the cluster view reads the member's advertised address.
  const [boltPort, httpPort] = [await freePort(), await freePort()];
  fs.writeFileSync(path.join(home, 'conf', 'quiver.conf'),
    `dbms.connector.bolt.listen_address=127.0.0.1:${boltPort}\n` +
    `dbms.connector.bolt.advertised_address=127.0.0.1:${boltPort}\n` +
    `dbms.connector.http.listen_address=127.0.0.1:${httpPort}\n` +
    `dbms.connector.http.advertised_address=127.0.0.1:${httpPort}\n`);
  server = await startServer(loadConfig({ home, env: {} }), createSilentLogger());
  boltUrl = `bolt://127.0.0.1:${boltPort}`;
  consoleUrl = `http://127.0.0.1:${httpPort}`;
});

afterAll(async () => {
  await chromium?.close();
  await server?.stop();
  if (home !== undefined) fs.rmSync(home, { recursive: true, force: true });
});

describe('the web console in Chromium', () => {
  it('opens from / and changes the default password of a new install', async () => {
    await page.goto(`${consoleUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/browser/');
    await page.locator('#login-url').waitFor();
    await login(page, boltUrl, 'neo4j', 'neo4j');
    await page.waitForSelector('#password-form:not([hidden])');
    await shot('1-password-change');
    await page.fill('#new-password', 'secret-pass');
    await page.fill('#new-password-again', 'secret-pass');
    await page.click('#password-submit');
    await page.waitForSelector('#workspace:not([hidden])');
    expect(await page.textContent('#connected-as')).toBe(`neo4j @ ${boltUrl}`);
    expect(await page.isVisible('#login-form')).toBe(false);
    expect(await page.isVisible('#password-form')).toBe(false);
  });

  it('runs RETURN 1 with Ctrl+Enter and shows it as a table', async () => {
    await runInEditor(page, 'RETURN 1 AS one');
    const frame = await resultFrameOf(page, 'RETURN 1 AS one');
    await frame.locator('[data-tab="Table"]').click();
    expect(await frame.locator('th').allTextContents()).toEqual(['one']);
    expect(await frame.locator('td').allTextContents()).toEqual(['1']);
    await shot('2-return-1');
  });

  it('loads the movie graph as one paste of several statements', async () => {
    const movies = fs.readFileSync(path.join(SHARED_DIR, 'datasets', 'movies.cypher'), 'utf8');
    await runInEditor(page, movies);
    const created = await resultFrameOf(page, 'CREATE (TheMatrix:Movie');
    await created.locator('[data-tab="Summary"]').click();
    expect(await created.locator('.summary').textContent()).toMatch(/nodesCreated: 171\b/);
  });

  it('lists labels, indexes, constraints and procedures in the sidebar', async () => {
    const sidebar = page.locator('#schema');
    await sidebar.getByRole('button', { name: 'Movie', exact: true }).waitFor();
    const headings = await sidebar.locator('h3').allTextContents();
    expect(headings).toEqual(expect.arrayContaining(['Node labels (2)', 'Indexes (4)',
      'Constraints (2)']));
    expect(await sidebar.getByRole('button', { name: 'db.labels', exact: true }).count()).toBe(1);
    await shot('3-schema');
  });

  it('runs the sample query of an index clicked in the sidebar', async () => {
    await page.locator('#schema button', { hasText: ':Person(born) range' }).click();
    const frame = await resultFrameOf(page, 'MATCH (x:Person) WHERE x.born IS NOT NULL');
    await frame.locator('[data-tab="Table"]').click();
    expect(await frame.locator('tbody tr').count()).toBe(25);
    expect(await frame.locator('th').allTextContents()).toEqual(['x', 'x.born']);
  });

  it("draws The Matrix's people as a graph and lists the same rows in the table", async () => {
    await runInEditor(page, MATRIX_QUERY);
    const frame = await resultFrameOf(page, MATRIX_QUERY);
    const canvas = frame.locator('.graph-canvas');
    await canvas.locator('canvas').first().waitFor();
    expect(await canvas.getAttribute('data-node-count')).toBe('9');
    expect(await canvas.getAttribute('data-relationship-count')).toBe('8');
    await shot('4-graph');
    await frame.locator('[data-tab="Table"]').click();
    expect(await frame.locator('tbody tr').count()).toBe(8);
    expect(await frame.locator('th').allTextContents()).toEqual(['m', 'p', 'r']);
  });

  it('shows a syntax error with its status code', async () => {
    await runInEditor(page, 'RETRUN 1');
    const frame = await frameOf(page, 'RETRUN 1');
    expect(await frame.locator('.error-code').textContent())
      .toBe('Neo.ClientError.Statement.SyntaxError');
    await shot('5-syntax-error');
  });

  it('shows this member as leader, with its applied index and a commit chart', async () => {
    await page.click('[data-view="cluster-view"]');
    await expect.poll(() => clusterRows(page), { timeout: 10_000 })
      .toEqual([[expect.any(String), 'LEADER', 'healthy']]);
    const cells = await page.locator('#cluster-view tr.member td').allTextContents();
    expect(Number(cells[5])).toBeGreaterThan(0);
    expect(cells[6]).toBe('0');
    // Two rounds of /metrics make the first point of the chart.
    await expect.poll(() => page.locator('[data-chart="commit-rate"] polyline')
      .getAttribute('points'), { timeout: 10_000 }).toMatch(/^\d/);
    expect(await page.locator('[data-chart="commit-latency"] figcaption').textContent())
      .toMatch(/^Mean commit latency \(ms\): /);
    await shot('6-cluster');
  });

  it('says so when the password is wrong, and when the server is unreachable', async () => {
    await page.click('#logout');
    // Logging out closes the driver first, then shows the login form.
    await expect.poll(() => page.isVisible('#workspace')).toBe(false);
    await login(page, boltUrl, 'neo4j', 'wrong');
    await expect.poll(() => page.textContent('#login-error'))
      .toContain('Wrong user name or password');
    await page.fill('#login-url', 'bolt://127.0.0.1:1');
    await page.click('#login-submit');
    await expect.poll(() => page.textContent('#login-error'), { timeout: 15_000 })
      .toContain('Cannot reach the server at bolt://127.0.0.1:1');
    await shot('7-login-errors');
  });
});
