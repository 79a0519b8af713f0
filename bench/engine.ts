/**
 * The team's graph benchmark (shared/bench) against the embedded engine, with Kùzu run in the
 * same invocation for comparison. Each size runs in its own process (bench/engine-run.ts), so
 * each peak RSS is that size's own; Kùzu runs through the benchmark's own bench-kuzu.mjs.
 *
 *   npx tsx bench/engine.ts [--sizes small,medium] [--queries Q1,Q3] [--duration S]
 *     [--kuzu run|reference|skip] [--profile DIR] [--label TEXT] [--out FILE]
 *
 * --kuzu reference uses shared/bench/reference-kuzu.json instead of running Kùzu (also the
 * fallback when the kuzu package cannot be installed). --profile writes a V8 CPU profile of
 * each engine run (node --cpu-prof) into DIR. Before the runs it measures the disk's floor for
 * one durable commit (bench/disk-floor.ts), the bound on Q6. The engine runs as installed, from
 * dist/ (built first). Writes bench/results/engine.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDist } from './built-engine.js';
import { measureDiskFloor, type DiskFloor } from './disk-floor.js';
import { checkTargets, renderTargets, sideBySide } from './engine-report.js';
import {
  BENCH_COPY_DIR, openKit, syncBenchCopy, type GraphBenchKit, type SizeSummary,
} from './graph-bench-kit.js';

interface Options {
  readonly sizes: readonly string[];
  readonly queries: string | null;
  readonly duration: string | null;
  readonly kuzu: 'run' | 'reference' | 'skip';
  readonly profileDir: string | null;
  readonly label: string | null;
  readonly out: string;
}

const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));
const RUN_TIMEOUT_MS = 600_000;
/**
 * Global pattern queries the engine may not finish in reasonable time. A running query cannot
 * be interrupted in process, so each runs in a process of its own (loading the graph again) and
 * is reported as timed out when that process has to be killed.
 */
const ISOLATED_QUERIES = ['Q8'];
const ISOLATED_TIMEOUT_MS = 180_000;
const KUZU_TIMEOUT_MS = 900_000;

function parseArgs(argv: readonly string[]): Options {
  const get = (flag: string): string | null => {
    const at = argv.indexOf(flag);
    return at >= 0 ? (argv[at + 1] ?? null) : null;
  };
  const kuzu = get('--kuzu') ?? 'run';
  if (kuzu !== 'run' && kuzu !== 'reference' && kuzu !== 'skip') {
    throw new Error('--kuzu must be run, reference or skip');
  }
  const profileDir = get('--profile');
  return {
    sizes: (get('--sizes') ?? 'small,medium').split(','), queries: get('--queries'),
    duration: get('--duration'), kuzu, label: get('--label'),
    profileDir: profileDir === null ? null : resolve(profileDir),
    out: resolve(get('--out') ?? join(PROJECT_ROOT, 'bench/results/engine.json')),
  };
}

type RunDoc = {
  queries: { id: string; name?: string; error?: string }[];
  verification: { allOk: boolean };
};

