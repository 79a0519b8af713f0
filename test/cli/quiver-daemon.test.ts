import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./fixtures/fake-quiver.ts', import.meta.url));
let home: string;

async function quiver(...args: string[]): Promise<{ code: number; stdout: string;
  stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', fixture, ...args],
      { env: { ...process.env, QUIVER_START_WAIT: '30' } });
    return { code: 0, stdout, stderr };
  } catch (thrown) {
    const failed = thrown as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'quiver-daemon-'));
});

afterAll(async () => {
  await quiver('stop', '--home', home);
  fs.rmSync(home, { recursive: true, force: true });
});

describe('quiver start / status / stop', () => {
  it('runs the server as a daemon with a pid file, as neo4j does', async () => {
    expect(await quiver('status', '--home', home)).toMatchObject({
      code: 3, stdout: 'Quiver is not running.\n' });

    const started = await quiver('start', '--home', home, '--bolt-port=7999');
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/^Directories in use:\n {2}home: {9}/);
    expect(started.stdout)
      .toMatch(/Started quiver \(pid:\d+\)\. It is available at http:\/\/localhost:7474\n$/);
    const pid = Number(/pid:(\d+)/.exec(started.stdout)?.[1]);
    expect(fs.readFileSync(path.join(home, 'run', 'quiver.pid'), 'utf8').trim()).toBe(String(pid));
    for (const dir of ['data', 'logs', 'conf', 'import']) {
      expect(fs.existsSync(path.join(home, dir))).toBe(true);
    }

    expect(await quiver('status', '--home', home)).toMatchObject({
      code: 0, stdout: `Quiver is running at pid ${pid}\n` });
    expect(await quiver('start', '--home', home)).toMatchObject({
      code: 1, stdout: `Quiver is already running (pid:${pid}).\n` });

    const stopped = await quiver('stop', '--home', home);
    expect(stopped).toMatchObject({ code: 0 });
    expect(stopped.stdout).toMatch(/^Stopping Quiver\.\.* stopped\.\n$/);
    expect(fs.existsSync(path.join(home, 'run', 'quiver.pid'))).toBe(false);
    expect(await quiver('stop', '--home', home)).toMatchObject({
      code: 0, stdout: 'Quiver is not running.\n' });

    const log = fs.readFileSync(path.join(home, 'logs', 'quiver.log'), 'utf8');
    expect(log).toMatch(/INFO {2}Starting\.\.\.\n.*bolt port 7999\n.*INFO {2}Started\.\n/s);
    expect(log).toMatch(/INFO {2}Stopping \(SIGTERM\)\.\.\.\n.*INFO {2}Stopped\.\n/s);
  });

  it('reports a server that dies while starting and points at the log', async () => {
    const result = await quiver('start', '--home', home, '--bolt-port=1');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`Unable to start. See ${path.join(home, 'logs',
      'quiver.log')} for details.\n`);
    const log = fs.readFileSync(path.join(home, 'logs', 'quiver.log'), 'utf8');
    expect(log).toMatch(/ERROR Failed to start the server\.\nError: refusing to start on port 1/);
  });

  it('refuses to start with an invalid configuration, naming the setting', async () => {
    const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'quiver-bad-'));
    fs.mkdirSync(path.join(bad, 'conf'));
    fs.writeFileSync(path.join(bad, 'conf', 'quiver.conf'), 'dbms.mode=CORE\nx.y=1\n');
    const result = await quiver('start', '--home', bad);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('Configuration error: Unrecognized setting. No declared setting ' +
      'with name: x.y (conf/quiver.conf:2)\n');
    fs.rmSync(bad, { recursive: true, force: true });
  });
});

/** A home whose quiver.conf sets the heap's size. */
function heapHome(maxSize: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quiver-heap-'));
  fs.mkdirSync(path.join(dir, 'conf'));
  fs.writeFileSync(path.join(dir, 'conf', 'quiver.conf'),
    `dbms.memory.heap.max_size=${maxSize}\ndbms.memory.heap.initial_size=64m\n`);
  return dir;
}

/** The heap limit the server logged, in MiB. */
function loggedHeapMiB(dir: string): number {
  const log = fs.readFileSync(path.join(dir, 'logs', 'quiver.log'), 'utf8');
  const match = /Heap: at most (\d+) MiB \(dbms\.memory\.heap\.max_size\)\./.exec(log);
  if (match === null) throw new Error(`no heap line in the log:\n${log}`);
  return Number(match[1]);
}

describe('dbms.memory.heap.max_size', () => {
  // V8's limit is the old space the setting sizes plus a young generation of a few tens of MiB.
  const isAbout = (mib: number, configured: number): boolean =>
    mib >= configured && mib <= configured + 64;

  it('sizes the heap of the server that start launches', async () => {
    const dir = heapHome('300m');
    try {
      expect((await quiver('start', '--home', dir, '--bolt-port=7998')).code).toBe(0);
      expect(isAbout(loggedHeapMiB(dir), 300)).toBe(true);
    } finally {
      await quiver('stop', '--home', dir);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs a console again with the heap it asks for, and stops it on SIGTERM', async () => {
    const dir = heapHome('200m');
    const parent = spawn(process.execPath, ['--import', 'tsx', fixture, 'console', '--home', dir,
      '--bolt-port=7997'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      parent.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
      await new Promise<void>((resolve, reject) => {
        const poll = setInterval(() => {
          if (out.includes('Started.')) { clearInterval(poll); resolve(); }
        }, 50);
        parent.once('exit', () => { clearInterval(poll); reject(new Error(out)); });
      });
      expect(isAbout(loggedHeapMiB(dir), 200)).toBe(true);
      const serverPid = Number(fs.readFileSync(path.join(dir, 'run', 'quiver.pid'), 'utf8'));
      expect(serverPid).not.toBe(parent.pid);
      const exited = new Promise<number | null>((resolve) => parent.once('exit', resolve));
      parent.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(fs.readFileSync(path.join(dir, 'logs', 'quiver.log'), 'utf8'))
        .toMatch(/INFO {2}Stopping \(SIGTERM\)\.\.\.\n.*INFO {2}Stopped\.\n/s);
    } finally {
      parent.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
