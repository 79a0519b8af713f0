import { execFile } from 'node:child_process';
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
