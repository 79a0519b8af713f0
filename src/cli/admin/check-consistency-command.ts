/**
 * `quiver-admin check-consistency [--database=neo4j | --backup=PATH]`: checks a stopped database,
 * a backup folder or a dump archive. Each problem is one line on stdout; any problem makes the
 * exit code 1 with Neo4j's `Inconsistencies found` failure line.
 */
import { statSync } from 'node:fs';
import { Command } from 'commander';
import {
  checkBackupDirectory, checkDatabaseDirectory, checkDumpArchive, type CheckOutcome,
} from '../../admin/store-check.js';
import {
  CommandFailed, databaseDirectory, defaultHome, initialPasswordOf, loadHomeConfig,
  refuseWhileRunning, runAdminAction, type AdminContext,
} from './admin-context.js';

interface CheckOptions {
  readonly home: string;
  readonly database?: string;
  readonly backup?: string;
}

async function checkSubject(context: AdminContext, opts: CheckOptions): Promise<CheckOutcome> {
  if (opts.backup !== undefined) {
    if (opts.database !== undefined) {
      throw new CommandFailed("Only one of '--database' and '--backup' can be specified.");
    }
    const isFolder = statSync(opts.backup, { throwIfNoEntry: false })?.isDirectory();
    if (isFolder === undefined) throw new CommandFailed(`backup does not exist: ${opts.backup}`);
    return isFolder ? checkBackupDirectory(opts.backup) : checkDumpArchive(opts.backup);
  }
  const config = loadHomeConfig(context, opts.home);
  const database = opts.database ?? config.defaultDatabase;
  refuseWhileRunning(config);
  return checkDatabaseDirectory(databaseDirectory(config, database), initialPasswordOf(config));
}

/** Prints the report; the exit code is the caller's to decide from the returned count. */
export function printCheckOutcome(context: AdminContext, outcome: CheckOutcome): number {
  for (const line of outcome.problems) context.output.stdout(`${line}\n`);
  const found = outcome.problems.length + outcome.problemsUnlisted;
  if (outcome.problemsUnlisted > 0) {
    context.output.stdout(`... and ${outcome.problemsUnlisted} more problems\n`);
  }
  if (found === 0) {
    context.output.stdout(`Consistency check passed: ${outcome.nodeCount} nodes, ` +
      `${outcome.relationshipCount} relationships at log index ${outcome.index}.\n`);
  }
  return found;
}

async function check(context: AdminContext, opts: CheckOptions): Promise<number> {
  const found = printCheckOutcome(context, await checkSubject(context, opts));
  if (found > 0) throw new CommandFailed(`Inconsistencies found: ${found} problems.`);
  return 0;
}

export function checkConsistencyCommand(context: AdminContext, name = 'check-consistency'):
  Command {
  return new Command(name).description('check a stopped database, a backup or a dump')
    .option('--database <name>', 'database to check (default: the default database)')
    .option('--backup <path>', 'a backup folder or a dump archive to check instead')
    .option('--home <dir>', 'server home directory', defaultHome(context.env))
    .action((opts: CheckOptions) => runAdminAction(context, () => check(context, opts)));
}
