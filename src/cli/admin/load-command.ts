/**
 * `quiver-admin load --from=FILE --database=neo4j [--force]`: installs a dump archive as the
 * stopped database. The archive is verified (checksums, then the graph it holds) before the
 * existing database is touched; without --force an existing database is left alone.
 */
import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { readDumpArchive } from '../../admin/dump-archive.js';
import { installDatabase, refuseExisting } from '../../admin/store-install.js';
import { readSnapshot } from '../../graph/snapshot.js';
import {
  CommandFailed, databaseDirectory, defaultHome, loadHomeConfig, parseBooleanFlag,
  refuseWhileRunning, runAdminAction, type AdminContext,
} from './admin-context.js';

interface LoadOptions {
  readonly home: string;
  readonly database?: string;
  readonly from: string;
  readonly force?: boolean;
}

async function load(context: AdminContext, opts: LoadOptions): Promise<number> {
  const config = loadHomeConfig(context, opts.home);
  const database = opts.database ?? config.defaultDatabase;
  const dbDir = databaseDirectory(config, database);
  if (!existsSync(opts.from)) throw new CommandFailed(`archive does not exist: ${opts.from}`);
  refuseWhileRunning(config);
  await refuseExisting(dbDir, opts.force === true);
  const { meta, snapshot } = await readDumpArchive(opts.from);
  try {
    const { header } = readSnapshot(snapshot);
    if (header.version !== meta.index) throw new Error(`snapshot is at ${header.version}`);
  } catch (error) {
    throw new CommandFailed(`Not a valid QuiverDB archive: ${opts.from} (the graph does not ` +
      `read back: ${error instanceof Error ? error.message : String(error)})`);
  }
  await installDatabase({ dbDir, index: meta.index, term: meta.term, storeId: meta.storeId,
    snapshot: [snapshot], force: opts.force === true });
  return 0;
}

export function loadCommand(context: AdminContext): Command {
  return new Command('load').description('load a dump archive as a stopped database')
    .requiredOption('--from <file>', 'archive written by dump')
    .option('--database <name>', 'database to load into (default: the default database)')
    .option('--force [bool]', 'replace an existing database', parseBooleanFlag)
    .option('--home <dir>', 'server home directory', defaultHome(context.env))
    .action((opts: LoadOptions) => runAdminAction(context, () => load(context, opts)));
}
