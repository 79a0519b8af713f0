/**
 * `quiver-admin`: offline administration, in both Neo4j 3.5 (`quiver-admin set-initial-password`)
 * and 5.x (`quiver-admin dbms set-initial-password`) spellings. Backup, restore, dump, load,
 * import, unbind and check-consistency join this program as they are built.
 */
import { Command, Option } from 'commander';
import type { Environment } from '../config/env-settings.js';
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
    return program;
  }, argv, output);
}
