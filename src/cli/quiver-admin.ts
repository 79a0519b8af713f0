/**
 * `quiver-admin`: offline administration, in both Neo4j 3.5 (`quiver-admin set-initial-password`)
 * and 5.x (`quiver-admin dbms set-initial-password`) spellings, and the offline and online
 * operations of docs/operations.md: backup, restore, dump, load, import, unbind and
 * check-consistency (Neo4j 3.5 names and flags).
 */
import { Command, Option } from 'commander';
import type { Environment } from '../config/env-settings.js';
import type { AdminContext } from './admin/admin-context.js';
import { backupCommand } from './admin/backup-command.js';
import { checkConsistencyCommand } from './admin/check-consistency-command.js';
import { dumpCommand } from './admin/dump-command.js';
import { importCommand, normalizeImportArguments } from './admin/import-command.js';
import { loadCommand } from './admin/load-command.js';
import { restoreCommand } from './admin/restore-command.js';
import { unbindCommand } from './admin/unbind-command.js';
import { certificatesCommand } from '../security/certificates-command.js';
import { setInitialPassword } from './admin/set-initial-password.js';
import { processOutput, runProgram, type CommandOutput } from './run-commander.js';
import { loadServerConfig } from './server/server-home.js';

export interface AdminDependencies extends Partial<CommandOutput> {
  readonly env?: Environment;
}

interface PasswordOptions {
  readonly home: string;
  readonly requirePasswordChange?: boolean;
}

function passwordCommand(name: string, env: Environment, output: CommandOutput,
  setExitCode: (code: number) => void): Command {
  return new Command(name).description('set the password of the initial user neo4j')
    .argument('<password>')
    .addOption(new Option('--home <dir>', 'server home directory')
      .default(env['QUIVER_HOME'] ?? env['NEO4J_HOME'] ?? '.'))
    .option('--require-password-change', 'make the user change it at first login', false)
    .action((password: string, opts: PasswordOptions) => {
      const config = loadServerConfig({ home: opts.home, argv: [], env, ...output });
      if (config === null) return setExitCode(1);
      const outcome = setInitialPassword(config,
        { password, requirePasswordChange: opts.requirePasswordChange === true });
      if (outcome.kind === 'written') {
        output.stdout("Changed password for user 'neo4j'.\n");
        return setExitCode(0);
      }
      output.stderr(outcome.kind === 'invalid' ? `command failed: ${outcome.reason}\n`
        : 'command failed: the provided initial password was not set because existing ' +
          `users were detected at \`${outcome.authFile}\`. Please remove the existing \`auth\` ` +
          'file if you want to reset your database to only have a default user with the ' +
          'provided password.\n');
      return setExitCode(1);
    });
}

export function main(argv: readonly string[], deps: AdminDependencies = {}): Promise<number> {
  const env = deps.env ?? process.env;
  const output = { stdout: deps.stdout ?? processOutput.stdout,
    stderr: deps.stderr ?? processOutput.stderr };
  return runProgram((setExitCode) => {
    const program = new Command('quiver-admin').description('QuiverDB administration');
    program.addCommand(passwordCommand('set-initial-password', env, output, setExitCode));
    const dbms = new Command('dbms').description('DBMS-wide administration (Neo4j 5 layout)');
    dbms.addCommand(passwordCommand('set-initial-password', env, output, setExitCode));
    program.addCommand(dbms);
    program.addCommand(certificatesCommand(env, output, setExitCode));
    const context: AdminContext = { env, output, setExitCode };
    for (const command of [backupCommand, restoreCommand, dumpCommand, loadCommand,
      unbindCommand, checkConsistencyCommand, importCommand]) program.addCommand(command(context));
    return program;
  }, normalizeImportArguments(argv), output);
}
