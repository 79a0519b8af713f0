/**
 * The console in a real browser (Debian's Chromium through playwright-core) against a real,
 * fresh server: the forced password change, a query, a graph, a syntax error, a wrong
 * password, and the cluster view. Screenshots of each state go to test-output/console/.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { createSilentLogger } from '../../../src/config/logger.js';
import { startServer, type RunningServer } from '../../../src/server/start.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const SHOTS = path.resolve('test-output', 'console');
/** Keeps Chromium off every network but loopback: no updates, no sync, no lookups. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-proxy-server',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-default-apps', '--disable-domain-reliability', '--no-first-run',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'];

let home: string;
let server: RunningServer;
let browser: Browser;
let page: Page;
let boltUrl: string;
let consoleUrl: string;

async function freePort(): Promise<number> {
  const listener = net.createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as net.AddressInfo;
  await new Promise<void>((resolve) => listener.close(() => resolve()));
  return port;
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function runInEditor(query: string): Promise<void> {
  const editor = page.locator('#editor .cm-content');
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(query);
  await page.keyboard.press('Control+Enter');
}

async function login(user: string, password: string): Promise<void> {
  await page.fill('#login-url', boltUrl);
  await page.fill('#login-user', user);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'quiver-console-e2e-'));
  fs.mkdirSync(path.join(home, 'conf'));
  const [boltPort, httpPort] = [await freePort(), await freePort()];
  fs.writeFileSync(path.join(home, 'conf', 'quiver.conf'),
    `dbms.connector.bolt.listen_address=127.0.0.1:${boltPort}\n` +
    `dbms.connector.bolt.advertised_address=127.0.0.1:${boltPort}\n` +
    `dbms.connector.http.listen_address=127.0.0.1:${httpPort}\n` +
    `dbms.connector.http.advertised_address=127.0.0.1:${httpPort}\n`);
  server = await startServer(loadConfig({ home, env: {} }), createSilentLogger());
  boltUrl = `bolt://127.0.0.1:${boltPort}`;
  consoleUrl = `http://127.0.0.1:${httpPort}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('the web console in Chromium', () => {
  it('opens from / and changes the default password of a new install', async () => {
    await page.goto(`${consoleUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/browser/');
    await expect.poll(() => page.inputValue('#login-url')).toBe(boltUrl);
    await login('neo4j', 'neo4j');
    await page.waitForSelector('#password-form:not([hidden])');
    await shot('1-password-change');
    await page.fill('#new-password', 'secret-pass');
    await page.fill('#new-password-again', 'secret-pass');
    await page.click('#password-submit');
    await page.waitForSelector('#workspace:not([hidden])');
    expect(await page.textContent('#connected-as')).toContain('neo4j @ bolt://');
    expect(await page.isVisible('#login-form')).toBe(false);
    expect(await page.isVisible('#password-form')).toBe(false);
  });

  it('runs RETURN 1 with Ctrl+Enter and shows it as a table', async () => {
    await runInEditor('RETURN 1 AS one');
    const frame = page.locator('#frames .frame').first();
    await frame.locator('[data-tab="Table"]').click();
    expect(await frame.locator('th').allTextContents()).toEqual(['one']);
    expect(await frame.locator('td').allTextContents()).toEqual(['1']);
    await shot('2-return-1');
  });

  it('draws the nodes of a result as a graph and lists its rows', async () => {
    await runInEditor("CREATE (k:Person {name:'Keanu'}), (c:Person {name:'Carrie'}), " +
      "(m:Movie {title:'The Matrix'}), (k)-[:ACTED_IN]->(m), (c)-[:ACTED_IN]->(m)");
    await page.locator('#frames .frame').first().locator('[data-tab="Summary"]').click();
    await runInEditor("MATCH (m:Movie {title:'The Matrix'})<-[r]-(p) RETURN *");
    const frame = page.locator('#frames .frame').first();
    await frame.locator('.graph-canvas canvas').first().waitFor();
    await shot('3-graph');
    await frame.locator('[data-tab="Table"]').click();
    expect(await frame.locator('tbody tr').count()).toBe(2);
    expect(await frame.locator('th').allTextContents()).toEqual(['m', 'p', 'r']);
  });

  it('shows a syntax error with its status code', async () => {
    await runInEditor('RETRUN 1');
    const frame = page.locator('#frames .frame').first();
    expect(await frame.locator('.error-code').textContent())
      .toBe('Neo.ClientError.Statement.SyntaxError');
    await shot('4-syntax-error');
  });

  it('shows this member in the cluster view with its role and applied index', async () => {
    await page.click('[data-view="cluster-view"]');
    const row = page.locator('#cluster-view tr.member').first();
    await row.waitFor();
    expect(await row.getAttribute('data-role')).toBe('LEADER');
    expect(await row.getAttribute('class')).toContain('member-healthy');
    await shot('5-cluster');
  });

  it('says so when the password is wrong, and when the server is unreachable', async () => {
    await page.click('#logout');
    expect(await page.isVisible('#workspace')).toBe(false);
    await login('neo4j', 'wrong');
    await expect.poll(() => page.textContent('#login-error'))
      .toContain('Wrong user name or password');
    await page.fill('#login-url', 'bolt://127.0.0.1:1');
    await page.click('#login-submit');
    await expect.poll(() => page.textContent('#login-error'), { timeout: 15_000 })
      .toContain('Cannot reach the server at bolt://127.0.0.1:1');
    await shot('6-login-errors');
  });
});
