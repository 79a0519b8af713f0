/**
 * Drives a ShellSession from its input: a whole text (piped stdin, `-f`, a positional
 * statement), stopping at the first error unless failing at the end; or an interactive
 * terminal with a prompt, line editing and history, where errors are shown and the shell goes on.
 */
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { ShellSession } from './shell-session.js';
import { StatementSplitter, splitStatements, type ShellInput } from './statement-splitter.js';

export interface RunnerOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export function errorMessage(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}

/** Exit code: 0 when everything ran (or `:exit` came first), 1 when a statement failed. */
export async function runText(session: ShellSession, text: string, output: RunnerOutput,
  failAtEnd: boolean): Promise<number> {
  let failed = false;
  for (const input of splitStatements(text)) {
    try {
      if (await session.execute(input) === 'exit') return 0;
    } catch (thrown) {
      output.err(`${errorMessage(thrown)}\n`);
      failed = true;
      if (!failAtEnd) return 1;
    }
  }
  return failed ? 1 : 0;
}

const HISTORY_SIZE = 1000;

function promptFor(session: ShellSession, user: string, continuing: boolean): string {
  const prompt = `${user}@${session.databaseName}${session.inTransaction ? '#' : '>'} `;
  return continuing ? ' '.repeat(prompt.length) : prompt;
}

async function runInteractiveInput(session: ShellSession, input: ShellInput,
  output: RunnerOutput): Promise<boolean> {
  session.history.push(input.kind === 'cypher' ? `${input.text};` :
    `${input.name} ${input.argument}`.trimEnd());
  try {
    return await session.execute(input) === 'exit';
  } catch (thrown) {
    output.err(`${errorMessage(thrown)}\n`);
    return false;
  }
}

export async function runInteractive(session: ShellSession, io: {
  input: Readable; output: Writable; user: string; err: (text: string) => void;
}): Promise<number> {
  const rl = readline.createInterface({ input: io.input, output: io.output, terminal: true,
    historySize: HISTORY_SIZE });
  const splitter = new StatementSplitter();
  const output = { out: (text: string) => io.output.write(text), err: io.err };
  rl.setPrompt(promptFor(session, io.user, false));
  rl.prompt();
  try {
    for await (const line of rl) {
      splitter.feed(`${line}\n`);
      for (const input of splitter.take()) {
        if (await runInteractiveInput(session, input, output)) return 0;
      }
      rl.setPrompt(promptFor(session, io.user, splitter.incomplete()));
      rl.prompt();
    }
    return 0;
  } finally {
    rl.close();
  }
}
