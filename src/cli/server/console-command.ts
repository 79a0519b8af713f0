/**
 * `quiver console`: runs the server in the foreground until SIGTERM or SIGINT. Under `start` it
 * is the daemon itself (`--daemon`): its stdout is already logs/quiver.log, so it logs there only.
 */
import path from 'node:path';
import type { QuiverConfig } from '../../config/quiver-config.js';
import { createLogger, type Logger } from '../../config/logger.js';
import { heapFlags, heapLine, runAgainWith, runsWith } from './heap-flags.js';
import { readRunningPid, removePidFile, writePidFile } from './pid-file.js';
import {
  createDirectories, describeDirectories, loadServerConfig, type ServerCommandOptions,
} from './server-home.js';

export interface RunningServer {
  stop(): Promise<void>;
}

export type StartServer = (config: QuiverConfig, logger: Logger) => Promise<RunningServer>;

export interface ConsoleOptions extends ServerCommandOptions {
  readonly daemon: boolean;
  readonly startServer: StartServer;
  /** Resolves with the signal name when the server should stop. */
  readonly waitForStopSignal: () => Promise<string>;
}

export const LOG_FILE_NAME = 'quiver.log';

export function logFilePath(config: QuiverConfig): string {
  return path.join(config.directories.logs, LOG_FILE_NAME);
}

/** Resolves on the first SIGTERM/SIGINT; a second one while stopping exits at once. */
export function waitForProcessSignal(): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: string) => {
      process.removeListener('SIGTERM', onSignal);
      process.removeListener('SIGINT', onSignal);
      process.once('SIGTERM', () => process.exit(1));
      process.once('SIGINT', () => process.exit(1));
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

async function serveUntilSignal(config: QuiverConfig, logger: Logger,
  options: ConsoleOptions): Promise<number> {
  let server: RunningServer;
  try {
    server = await options.startServer(config, logger);
  } catch (thrown) {
    logger.error({ err: thrown }, 'Failed to start the server.');
    return 1;
  }
  logger.info('Started.');
  const signal = await options.waitForStopSignal();
  logger.info(`Stopping (${signal})...`);
  try {
    await server.stop();
  } catch (thrown) {
    logger.error({ err: thrown }, 'Failed to stop cleanly.');
    return 1;
  }
  logger.info('Stopped.');
  return 0;
}

export async function runConsole(options: ConsoleOptions): Promise<number> {
  const config = loadServerConfig(options);
  if (config === null) return 1;
  // The daemon starts its server with these flags already; a console may have to run again.
  const flags = heapFlags(config.memory);
  if (!runsWith(flags)) return runAgainWith(flags);
  const runningPid = readRunningPid(config.directories.run);
  if (runningPid !== null && runningPid !== process.pid) {
    options.stderr(`Quiver is already running (pid:${runningPid}).\n`);
    return 1;
  }
  createDirectories(config);
  if (!options.daemon) options.stdout(`${describeDirectories(config)}Starting Quiver.\n`);
  const owned = createLogger({
    logFile: options.daemon ? null : logFilePath(config), stdout: true,
  });
  writePidFile(config.directories.run, process.pid);
  try {
    owned.logger.info('Starting...');
    owned.logger.info(heapLine(config.memory));
    for (const warning of config.warnings) owned.logger.warn(warning);
    return await serveUntilSignal(config, owned.logger, options);
  } finally {
    removePidFile(config.directories.run, process.pid);
    owned.close();
  }
}
