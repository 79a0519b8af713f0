/**
 * A real server process serving backups (fixtures/quiver-with-backup.ts) in a given home, and
 * quiver-admin run as a real process, for the online backup tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/quiver-process.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/quiver-with-backup.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const START_TIMEOUT_MS = 30_000;

export interface BackupServing {
  readonly boltUrl: string;
  readonly backupAddress: string;
  output(): string;
  stop(): Promise<void>;
}

/** Writes conf/quiver.conf with free ports (backups served by the fixture, not the setting). */
export async function writeTestConf(home: string): Promise<{ boltPort: number }> {
  const [boltPort, httpPort] = [await freePort(), await freePort()];
  fs.mkdirSync(path.join(home, 'conf'), { recursive: true });
  fs.writeFileSync(path.join(home, 'conf', 'quiver.conf'), [
    `dbms.connector.bolt.listen_address=127.0.0.1:${boltPort}`,
    `dbms.connector.bolt.advertised_address=127.0.0.1:${boltPort}`,
    `dbms.connector.http.listen_address=127.0.0.1:${httpPort}`,
    `dbms.connector.http.advertised_address=127.0.0.1:${httpPort}`,
    'dbms.backup.enabled=false', ''].join('\n'));
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
  const { boltPort } = await writeTestConf(home);
  const backupPort = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, home, String(backupPort)],
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
