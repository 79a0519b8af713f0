/**
 * Real QuiverDB server processes for tests and benchmarks: each gets a fresh home in the temp
 * directory, free ports written into conf/quiver.conf, and runs `quiver console` from source
 * (through tsx, so the working tree is what is tested, not a stale dist/). Started means the
 * server printed "Started."; stop() sends SIGTERM to that pid and waits for the exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI_ENTRY = fileURLToPath(new URL('./cli-entry.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const START_TIMEOUT_MS_DEFAULT = 30_000;
const STOP_TIMEOUT_MS = 10_000;
/** Keeps the tail of a chatty server's output for failure messages, not all of it. */
const OUTPUT_CHARS_MAX = 64 * 1024;

/** Servers still running; killed if this process exits without stopping them (a crashed run). */
const liveChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

export type CliProgram = 'quiver' | 'quiver-admin' | 'quiver-shell';

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface StartOptions {
  /**
   * Password of user neo4j at the first start ('quiver-test' when omitted). null keeps Neo4j's
   * default neo4j/neo4j, which must be changed before anything else.
   */
  readonly password?: string | null;
  /**
   * How the password is set: Docker's NEO4J_AUTH=neo4j/PW (the default: no extra process), or
   * `quiver-admin set-initial-password PW` run against the home before the first start.
   */
  readonly initialPasswordBy?: 'NEO4J_AUTH' | 'quiver-admin';
  /** Extra quiver.conf lines (setting name → value). */
  readonly conf?: Readonly<Record<string, string>>;
  readonly startTimeoutMs?: number;
}

export interface QuiverServer {
  readonly home: string;
  /** Of the current process (a restart changes it). */
  readonly pid: number;
  readonly boltPort: number;
  readonly httpPort: number;
  /** bolt://127.0.0.1:PORT */
  readonly boltUrl: string;
  /** The password neo4j starts with. */
  readonly password: string;
  /** Everything the process wrote so far (stdout and stderr, interleaved, tail only). */
  output(): string;
  /** SIGTERM, wait for the exit, then start again in the same home on the same ports. */
  restart(): Promise<void>;
  /** SIGTERM, wait for the exit (SIGKILL after a grace period), remove the home. */
  stop(): Promise<void>;
}

function cliArgs(program: CliProgram, args: readonly string[]): string[] {
  return ['--import', 'tsx', CLI_ENTRY, program, ...args];
}

/** This process's environment without settings (NEO4J_*, QUIVER_*) that would reconfigure. */
export function isolatedEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(NEO4J|QUIVER)_/.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

/** A port nobody listens on right now (the kernel's choice for port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

const PORT_DRAWS_MAX = 1000;

/**
 * Distinct free loopback ports from below the kernel's ephemeral range, for cluster members. A
 * member that a test or a nemesis restarts must get its ports back, and the kernel hands ephemeral ports to any process's
 * listen(0) or outgoing connection meanwhile: another test on the machine once took a chaos
 * replica's port (seed 3027), and the replica could not restart. Below the range only processes
 * that name a port can take it.
 */
export async function stablePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  const [low, high] = stablePortRange();
  for (let draws = 0; ports.size < count; draws += 1) {
    if (draws >= PORT_DRAWS_MAX) throw new Error(`no ${count} distinct free ports`);
    const port = low + Math.floor(Math.random() * (high - low));
    if (!ports.has(port) && await isFree(port)) ports.add(port);
  }
  return [...ports];
}

