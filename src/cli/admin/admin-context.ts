/**
 * What the offline quiver-admin commands share: the home's configuration, where a database
 * lives in it, the refusal to touch a running server's store, and Neo4j's failure shape
 * (`command failed: <reason>` on stderr, exit 1 unless the command says otherwise).
 */
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { InitialPassword } from '../../admin/offline-store.js';
import type { Environment } from '../../config/env-settings.js';
import type { QuiverConfig } from '../../config/quiver-config.js';
import { QuiverError } from '../../errors/quiver-error.js';
import type { CommandOutput } from '../run-commander.js';
import { readRunningPid } from '../server/pid-file.js';
import { loadServerConfig } from '../server/server-home.js';
import { readInitialPassword } from './set-initial-password.js';

export interface AdminContext {
  readonly env: Environment;
  readonly output: CommandOutput;
  readonly setExitCode: (code: number) => void;
}

/** A failure the command reports as `command failed: <message>` with its exit code. */
export class CommandFailed extends Error {
  override name = 'CommandFailed';

  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

export function defaultHome(env: Environment): string {
  return env['QUIVER_HOME'] ?? env['NEO4J_HOME'] ?? '.';
}

export function loadHomeConfig(context: AdminContext, home: string): QuiverConfig {
  const config = loadServerConfig({ home, argv: [], env: context.env, ...context.output });
  if (config === null) throw new CommandFailed('the configuration is not usable');
  return config;
}

export function databaseDirectory(config: QuiverConfig, database: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(database)) {
    throw new CommandFailed(`invalid database name: ${database}`);
  }
  return join(config.directories.data, 'databases', database);
}

/** Offline commands must not race a server writing the same files. */
export function refuseWhileRunning(config: QuiverConfig): void {
  const pid = readRunningPid(config.directories.run);
  if (pid !== null) {
    throw new CommandFailed(`the database is in use -- stop QuiverDB (pid ${pid}) and try again`);
  }
}

/** The password the server gives user neo4j before any user change (see src/server/start.ts). */
export function initialPasswordOf(config: QuiverConfig): InitialPassword {
  const fromFile = readInitialPassword(config.directories.data);
  if (fromFile !== null) {
    return { password: fromFile.password, changeRequired: fromFile.requirePasswordChange };
  }
  if (config.auth.initialPassword !== null) {
    return { password: config.auth.initialPassword, changeRequired: false };
  }
  return { password: 'neo4j', changeRequired: true };
}

/** Runs a command body, turning its failures into Neo4j's `command failed:` line and exit code. */
export async function runAdminAction(context: AdminContext, body: () => Promise<number>):
  Promise<void> {
  try {
    context.setExitCode(await body());
  } catch (thrown) {
    if (!(thrown instanceof CommandFailed) && !(thrown instanceof QuiverError)) throw thrown;
    context.output.stderr(`command failed: ${thrown.message}\n`);
    context.setExitCode(thrown instanceof CommandFailed ? thrown.exitCode : 1);
  }
}

/**
 * Neo4j's boolean flags: `--force` alone means true, `--force=true|false` says which. Used as
 * commander's parser of an option declared `--name [bool]`.
 */
export function parseBooleanFlag(value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InvalidArgumentError(`expected true or false, not '${value}'`);
}
