/** Argument parsers shared by the chaos command lines (run-chaos.ts, run-long.ts). */
import { InvalidArgumentError } from 'commander';
import type { ChaosOptions } from './chaos-run.js';

/** The exit code when the harness itself failed (a member would not start, bad arguments). */
export const HARNESS_FAILURE_EXIT_CODE = 3;

export function integer(min: number, max: number): (raw: string) => number {
  return (raw) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    }
    return n;
  };
}

export function oneOf(names: readonly string[]): (raw: string) => string {
  return (raw) => {
    if (!names.includes(raw)) throw new InvalidArgumentError(`expected one of ${names.join(', ')}`);
    return raw;
  };
}

/** A log that prefixes each line with the seconds since `startMs`, on stderr. */
export function stderrLog(startMs: number, prefix = ''): (line: string) => void {
  return (line) => process.stderr.write(
    `[${((Date.now() - startMs) / 1000).toFixed(1)}s] ${prefix}${line}\n`);
}

/** The command that replays a run with the same choices. */
export function replayCommand(o: ChaosOptions): string {
  return `npm run chaos -- --workload ${o.workload} --nemesis ${o.nemesis} --time ${o.timeS} ` +
    `--seed ${o.seed} --cores ${o.cores} --replicas ${o.replicas}` +
    (o.tree === null ? '' : ` --tree ${o.tree}`);
}
