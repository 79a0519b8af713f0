/**
 * dbms.memory.heap.max_size and initial_size as V8 flags. V8 sizes its heap when the process
 * starts, as the JVM does, and neo4j's launcher puts -Xmx/-Xms on the java command line; here
 * the daemon passes the flags to the server it spawns, and a console started without them runs
 * the server again in a child process that has them.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import v8 from 'node:v8';
import type { MemoryConfig } from '../../config/quiver-config.js';

const MIB = 2 ** 20;

function mib(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / MIB));
}

/** The node flags the configured heap needs; empty when neither setting is set. */
export function heapFlags(memory: MemoryConfig): string[] {
  const flags: string[] = [];
  // The old space is the heap's bulk; the young generation adds a few tens of MiB on top.
  if (memory.heapMaxBytes !== null) flags.push(`--max-old-space-size=${mib(memory.heapMaxBytes)}`);
  if (memory.heapInitialBytes !== null) {
    flags.push(`--initial-old-space-size=${mib(memory.heapInitialBytes)}`);
  }
  return flags;
}

/** True when this process was started with every one of `flags`. */
export function runsWith(flags: readonly string[]): boolean {
  return flags.every((flag) => process.execArgv.includes(flag));
}

/** The start-up log line: the heap this process may grow to, and what set it. */
export function heapLine(memory: MemoryConfig): string {
  const limit = Math.round(v8.getHeapStatistics().heap_size_limit / MIB);
  const source = memory.heapMaxBytes === null ? 'the Node.js default'
    : 'dbms.memory.heap.max_size';
  return `Heap: at most ${limit} MiB (${source}).`;
}

/**
 * Runs this same command line again with `flags`, forwarding SIGTERM and SIGINT, and resolves
 * with the child's exit code. The child finds its flags in place and runs the server itself.
 * It has a process group of its own, so a Ctrl-C reaches it once (forwarded), not twice: a
 * second signal while the server stops makes it exit at once.
 */
export function runAgainWith(flags: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, [...flags, ...process.execArgv, ...process.argv.slice(1)],
    { stdio: 'inherit', detached: true });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onTerm = forward('SIGTERM');
  const onInt = forward('SIGINT');
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  return new Promise((resolve) => {
    child.once('error', () => resolve(1));
    child.once('exit', (code, signal) => {
      process.removeListener('SIGTERM', onTerm);
      process.removeListener('SIGINT', onInt);
      // A child ended by a signal exits as a shell reports it: 128 + the signal's number.
      resolve(code ?? 128 + (signal === null ? 0 : os.constants.signals[signal]));
    });
  });
}
