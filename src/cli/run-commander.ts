/**
 * Runs a commander program without letting it call process.exit, so each command's exit code is
 * a return value (testable, and the shims set process.exitCode).
 */
import { CommanderError, type Command } from 'commander';

export interface CommandOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const processOutput: CommandOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Commands added with addCommand() do not inherit these settings, so apply them to all. */
function configureEverywhere(command: Command, output: CommandOutput): void {
  command.exitOverride().configureOutput({ writeOut: output.stdout, writeErr: output.stderr });
  for (const sub of command.commands) configureEverywhere(sub, output);
}

/** Builds the program with `setExitCode` for actions to report through. */
export async function runProgram(
  build: (setExitCode: (code: number) => void) => Command,
  argv: readonly string[],
  output: CommandOutput,
): Promise<number> {
  let exitCode = 0;
  const program = build((code) => {
    exitCode = code;
  });
  configureEverywhere(program, output);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (thrown) {
    if (thrown instanceof CommanderError) return thrown.exitCode;
    throw thrown;
  }
  return exitCode;
}
