/**
 * `quiver-shell`: a cypher-shell for QuiverDB (and Neo4j) over the official driver.
 * Reads statements from a terminal (prompt, history), a pipe, `-f FILE` or the command line,
 * prints them in cypher-shell's plain or verbose layout, errors to stderr.
 */
import fs from 'node:fs';
import { Command, Option } from 'commander';
import type { Environment } from '../config/env-settings.js';
import { processOutput, runProgram, type CommandOutput } from './run-commander.js';
import { connect, parseShellAddress, type Connection } from './shell/connect.js';
import type { OutputFormat } from './shell/result-format.js';
import { ShellSession } from './shell/shell-session.js';
import { errorMessage, runInteractive, runText } from './shell/shell-runner.js';

/** Piped input is read whole before running; beyond this it is refused. */
const STDIN_BYTES_MAX = 256 * 1024 * 1024;

export interface ShellDependencies extends Partial<CommandOutput> {
  readonly env?: Environment;
  readonly stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly stdoutIsTTY?: boolean;
}

interface ShellFlags {
  readonly address: string;
  readonly username?: string;
  readonly password?: string;
  readonly database?: string;
  readonly format: 'auto' | OutputFormat;
  readonly param: readonly string[];
  readonly file?: string;
  readonly nonInteractive?: boolean;
  readonly failAtEnd?: boolean;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    bytes += buffer.length;
    if (bytes > STDIN_BYTES_MAX) throw new Error(`Input is larger than ${STDIN_BYTES_MAX} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function chooseFormat(flags: ShellFlags, interactiveTerminal: boolean, cypher: string | undefined):
  OutputFormat {
  if (flags.format !== 'auto') return flags.format;
  return interactiveTerminal && cypher === undefined ? 'verbose' : 'plain';
}

async function runShell(flags: ShellFlags, cypher: string | undefined, deps: ShellDependencies,
  output: CommandOutput): Promise<number> {
  const env = deps.env ?? process.env;
  const stdin = deps.stdin ?? process.stdin;
  const stdinIsTTY = stdin.isTTY === true;
  const interactive = stdinIsTTY && flags.nonInteractive !== true && flags.file === undefined &&
    cypher === undefined;
  const format = chooseFormat(flags, stdinIsTTY && (deps.stdoutIsTTY ?? process.stdout.isTTY),
    cypher);
  let connection: Connection;
  let user: string;
  try {
    const address = parseShellAddress(flags.address);
    user = flags.username ?? env['NEO4J_USERNAME'] ?? address.username ?? '';
    const password = flags.password ?? env['NEO4J_PASSWORD'] ?? address.password ?? '';
    connection = await connect({ uri: address.uri, username: user, password });
  } catch (thrown) {
    output.stderr(`${errorMessage(thrown)}\n`);
    return 1;
  }
  const database = flags.database ?? env['NEO4J_DATABASE'] ?? null;
  const session = new ShellSession({ driver: connection.driver, database, format,
    out: output.stdout });
  try {
    for (const param of flags.param) await session.setParam(param);
    const io = { out: output.stdout, err: output.stderr };
    if (cypher !== undefined) return await runText(session, cypher, io, flags.failAtEnd === true);
    if (flags.file !== undefined) {
      return await runText(session, fs.readFileSync(flags.file, 'utf8'), io,
        flags.failAtEnd === true);
    }
    if (!interactive) {
      return await runText(session, await readAll(stdin), io, flags.failAtEnd === true);
    }
    output.stdout('Connected to QuiverDB using Bolt protocol version ' +
      `${connection.protocolVersion}` +
      ` at ${connection.uri}${user === '' ? '' : ` as user ${user}`}.\n` +
      'Type :help for a list of available commands or :exit to exit the shell.\n' +
      'Note that Cypher queries must end with a semicolon.\n');
    return await runInteractive(session, { input: process.stdin, output: process.stdout, user,
      err: output.stderr });
  } catch (thrown) {
    output.stderr(`${errorMessage(thrown)}\n`);
    return 1;
  } finally {
    await session.close();
    await connection.driver.close();
  }
}

function buildShellCommand(env: Environment): Command {
  return new Command('quiver-shell').description('A command-line shell for Cypher')
    .argument('[cypher]', 'an optional statement to run, then exit')
    .option('-a, --address <address>', 'address and port to connect to',
      env['NEO4J_ADDRESS'] ?? env['NEO4J_URI'] ?? 'neo4j://localhost:7687')
    .option('-u, --username <username>', 'username to connect as')
    .option('-p, --password <password>', 'password to connect with')
    .option('-d, --database <database>', 'database to connect to')
    .addOption(new Option('--format <format>', 'output format')
      .choices(['auto', 'verbose', 'plain']).default('auto'))
    .option('-P, --param <param>', "a parameter, e.g. 'x => 1' (repeatable)",
      (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('-f, --file <file>', 'run the statements in this file, then exit')
    .option('--non-interactive', 'read statements from stdin even on a terminal')
    .addOption(new Option('--fail-fast', 'stop at the first failing statement (default)')
      .conflicts('failAtEnd'))
    .option('--fail-at-end', 'run every statement, then exit 1 if any failed');
}

export function main(argv: readonly string[], deps: ShellDependencies = {}): Promise<number> {
  const env = deps.env ?? process.env;
  const output = { stdout: deps.stdout ?? processOutput.stdout,
    stderr: deps.stderr ?? processOutput.stderr };
  return runProgram((setExitCode) => buildShellCommand(env)
    .action(async (cypher: string | undefined, flags: ShellFlags) => {
      setExitCode(await runShell(flags, cypher, deps, output));
    }), argv, output);
}
