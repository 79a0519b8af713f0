/**
 * `quiver-admin restore --from=BACKUP_DIR --database=neo4j [--force]`: installs a verified backup
 * as the stopped member's database (src/admin/backup-restore.ts). Silent on success, as
 * neo4j-admin is.
 */
import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { restoreBackup } from '../../admin/backup-restore.js';
import {
  CommandFailed, databaseDirectory, defaultHome, initialPasswordOf, loadHomeConfig,
  parseBooleanFlag, refuseWhileRunning, runAdminAction, type AdminContext,
} from './admin-context.js';

interface RestoreOptions {
  readonly home: string;
  readonly from: string;
  readonly database?: string;
  readonly force?: boolean;
}

async function restore(context: AdminContext, opts: RestoreOptions): Promise<number> {
  const config = loadHomeConfig(context, opts.home);
  const database = opts.database ?? config.defaultDatabase;
  if (!existsSync(opts.from)) {
    throw new CommandFailed(`Source directory does not exist [${opts.from}]`);
  }
  refuseWhileRunning(config);
  await restoreBackup({ from: opts.from, dbDir: databaseDirectory(config, database),
    force: opts.force === true, initialPassword: initialPasswordOf(config) });
  return 0;
}

export function restoreCommand(context: AdminContext): Command {
  return new Command('restore').description('restore a backup into a stopped member')
    .requiredOption('--from <dir>', 'backup folder written by quiver-admin backup')
    .option('--database <name>', 'database to restore into (default: the default database)')
    .option('--force [bool]', 'replace an existing database', parseBooleanFlag)
    .option('--home <dir>', 'server home directory', defaultHome(context.env))
    .action((opts: RestoreOptions) => runAdminAction(context, () => restore(context, opts)));
}
