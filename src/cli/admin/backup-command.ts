/**
 * `quiver-admin backup --from=HOST:PORT --backup-dir=DIR --name=NAME [--check-consistency]`:
 * an online backup from a running member's backup port (src/admin/backup-client.ts). Progress
 * goes to stdout; the last line is `Backup complete.`. Exit codes as neo4j-admin 3.5: 1 the
 * backup failed, 3 the backup was taken but is inconsistent.
 */
import { Command, InvalidArgumentError } from 'commander';
import { runBackup } from '../../admin/backup-client.js';
import { SnapshotChecker } from '../../admin/snapshot-check.js';
import { checkBackupDirectory } from '../../admin/store-check.js';
import { parseSocketAddress, type SocketAddress } from '../../config/socket-address.js';
import { channelForPolicy } from '../../security/member-channel.js';
import {
  CommandFailed, defaultHome, loadHomeConfig, parseBooleanFlag, runAdminAction, type AdminContext,
} from './admin-context.js';
import { printCheckOutcome } from './check-consistency-command.js';

interface BackupCommandOptions {
  readonly from: SocketAddress;
  readonly backupDir: string;
  readonly name: string;
  readonly database: string;
  readonly checkConsistency: boolean;
  /** Home whose quiver.conf gives dbms.cluster.secret and dbms.ssl.policy.backup.*. */
  readonly home: string;
  readonly clusterSecret?: string;
}

const BACKUP_PORT_DEFAULT = 6362;

function parseFrom(value: string): SocketAddress {
  try {
    return parseSocketAddress(value, BACKUP_PORT_DEFAULT);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

async function backup(context: AdminContext, opts: BackupCommandOptions): Promise<number> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(opts.name)) {
    throw new CommandFailed(`invalid backup name: ${opts.name}`);
  }
  const progress = (line: string): void => context.output.stdout(`${line}\n`);
  const config = loadHomeConfig(context, opts.home);
  const channel = channelForPolicy(config.security.ssl.backup,
    (line) => context.output.stderr(`${line}\n`));
  // The check of a full backup's snapshot runs on its pieces while the rest is on the wire.
  const checker = opts.checkConsistency ? new SnapshotChecker() : null;
  const outcome = await runBackup({ host: opts.from.host, port: opts.from.port,
    backupDir: opts.backupDir, name: opts.name, database: opts.database, progress, channel,
    secret: opts.clusterSecret ?? config.security.clusterSecret,
    ...(checker === null ? {} : { snapshotTap: (bytes: Uint8Array) => checker.push(bytes) }) });
  progress(`${outcome.mode === 'full' ? 'Full' : 'Incremental'} backup of ` +
    `${outcome.entriesReceived} transactions; it stands at log index ` +
    `${outcome.manifest.lastIndex}.`);
  if (opts.checkConsistency) {
    progress('Checking the consistency of the backup');
    const found = printCheckOutcome(context, await checkBackupDirectory(outcome.dir, {
      sealed: outcome.manifest, ...(checker === null ? {} : { streamed: checker }) }));
    if (found > 0) throw new CommandFailed(`Inconsistencies found: ${found} problems.`, 3);
  }
  progress('Backup complete.');
  return 0;
}

export function backupCommand(context: AdminContext): Command {
  return new Command('backup').description('back up a running member over its backup port')
    .requiredOption('--backup-dir <dir>', 'existing folder that holds backups')
    .requiredOption('--name <name>', 'backup folder inside --backup-dir (incremental if it exists)')
    .option('--from <host:port>', 'backup address of the member', parseFrom,
      { host: 'localhost', port: BACKUP_PORT_DEFAULT })
    .option('--database <name>', 'database to back up', 'neo4j')
    .option('--home <dir>', 'home whose quiver.conf gives the cluster secret and backup TLS',
      defaultHome(context.env))
    .option('--cluster-secret <secret>', 'dbms.cluster.secret of the member (default: the conf)')
    .option('--check-consistency [bool]', 'check the backup when it is taken', parseBooleanFlag,
      true)
    .action((opts: BackupCommandOptions) => runAdminAction(context, () => backup(context, opts)));
}
