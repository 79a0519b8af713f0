/**
 * `quiver`: the server launcher (console, start, stop, status, restart, cluster up/down).
 * bin/quiver.js calls main(); tests call it with a fake server.
 */
import { Command, Option } from 'commander';
import type { Environment } from '../config/env-settings.js';
import { processOutput, runProgram, type CommandOutput } from './run-commander.js';
import { clusterDown, clusterUp } from './server/cluster-command.js';
import { runConsole, waitForProcessSignal, type StartServer } from './server/console-command.js';
import { startCommand, statusCommand, stopCommand, type DaemonOptions } from './server/daemon.js';

export interface QuiverDependencies extends Partial<CommandOutput> {
  readonly env?: Environment;
  /** Defaults to src/server/start.ts's startServer. */
  readonly startServer?: StartServer;
  /** How to run this same program in a child process; defaults to this process's command. */
  readonly quiverCommand?: readonly string[];
}

const SECONDS_MS = 1000;
const CONSOLE_EXIT_GRACE_MS = 5000;

/** The server module is loaded only by commands that run a server, and only then. */
async function importStartServer(): Promise<StartServer> {
  const specifier = '../server/start.js';
  const loaded: unknown = await import(specifier);
  const startServer = (loaded as { startServer?: unknown }).startServer;
  if (typeof startServer !== 'function') {
    throw new Error(`${specifier} does not export startServer`);
  }
  return startServer as StartServer;
}

function envSeconds(env: Environment, name: string, fallback: number): number {
  const value = Number(env[name]);
  return (Number.isFinite(value) && value > 0 ? value : fallback) * SECONDS_MS;
}

function homeOption(env: Environment): Option {
  return new Option('--home <dir>', 'server home directory')
    .default(env['QUIVER_HOME'] ?? env['NEO4J_HOME'] ?? '.');
}

function buildProgram(deps: QuiverDependencies, setExitCode: (code: number) => void): Command {
  const env = deps.env ?? process.env;
  const output = { stdout: deps.stdout ?? processOutput.stdout,
    stderr: deps.stderr ?? processOutput.stderr };
  const daemonOptions = (home: string, argv: readonly string[]): DaemonOptions => ({
    home, argv, env, ...output,
    quiverCommand: deps.quiverCommand ?? [process.execPath, ...process.execArgv,
      process.argv[1] ?? ''],
    startWaitMs: envSeconds(env, 'QUIVER_START_WAIT', 120),
    shutdownTimeoutMs: envSeconds(env, 'QUIVER_SHUTDOWN_TIMEOUT', 120),
  });
  const program = new Command('quiver').description('QuiverDB server');
  program.command('console').description('run the server in the foreground')
    .addOption(homeOption(env)).addOption(new Option('--daemon').hideHelp())
    .allowUnknownOption().allowExcessArguments()
    .action(async (opts: { home: string; daemon?: boolean }, command: Command) => {
      const code = await runConsole({
        home: opts.home, argv: command.args, env, ...output, daemon: opts.daemon === true,
        startServer: deps.startServer ?? await importStartServer(),
        waitForStopSignal: waitForProcessSignal,
      });
      setExitCode(code);
      // A stopped server must not linger because some handle was left open.
      setTimeout(() => process.exit(code), CONSOLE_EXIT_GRACE_MS).unref();
    });
  const daemonVerb = (name: string, description: string,
    run: (options: DaemonOptions) => Promise<number> | number) => {
    program.command(name).description(description).addOption(homeOption(env))
      .allowUnknownOption().allowExcessArguments()
      .action(async (opts: { home: string }, command: Command) => {
        setExitCode(await run(daemonOptions(opts.home, command.args)));
      });
  };
  daemonVerb('start', 'start the server as a daemon', startCommand);
  daemonVerb('stop', 'stop the daemon', stopCommand);
  daemonVerb('status', 'report whether the daemon runs (exit code 3 when not)', statusCommand);
  daemonVerb('restart', 'stop, then start the daemon', async (options) => {
    const stopped = await stopCommand(options);
    return stopped === 0 ? startCommand(options) : stopped;
  });
  program.addCommand(buildClusterCommand(daemonOptions, setExitCode));
  return program;
}

function buildClusterCommand(
  daemonOptions: (home: string, argv: readonly string[]) => DaemonOptions,
  setExitCode: (code: number) => void,
): Command {
  const cluster = new Command('cluster').description('run a local development cluster');
  cluster.command('up').description('write member homes under DIR and start them')
    .option('--cores <n>', 'core members', '3').option('--replicas <n>', 'read replicas', '0')
    .requiredOption('--dir <dir>', 'directory for the member homes')
    .option('--wait <seconds>', 'how long to wait for a leader', '120')
    .action(async (opts: { cores: string; replicas: string; dir: string; wait: string }) => {
      setExitCode(await clusterUp({
        ...daemonOptions(opts.dir, []), dir: opts.dir, cores: Number(opts.cores),
        replicas: Number(opts.replicas), leaderWaitMs: Number(opts.wait) * SECONDS_MS,
      }));
    });
  cluster.command('down').description('stop every member under DIR')
    .requiredOption('--dir <dir>', 'directory holding the member homes')
    .action(async (opts: { dir: string }) => {
      setExitCode(await clusterDown({ ...daemonOptions(opts.dir, []), dir: opts.dir }));
    });
  return cluster;
}

export function main(argv: readonly string[], deps: QuiverDependencies = {}): Promise<number> {
  return runProgram((setExitCode) => buildProgram(deps, setExitCode), argv, {
    stdout: deps.stdout ?? processOutput.stdout, stderr: deps.stderr ?? processOutput.stderr,
  });
}