/** One engine process: `queries` of one size; null when it had to be killed at `timeoutMs`. */
function spawnEngineRun(size: string, queries: string | null, opts: Options, out: string,
  timeoutMs: number): RunDoc | null {
  const tag = queries === null ? size : `${size}-${queries.replaceAll(',', '-')}`;
  const profile = opts.profileDir === null ? [] : ['--cpu-prof', '--cpu-prof-dir',
    opts.profileDir, '--cpu-prof-name', `engine-${tag}.cpuprofile`];
  const args = [...profile, '--import', 'tsx', join(PROJECT_ROOT, 'bench/engine-run.ts'),
    '--size', size, '--out', out];
  if (queries !== null) args.push('--queries', queries);
  if (opts.duration !== null) args.push('--duration', opts.duration);
  const result = spawnSync(process.execPath, args, { cwd: PROJECT_ROOT, timeout: timeoutMs,
    killSignal: 'SIGKILL', stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.signal === 'SIGKILL') return null;
  if (result.status !== 0) throw new Error(`engine run ${tag} failed (${result.status})`);
  return JSON.parse(readFileSync(out, 'utf8')) as RunDoc;
}

/** One size: the workload in one process, the isolated queries each in their own. */
function runEngine(size: string, opts: Options, kit: GraphBenchKit, scratch: string): unknown {
  const wl = kit.loadWorkload();
  const wanted = kit.selectQueries(wl, size, opts.queries);
  const isolated = wanted.filter((q) => ISOLATED_QUERIES.includes(q.id));
  const main = wanted.filter((q) => !isolated.includes(q)).map((q) => q.id).join(',');
  console.error(`\n=== QuiverDB embedded, ${size}`);
  // 'none' selects no query: the process then only loads (and checks) the graph.
  const doc = spawnEngineRun(size, main || 'none', opts, join(scratch, `quiverdb-${size}.json`),
    RUN_TIMEOUT_MS);
  if (doc === null) throw new Error(`engine run for ${size} timed out`);
  for (const q of isolated) {
    console.error(`=== QuiverDB embedded, ${size}, ${q.id} alone (killed after ` +
      `${ISOLATED_TIMEOUT_MS / 1000} s)`);
    const alone = spawnEngineRun(size, q.id, opts, join(scratch, `quiverdb-${size}-${q.id}.json`),
      ISOLATED_TIMEOUT_MS);
    const result = alone?.queries[0] ?? { id: q.id, name: q.name,
      error: `no result: the process was killed after ${ISOLATED_TIMEOUT_MS / 1000} s ` +
        '(graph load plus warm-up and measured executions)' };
    doc.queries.push(result);
    if (alone === null || !alone.verification.allOk) doc.verification.allOk = false;
  }
  return doc;
}

/** Whether `import('kuzu')` works in the bench copy, installing it as its README says if not. */
function kuzuUsable(): { ok: boolean; why: string } {
  const probe = (): boolean => spawnSync(process.execPath, ['-e', "import('kuzu')"],
    { cwd: BENCH_COPY_DIR, stdio: 'ignore' }).status === 0;
  if (probe()) return { ok: true, why: 'installed' };
  const ci = spawnSync('npm', ['ci', '--no-audit', '--no-fund'],
    { cwd: BENCH_COPY_DIR, stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000 });
  if (ci.status !== 0) return { ok: false, why: `npm ci failed (${ci.status ?? ci.signal})` };
  // npm may refuse install scripts; the README's manual step places the prebuilt binary.
  if (!probe()) spawnSync(process.execPath, ['node_modules/kuzu/install.js'],
    { cwd: BENCH_COPY_DIR, stdio: 'ignore' });
  return probe() ? { ok: true, why: 'installed by npm ci' }
    : { ok: false, why: 'kuzu installed but its native binary does not load' };
}

interface KuzuFigures {
  readonly source: string;
  readonly summary: Record<string, SizeSummary>;
}

function runKuzu(opts: Options, scratch: string): KuzuFigures | null {
  if (opts.kuzu === 'skip') return null;
  const reference = (why: string): KuzuFigures => {
    const file = join(BENCH_COPY_DIR, 'reference-kuzu.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { summary: Record<string, SizeSummary> };
    console.error(`[kuzu] using ${file}: ${why}`);
    return { source: `reference-kuzu.json (${why})`, summary: doc.summary };
  };
  if (opts.kuzu === 'reference') return reference('--kuzu reference');
  const usable = kuzuUsable();
  if (!usable.ok) return reference(usable.why);
  const out = join(scratch, 'kuzu.json');
  const pass = [...(opts.queries ? ['--queries', opts.queries] : []),
    ...(opts.duration ? ['--duration', opts.duration] : [])];
  console.error(`\n=== Kùzu (bench-kuzu.mjs, ${opts.sizes.join(',')}, one run each)`);
  const result = spawnSync(process.execPath, ['bench-kuzu.mjs', '--sizes', opts.sizes.join(','),
    '--repeat', '1', '--out', out, ...(pass.length ? ['--', ...pass] : [])],
  { cwd: BENCH_COPY_DIR, timeout: KUZU_TIMEOUT_MS, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) return reference(`bench-kuzu.mjs failed (${result.status})`);
  const doc = JSON.parse(readFileSync(out, 'utf8')) as { summary: Record<string, SizeSummary> };
  return { source: 'run in this invocation (kuzu 0.11.3, bench-kuzu.mjs --repeat 1)',
    summary: doc.summary };
}

function report(kit: GraphBenchKit, opts: Options, runs: unknown[], kuzu: KuzuFigures | null,
  disk: DiskFloor): object {
  const summary = kit.summarize(runs);
  const tables: string[] = [];
  for (const size of opts.sizes) {
    const ours = summary[size];
    if (ours) tables.push(sideBySide(size, ours, kuzu?.summary[size]));
  }
  const medium = summary['medium'];
  const targets = medium ? checkTargets(medium, kuzu?.summary['medium']) : null;
  if (targets) tables.push(renderTargets(targets));
  const perSecond = disk.perSecond.toLocaleString('en-US');
  tables.push(`Disk floor for Q6 (${disk.method}, same run): ${perSecond}/s, p50 ` +
    `${disk.p50Us} µs, p99 ${disk.p99Us} µs: no engine commits durably faster at one client.`);
  console.log(`\n${tables.join('\n\n')}\n`);
  return { summary, targets, markdown: tables.join('\n\n') };
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  buildDist();
  syncBenchCopy();
  const kit = await openKit();
  for (const size of opts.sizes) kit.ensureDataset(size, { log: (l) => console.error(l) });
  if (opts.profileDir !== null) mkdirSync(opts.profileDir, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'quiver-bench-results-'));
  const disk = measureDiskFloor(scratch);
  const runs = opts.sizes.map((size) => runEngine(size, opts, kit, scratch));
  const kuzu = runKuzu(opts, scratch);
  const { summary, targets, markdown } = report(kit, opts, runs, kuzu, disk) as
    { summary: unknown; targets: unknown; markdown: string };
  const doc = {
    bench: 'engine', label: opts.label, date: new Date().toISOString(), host: kit.hostInfo(),
    benchCopy: BENCH_COPY_DIR, sizes: opts.sizes, quiverdb: { summary, runs },
    kuzu: kuzu ?? { source: 'skipped' }, diskFloor: disk, targets, markdown,
  };
  mkdirSync(join(opts.out, '..'), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(doc, null, 2)}\n`);
  console.error(`[done] -> ${opts.out}`);
}

main().catch((e: unknown) => {
  console.error(`bench/engine: ${e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
});
