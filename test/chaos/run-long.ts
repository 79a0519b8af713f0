/**
 * `npm run chaos:long`: every workload under every nemesis, one run after another, for 30
 * minutes or more (`--minutes`). Runs go round the combinations in order; a new run starts while
 * the time is not up or some combination has not run yet, so every combination runs at least
 * once however short the time. Partition and mixed runs use five cores (a ring needs five),
 * the others three; every run has the read replicas asked for. Each run's report is printed as
 * it ends, the series report (one line per run, the totals, how to replay each failure) last.
 *
 * Exit code: 0 when every run passed, else the worst of 1 VIOLATION, 2 NO RECOVERY,
 * 4 INCONCLUSIVE, 3 a run the harness could not finish.
 */
import { Command } from 'commander';
import {
  HARNESS_FAILURE_EXIT_CODE, integer, replayCommand, stderrLog,
} from './cli-args.js';
import { CHAOS_DEFAULTS, runChaos, WORKLOADS, type ChaosOptions } from './chaos-run.js';
import { NEMESES } from './nemesis.js';
import {
  EXIT_CODES, formatReport, formatSeriesReport, verdictOf, type SeriesRun,
} from './report.js';
import { canMountTmpfs } from './tmpfs-disk.js';

const FIVE_CORE_NEMESES = new Set(['partition', 'mixed']);
/** Worst first: the exit code of a series is that of its worst run. */
const SEVERITY = [EXIT_CODES.VIOLATION, EXIT_CODES['NO RECOVERY'], EXIT_CODES.INCONCLUSIVE,
  HARNESS_FAILURE_EXIT_CODE];
const RUNS_MAX = 10_000;

interface LongOptions {
  readonly minutes: number;
  readonly runTimeS: number;
  readonly seed: number;
  readonly replicas: number;
  readonly tree: string | null;
  readonly quiet: boolean;
}

function parse(argv: readonly string[]): LongOptions {
  const o = new Command('chaos:long')
    .option('--minutes <n>', 'keep starting runs for this long', integer(1, 24 * 60), 30)
    .option('--run-time <seconds>', 'clients and faults per run', integer(5, 3600), 45)
    .option('--seed <n>', 'seed of the first run; run i uses seed + i (default: random)',
      integer(0, 0xffff_0000))
    .option('--replicas <n>', 'read replicas in every run', integer(0, 4), 1)
    .option('--tree <dir>', 'run members from this built copy of the repository ' +
      '(default: this one)')
    .option('--quiet', 'print only the reports')
    .parse(['node', 'chaos:long', ...argv])
    .opts<{ minutes: number; runTime: number; seed?: number; replicas: number; tree?: string;
      quiet?: boolean }>();
  return { minutes: o.minutes, runTimeS: o.runTime, replicas: o.replicas,
    seed: o.seed ?? Math.floor(Math.random() * 0xffff_0000), tree: o.tree ?? null,
    quiet: o.quiet === true };
}

/** Every workload under every nemesis this machine can inject (a full disk needs root). */
function combinations(): { workload: string; nemesis: string }[] {
  const nemeses = Object.keys(NEMESES).filter((n) =>
    n !== 'none' && (n !== 'disk' || canMountTmpfs()));
  return nemeses.flatMap((nemesis) =>
    Object.keys(WORKLOADS).map((workload) => ({ workload, nemesis })));
}

async function runOne(options: ChaosOptions): Promise<SeriesRun> {
  const replay = replayCommand(options);
  try {
    const facts = await runChaos(options);
    process.stdout.write(`${replay}\n${formatReport(facts)}\n\n`);
    return { replay, facts, harnessFailure: null };
  } catch (thrown) {
    const why = thrown instanceof Error ? thrown.stack ?? thrown.message : String(thrown);
    process.stdout.write(`${replay}\nthe harness could not finish the run: ${why}\n\n`);
    return { replay, facts: null, harnessFailure: why };
  }
}

function exitCode(runs: readonly SeriesRun[]): number {
  const codes = new Set(runs.map((r) =>
    (r.facts === null ? HARNESS_FAILURE_EXIT_CODE : EXIT_CODES[verdictOf(r.facts)])));
  return SEVERITY.find((code) => codes.has(code)) ?? 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const long = parse(argv);
  const combos = combinations();
  const startMs = Date.now();
  const runs: SeriesRun[] = [];
  process.stdout.write(`chaos:long for ${long.minutes} min, ${combos.length} combinations, ` +
    `first seed ${long.seed}\n\n`);
  for (let i = 0; i < RUNS_MAX; i += 1) {
    const timeUp = Date.now() - startMs >= long.minutes * 60_000;
    if (timeUp && i >= combos.length) break;
    const { workload, nemesis } = combos[i % combos.length]!;
    const prefix = `run ${i + 1} ${workload}/${nemesis}: `;
    runs.push(await runOne({ ...CHAOS_DEFAULTS, workload, nemesis, timeS: long.runTimeS,
      seed: long.seed + i, cores: FIVE_CORE_NEMESES.has(nemesis) ? 5 : 3,
      replicas: long.replicas, tree: long.tree,
      log: long.quiet ? () => undefined : stderrLog(startMs, prefix) }));
  }
  process.stdout.write(`${formatSeriesReport(runs, Date.now() - startMs)}\n`);
  return exitCode(runs);
}

// Without a handler a signal ends the process without its 'exit' event, which is where the
// cluster SIGKILLs the members it started.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(HARNESS_FAILURE_EXIT_CODE));
}
process.exitCode = await main(process.argv.slice(2));
