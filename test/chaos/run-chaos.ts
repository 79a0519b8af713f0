/**
 * `npm run chaos -- --workload W --nemesis N --time S --seed X [--cores 3|5]`: one chaos run
 * against a real cluster on loopback. Prints the seed and the command that replays it first,
 * the report table last, and exits 0 on PASS, 1 on a violation, 2 when the cluster did not
 * recover after the final heal, 3 when the harness itself failed, 4 when a checker gave up.
 */
import { Command, InvalidArgumentError } from 'commander';
import { CHAOS_DEFAULTS, runChaos, WORKLOADS, type ChaosOptions } from './chaos-run.js';
import { NEMESES } from './nemesis.js';
import { EXIT_CODES, formatReport, verdictOf } from './report.js';

const HARNESS_FAILURE_EXIT_CODE = 3;
const TIME_S_MAX = 24 * 3600;

function integer(min: number, max: number): (raw: string) => number {
  return (raw) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    }
    return n;
  };
}

function oneOf(names: readonly string[]): (raw: string) => string {
  return (raw) => {
    if (!names.includes(raw)) throw new InvalidArgumentError(`expected one of ${names.join(', ')}`);
    return raw;
  };
}

function parse(argv: readonly string[]): ChaosOptions {
  const program = new Command('chaos')
    .requiredOption('--workload <name>', 'set, bank, register or causal',
      oneOf(Object.keys(WORKLOADS)))
    .requiredOption('--nemesis <name>', Object.keys(NEMESES).join(', '),
      oneOf(Object.keys(NEMESES)))
    .option('--time <seconds>', 'how long clients and faults run', integer(1, TIME_S_MAX), 30)
    .option('--seed <n>', 'seed of every random choice (default: random)',
      integer(0, 0xffff_ffff))
    .option('--cores <n>', 'core members: 3 or 5', integer(3, 5), 3)
    .option('--clients <n>', 'concurrent clients', integer(1, 64), CHAOS_DEFAULTS.clients)
    .option('--op-timeout <ms>', 'a client gives up on an operation after this long',
      integer(100, 120_000), CHAOS_DEFAULTS.opTimeoutMs)
    .option('--election-timeout <ms>', 'members\' leader election timeout',
      integer(100, 60_000), CHAOS_DEFAULTS.electionTimeoutMs)
    .option('--snapshot-every <entries>', 'members snapshot and compact after this many entries',
      integer(1, 10_000_000), CHAOS_DEFAULTS.snapshotThresholdEntries)
    .option('--quiet', 'print only the seed line and the report')
    .parse(['node', 'chaos', ...argv]);
  const o = program.opts<{ workload: string; nemesis: string; time: number; seed?: number;
    cores: number; clients: number; opTimeout: number; electionTimeout: number;
    snapshotEvery: number; quiet?: boolean }>();
  if (o.cores !== 3 && o.cores !== 5) program.error('--cores must be 3 or 5');
  const startMs = Date.now();
  return {
    workload: o.workload, nemesis: o.nemesis, timeS: o.time, cores: o.cores,
    seed: o.seed ?? Math.floor(Math.random() * 0x1_0000_0000), clients: o.clients,
    opTimeoutMs: o.opTimeout, electionTimeoutMs: o.electionTimeout,
    snapshotThresholdEntries: o.snapshotEvery,
    log: o.quiet === true ? () => undefined
      : (line) => process.stderr.write(
        `[${((Date.now() - startMs) / 1000).toFixed(1)}s] ${line}\n`),
  };
}

export function replayCommand(o: ChaosOptions): string {
  return `npm run chaos -- --workload ${o.workload} --nemesis ${o.nemesis} --time ${o.timeS} ` +
    `--seed ${o.seed} --cores ${o.cores}`;
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parse(argv);
  process.stdout.write(`QUIVER_SEED=${options.seed} ${replayCommand(options)}\n`);
  try {
    const facts = await runChaos(options);
    process.stdout.write(`${formatReport(facts)}\n`);
    return EXIT_CODES[verdictOf(facts)];
  } catch (thrown) {
    const why = thrown instanceof Error ? thrown.stack : String(thrown);
    process.stderr.write(`chaos run failed: ${why}\n`);
    return HARNESS_FAILURE_EXIT_CODE;
  }
}

// Without a handler a signal ends the process without its 'exit' event, which is where the
// cluster SIGKILLs the members it started.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(HARNESS_FAILURE_EXIT_CODE));
}
process.exitCode = await main(process.argv.slice(2));
