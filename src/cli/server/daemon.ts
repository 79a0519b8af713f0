/**
 * `quiver start | stop | status`: the daemon around `quiver console`, with Neo4j's messages and
 * exit codes (status: 0 running, 3 not running). `start` returns once the server has logged
 * "Started." or has died, so scripts can rely on it being up.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { QuiverConfig } from '../../config/quiver-config.js';
import { logFilePath } from './console-command.js';
import { heapFlags } from './heap-flags.js';
import { isProcessAlive, readRunningPid, removePidFile } from './pid-file.js';
import {
  createDirectories, describeDirectories, httpUrl, loadServerConfig, type ServerCommandOptions,
} from './server-home.js';

const POLL_INTERVAL_MS = 100;
const STARTED_LINE = /\s(INFO|WARN)\s+Started\.\n/;
const LOG_TAIL_BYTES_MAX = 1024 * 1024;

export interface DaemonOptions extends ServerCommandOptions {
  /**
   * node, its flags and the script that run `quiver` (the heap's flags go right after node, the
   * `console` verb at the end).
   */
  readonly quiverCommand: readonly string[];
  readonly startWaitMs: number;
  readonly shutdownTimeoutMs: number;
}

export type LaunchOutcome =
  | { readonly kind: 'started'; readonly pid: number }
  | { readonly kind: 'died'; readonly pid: number | null }
  | { readonly kind: 'timeout'; readonly pid: number };

function logSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function logContainsStarted(file: string, fromOffset: number): boolean {
  const length = Math.min(logSize(file) - fromOffset, LOG_TAIL_BYTES_MAX);
  if (length <= 0) return false;
  const buffer = Buffer.alloc(length);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, buffer, 0, length, fromOffset);
  } finally {
    fs.closeSync(fd);
  }
  return STARTED_LINE.test(buffer.toString('utf8'));
}

/** Spawns `console --daemon` detached, output appended to the log, and waits for "Started.". */
export async function launchDaemon(config: QuiverConfig,
  options: DaemonOptions): Promise<LaunchOutcome> {
  createDirectories(config);
  const logFile = logFilePath(config);
  const offset = logSize(logFile);
  const out = fs.openSync(logFile, 'a');
  const [program = process.execPath, ...prefix] = options.quiverCommand;
  // Node flags go before the script: quiverCommand is node, its own flags, then the script.
  const child = spawn(program, [...heapFlags(config.memory), ...prefix, 'console', '--home',
    config.directories.home, '--daemon', ...options.argv],
    { detached: true, stdio: ['ignore', out, out], env: options.env });
  fs.closeSync(out);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  child.once('error', () => {
    exited = true;
  });
  child.unref();
  const pid = child.pid ?? null;
  for (let waitedMs = 0; waitedMs < options.startWaitMs; waitedMs += POLL_INTERVAL_MS) {
    if (pid !== null && logContainsStarted(logFile, offset)) return { kind: 'started', pid };
    if (exited || pid === null) return { kind: 'died', pid };
    await sleep(POLL_INTERVAL_MS);
  }
  return pid === null ? { kind: 'died', pid } : { kind: 'timeout', pid };
}

export async function startCommand(options: DaemonOptions): Promise<number> {
  const config = loadServerConfig(options);
  if (config === null) return 1;
  const running = readRunningPid(config.directories.run);
  if (running !== null) {
    options.stdout(`Quiver is already running (pid:${running}).\n`);
    return 1;
  }
  options.stdout(`${describeDirectories(config)}Starting Quiver.\n`);
  const outcome = await launchDaemon(config, options);
  if (outcome.kind === 'timeout') {
    options.stderr(`Quiver (pid:${outcome.pid}) has not started within ` +
      `${Math.round(options.startWaitMs / 1000)} seconds and is still starting. ` +
      `See ${logFilePath(config)} for its progress.\n`);
    return 1;
  }
  if (outcome.kind === 'died') {
    options.stderr(`Unable to start. See ${logFilePath(config)} for details.\n`);
    return 1;
  }
  options.stdout(`Started quiver (pid:${outcome.pid}). It is available at ${httpUrl(config)}\n`);
  return 0;
}

/** Sends SIGTERM and waits; true once the process is gone. */
export async function stopProcess(pid: number, timeoutMs: number,
  onSecond: () => void = () => undefined): Promise<boolean> {
  process.kill(pid, 'SIGTERM');
  for (let waitedMs = 0; waitedMs < timeoutMs; waitedMs += POLL_INTERVAL_MS) {
    if (!isProcessAlive(pid)) return true;
    await sleep(POLL_INTERVAL_MS);
    if ((waitedMs + POLL_INTERVAL_MS) % 1000 === 0) onSecond();
  }
  return !isProcessAlive(pid);
}

export async function stopCommand(options: DaemonOptions): Promise<number> {
  const config = loadServerConfig(options);
  if (config === null) return 1;
  const pid = readRunningPid(config.directories.run);
  if (pid === null) {
    options.stdout('Quiver is not running.\n');
    return 0;
  }
  options.stdout('Stopping Quiver.');
  const stopped = await stopProcess(pid, options.shutdownTimeoutMs, () => options.stdout('.'));
  if (!stopped) {
    const seconds = Math.round(options.shutdownTimeoutMs / 1000);
    options.stdout(` failed to stop.\nQuiver (pid:${pid}) took more than ${seconds} seconds ` +
      `to stop.\nPlease see ${logFilePath(config)} for details.\n`);
    return 1;
  }
  removePidFile(config.directories.run, pid);
  options.stdout(' stopped.\n');
  return 0;
}

export const STATUS_NOT_RUNNING_EXIT_CODE = 3;

export function statusCommand(options: ServerCommandOptions): number {
  const config = loadServerConfig(options);
  if (config === null) return 1;
  const pid = readRunningPid(config.directories.run);
  if (pid === null) {
    options.stdout('Quiver is not running.\n');
    return STATUS_NOT_RUNNING_EXIT_CODE;
  }
  options.stdout(`Quiver is running at pid ${pid}\n`);
  return 0;
}
