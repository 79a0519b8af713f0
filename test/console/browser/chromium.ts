/**
 * Debian's Chromium, driven by playwright-core (which never downloads a browser), for the
 * console's browser tests and README screenshots. Fails, never skips, when the browser or the
 * built console is missing, saying what to run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CONSOLE_INDEX = path.join(REPO_ROOT, 'dist', 'web', 'index.html');

/** Keeps Chromium off every network but loopback: no updates, sync, QUIC or name lookups. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-default-apps', '--disable-domain-reliability',
  '--no-proxy-server', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, ' +
  'EXCLUDE 127.0.0.1'];

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/** Throws the sentence a developer needs when the browser tests cannot run as they are. */
export function assertCanRun(): void {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: the console's browser tests drive Debian's ` +
      'Chromium. Install it with `apt-get install chromium` (or set CHROMIUM_PATH).');
  }
  if (!fs.existsSync(CONSOLE_INDEX)) {
    throw new Error(`The console is not built (${CONSOLE_INDEX} is missing): run ` +
      '`npm run build` (`npm ci` runs it through `prepare`).');
  }
  const builtAtMs = fs.statSync(CONSOLE_INDEX).mtimeMs;
  if (newestMtimeMs(path.join(REPO_ROOT, 'web')) > builtAtMs) {
    throw new Error('dist/web is older than web/: rebuild the console with `npm run build:web`.');
  }
}

export interface Chromium {
  readonly page: Page;
  close(): Promise<void>;
}

/** A fresh profile in a temp folder, removed on close, and one page of the given size. */
export async function launchChromium(viewport = { width: 1280, height: 900 }):
  Promise<Chromium> {
  assertCanRun();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'quiver-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM,
      args: CHROMIUM_ARGS, headless: true, viewport });
  } catch (thrown) {
    fs.rmSync(profile, { recursive: true, force: true });
    throw thrown;
  }
  const page = context.pages()[0] ?? await context.newPage();
  return {
    page,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
