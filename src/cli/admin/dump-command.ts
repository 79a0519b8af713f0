/**
 * `quiver-admin dump --database=neo4j --to=FILE`: the stopped database's graph and users at its
 * last log index, in one checksummed archive (src/admin/dump-archive.ts). Silent on success, as
 * neo4j-admin is.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { DUMP_FORMAT, writeDumpArchive } from '../../admin/dump-archive.js';
import { isDatabaseDirectory, recoverOffline, snapshotOf } from '../../admin/offline-store.js';
import { newStoreId } from '../../db/transaction.js';
import {
  CommandFailed, databaseDirectory, defaultHome, initialPasswordOf, loadHomeConfig,
  refuseWhileRunning, runAdminAction, type AdminContext,
} from './admin-context.js';

interface DumpOptions {
  readonly home: string;
  readonly database?: string;
  readonly to: string;
}

/** A folder given as --to receives `<database>.dump`, as in Neo4j. */
function archivePath(to: string, database: string): string {
  const isFolder = existsSync(to) && statSync(to).isDirectory();
  return isFolder ? join(to, `${database}.dump`) : to;
}

async function dump(context: AdminContext, opts: DumpOptions): Promise<number> {
  const config = loadHomeConfig(context, opts.home);
  const database = opts.database ?? config.defaultDatabase;
  const dbDir = databaseDirectory(config, database);
  if (!await isDatabaseDirectory(dbDir)) {
    throw new CommandFailed(`database does not exist: ${database}`);
  }
  refuseWhileRunning(config);
  const file = archivePath(opts.to, database);
  if (existsSync(file)) throw new CommandFailed(`archive already exists: ${file}`);
  const recovered = await recoverOffline(dbDir, { initialPassword: initialPasswordOf(config) });
  await writeDumpArchive(file, {
    format: DUMP_FORMAT, database, storeId: recovered.storeId ?? newStoreId(),
    index: recovered.index, term: recovered.term, nodeCount: recovered.store.liveNodeCount,
    relationshipCount: recovered.store.liveRelCount, createdAt: new Date().toISOString(),
  }, snapshotOf(recovered));
  return 0;
}

export function dumpCommand(context: AdminContext): Command {
  return new Command('dump').description('dump a stopped database into one archive file')
    .option('--database <name>', 'database to dump (default: the default database)')
    .requiredOption('--to <path>', 'archive file, or a folder to write <database>.dump into')
    .option('--home <dir>', 'server home directory', defaultHome(context.env))
    .action((opts: DumpOptions) => runAdminAction(context, () => dump(context, opts)));
}
