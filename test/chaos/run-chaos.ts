/**
 * `npm run chaos -- --workload W --nemesis N --time S --seed X [--cores 3|5]`: one chaos run
 * against a real cluster on loopback. Prints the seed and the command that replays it first,
 * the report table last, and exits 0 on PASS, 1 on a violation, 2 when the cluster did not
 * recover after the final heal, 3 when the harness itself failed, 4 when a checker gave up.
 */
import { Command } from 'commander';
import {
  HARNESS_FAILURE_EXIT_CODE, integer, oneOf, replayCommand, stderrLog,
} from './cli-args.js';
import { CHAOS_DEFAULTS, runChaos, WORKLOADS, type ChaosOptions } from './chaos-run.js';
import { NEMESES } from './nemesis.js';
import { EXIT_CODES, formatReport, verdictOf } from './report.js';

const TIME_S_MAX = 24 * 3600;
const REPLICAS_MAX = 4;

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
    .option('--replicas <n>', 'read replicas besides the cores', integer(0, REPLICAS_MAX),
      CHAOS_DEFAULTS.replicas)
    .option('--clients <n>', 'concurrent clients', integer(1, 64), CHAOS_DEFAULTS.clients)
    .option('--op-timeout <ms>', 'a client gives up on an operation after this long',
      integer(100, 120_000), CHAOS_DEFAULTS.opTimeoutMs)
    .option('--election-timeout <ms>', 'members\' leader election timeout',
      integer(100, 60_000), CHAOS_DEFAULTS.electionTimeoutMs)
    .option('--snapshot-every <entries>', 'members snapshot and compact after this many entries',
      integer(1, 10_000_000), CHAOS_DEFAULTS.snapshotThresholdEntries)
    .option('--tree <dir>', 'run members from this built copy of the repository ' +
      '(default: this one)')
    .option('--quiet', 'print only the seed line and the report')
    .parse(['node', 'chaos', ...argv]);
  const o = program.opts<{ workload: string; nemesis: string; time: number; seed?: number;
    cores: number; replicas: number; clients: number; opTimeout: number; electionTimeout: number;
    snapshotEvery: number; tree?: string; quiet?: boolean }>();
  if (o.cores !== 3 && o.cores !== 5) program.error('--cores must be 3 or 5');
  const startMs = Date.now();
  return {
    workload: o.workload, nemesis: o.nemesis, timeS: o.time, cores: o.cores, replicas: o.replicas,
    seed: o.seed ?? Math.floor(Math.random() * 0x1_0000_0000), clients: o.clients,
    opTimeoutMs: o.opTimeout, electionTimeoutMs: o.electionTimeout,
    snapshotThresholdEntries: o.snapshotEvery, tree: o.tree ?? null,
    log: o.quiet === true ? () => undefined : stderrLog(startMs),
  };
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
