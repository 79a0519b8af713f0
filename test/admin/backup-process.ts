/**
 * A real server process (`quiver console`) serving backups from a given home, for the online
 * backup tests, the seeding test and bench/import.ts: the backup listener is the server's own,
 * switched on by `dbms.backup.enabled` as an operator would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { programArgs } from '../helpers/cluster.js';
import { freePort } from '../helpers/quiver-process.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const START_TIMEOUT_MS = 30_000;

export interface BackupServing {
  readonly boltUrl: string;
  readonly backupAddress: string;
  output(): string;
  stop(): Promise<void>;
}

/** Writes conf/quiver.conf with free ports; backups are served on `backupPort` when given. */
async function writeTestConf(home: string, backupPort: number | null = null):
  Promise<{ boltPort: number }> {
  const [boltPort, httpPort] = [await freePort(), await freePort()];
  const backup = backupPort === null ? ['dbms.backup.enabled=false']
    : ['dbms.backup.enabled=true', `dbms.backup.listen_address=127.0.0.1:${backupPort}`];
  fs.mkdirSync(path.join(home, 'conf'), { recursive: true });
  fs.writeFileSync(path.join(home, 'conf', 'quiver.conf'), [
    `dbms.connector.bolt.listen_address=127.0.0.1:${boltPort}`,
    `dbms.connector.bolt.advertised_address=127.0.0.1:${boltPort}`,
    `dbms.connector.http.listen_address=127.0.0.1:${httpPort}`,
    `dbms.connector.http.advertised_address=127.0.0.1:${httpPort}`,
    ...backup, ''].join('\n'));
  return { boltPort };
}

function cleanEnv(password: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(NEO4J|QUIVER)_/.test(key)) env[key] = value;
  }
  return { ...env, NEO4J_AUTH: `neo4j/${password}` };
}

export async function startServing(home: string, password: string): Promise<BackupServing> {
  const backupPort = await freePort();
  const { boltPort } = await writeTestConf(home, backupPort);
  const child = spawn(process.execPath, [...programArgs('quiver'), 'console', '--home', home],
    { cwd: REPO_ROOT, env: cleanEnv(password), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => { output += t; });
  child.stderr.setEncoding('utf8').on('data', (t: string) => { output += t; });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start:\n${output}`)), START_TIMEOUT_MS);
    const check = (): void => {
      if (!/\bStarted\.\n/.test(output)) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout.on('data', check);
    child.once('exit', () => { clearTimeout(timer); reject(new Error(`exited:\n${output}`)); });
  });
  return { boltUrl: `bolt://127.0.0.1:${boltPort}`, backupAddress: `127.0.0.1:${backupPort}`,
    output: () => output, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => { clearTimeout(killer); resolve(); });
    child.kill('SIGTERM');
  });
}