/** [low, high) below the ephemeral range (Linux's default range when it cannot be read). */
function stablePortRange(): [number, number] {
  let ephemeralLow = 32768;
  try {
    const text = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
    ephemeralLow = Number(text.trim().split(/\s+/)[0]) || ephemeralLow;
  } catch {
    // not Linux: keep the default
  }
  return [Math.max(1024, ephemeralLow - 20_000), ephemeralLow];
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** Runs quiver, quiver-admin or quiver-shell to completion, optionally feeding stdin. */
export function runCli(program: CliProgram, args: readonly string[],
  options: { stdin?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cliArgs(program, args), {
      cwd: REPO_ROOT, env: isolatedEnv(), stdio: ['pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => { stdout += text; });
    child.stderr.setEncoding('utf8').on('data', (text: string) => { stderr += text; });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

function writeConf(home: string, lines: Readonly<Record<string, string>>): void {
  fs.mkdirSync(path.join(home, 'conf'), { recursive: true });
  const text = Object.entries(lines).map(([key, value]) => `${key}=${value}\n`).join('');
  fs.writeFileSync(path.join(home, 'conf', 'quiver.conf'), text);
}

function waitForStarted(child: ChildProcess, output: () => string, timeoutMs: number):
  Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(
      `server did not print "Started." within ${timeoutMs} ms:\n${output()}`)), timeoutMs);
    const onData = () => {
      if (/\bStarted\.\n/.test(output())) finish(null);
    };
    const onExit = (code: number | null) => finish(new Error(
      `server exited (code ${code}) before "Started.":\n${output()}`));
    function finish(error: Error | null): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (error === null) resolve();
      else reject(error);
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function setInitialPassword(home: string, password: string): Promise<void> {
  const result = await runCli('quiver-admin', ['set-initial-password', password, '--home', home]);
  if (result.code !== 0) {
    throw new Error(`set-initial-password failed (${result.code}): ${result.stderr}`);
  }
}

interface Running {
  readonly child: ChildProcess;
  output: string;
}

/** Spawns `quiver console --home HOME` and resolves once it printed "Started.". */
async function launch(home: string, env: NodeJS.ProcessEnv, startTimeoutMs: number):
  Promise<Running> {
  const child = spawn(process.execPath, cliArgs('quiver', ['console', '--home', home]), {
    cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  const running: Running = { child, output: '' };
  const append = (text: string) => {
    running.output = (running.output + text).slice(-OUTPUT_CHARS_MAX);
  };
  child.stdout.setEncoding('utf8').on('data', append);
  child.stderr.setEncoding('utf8').on('data', append);
  try {
    await waitForStarted(child, () => running.output, startTimeoutMs);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return running;
}

/** Starts `quiver console` in a new temp home and resolves once it printed "Started.". */
export async function startQuiverServer(options: StartOptions = {}): Promise<QuiverServer> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'quiver-server-'));
  const [boltPort, httpPort] = [await freePort(), await freePort()];
  writeConf(home, {
    'dbms.connector.bolt.listen_address': `127.0.0.1:${boltPort}`,
    'dbms.connector.bolt.advertised_address': `127.0.0.1:${boltPort}`,
    'dbms.connector.http.listen_address': `127.0.0.1:${httpPort}`,
    'dbms.connector.http.advertised_address': `127.0.0.1:${httpPort}`,
    // Parallel test servers must not compete for the default backup port.
    'dbms.backup.enabled': 'false',
    ...options.conf,
  });
  const password = options.password === undefined ? 'quiver-test' : options.password;
  const startTimeoutMs = options.startTimeoutMs ?? START_TIMEOUT_MS_DEFAULT;
  const byAdmin = password !== null && options.initialPasswordBy === 'quiver-admin';
  const env = isolatedEnv(password === null || byAdmin ? {} : { NEO4J_AUTH: `neo4j/${password}` });
  let running: Running;
  try {
    if (byAdmin) await setInitialPassword(home, password);
    running = await launch(home, env, startTimeoutMs);
  } catch (error) {
    fs.rmSync(home, { recursive: true, force: true });
    throw error;
  }
  return {
    home, boltPort, httpPort, boltUrl: `bolt://127.0.0.1:${boltPort}`,
    password: password ?? 'neo4j',
    get pid() { return running.child.pid ?? -1; },
    output: () => running.output,
    restart: async () => {
      await stopChild(running.child);
      running = await launch(home, env, startTimeoutMs);
    },
    stop: async () => {
      await stopChild(running.child);
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
