/**
 * `quiver-admin unbind`: a stopped cluster member forgets which cluster it belongs to but keeps
 * its data, member id and Raft state, so it can form or join a cluster anew (seeding).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { readClusterId, unbind } from '../../cluster/member-files.js';
import {
  databaseDirectory, defaultHome, loadHomeConfig, refuseWhileRunning, runAdminAction,
  type AdminContext,
} from './admin-context.js';

interface UnbindOptions {
  readonly home: string;
  readonly database?: string;
}

async function unbindMember(context: AdminContext, opts: UnbindOptions): Promise<number> {
  const config = loadHomeConfig(context, opts.home);
  const clusterDir = join(databaseDirectory(config, opts.database ?? config.defaultDatabase),
    'cluster');
  refuseWhileRunning(config);
  const clusterId = existsSync(clusterDir) ? await readClusterId(clusterDir) : null;
  if (clusterId === null) {
    context.output.stderr('This instance was not bound. No work performed.\n');
    return 0;
  }
  await unbind(clusterDir);
  context.output.stdout(`Unbound from cluster ${clusterId}.\n`);
  return 0;
}

export function unbindCommand(context: AdminContext): Command {
  return new Command('unbind').description('make a stopped cluster member forget its cluster')
    .option('--database <name>', 'database of the member (default: the default database)')
    .option('--home <dir>', 'server home directory', defaultHome(context.env))
    .action((opts: UnbindOptions) => runAdminAction(context, () => unbindMember(context, opts)));
}
