/**
 * Bulk import of the benchmark graph (shared/bench gen.mjs CSVs) with `quiver-admin import`,
 * beside Kùzu's `COPY FROM` of the same CSVs measured in the same invocation
 * (shared/bench/run-kuzu.mjs with no queries). The CSV headers are rewritten into Neo4j's
 * import format; the data rows are used as generated. Then the imported database is started
 * as a server serving backups, backed up with `quiver-admin backup`, and the backup restored
 * into a new home with `quiver-admin restore`, each timed.
 *
 *   npx tsx bench/import.ts [--size medium] [--kuzu run|skip] [--backup run|skip]
 *     [--label TEXT] [--out FILE]
 *
 * Each step runs in its own process (the real CLI, `quiver-admin`, from dist/, which the bench
 * first builds with tsc: run through tsx, every command paid about 1 s of transpiling that no
 * installed CLI pays), whose progress lines are timestamped here to split the phases;
 * peak memory is the child's VmHWM, read from /proc while it runs. The server is `quiver
 * console` with `dbms.backup.enabled=true` (test/admin/backup-process.ts).
 * The machine's load average is recorded: on a shared machine wall times stretch with it.
 * Writes bench/results/import.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  createReadStream, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startServing } from '../test/admin/backup-process.js';
import { programArgs } from '../test/helpers/cluster.js';
import { buildDist } from './built-engine.js';
import { BENCH_COPY_DIR, openKit, syncBenchCopy } from './graph-bench-kit.js';

const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));
const KUZU_TIMEOUT_MS = 600_000;
const HWM_POLL_MS = 50;

/** Each generated file, its header in Neo4j's import format, and the CLI flag it goes under. */
const FILES = [
  { file: 'persons.csv', flag: '--nodes=Person',
    header: 'id:ID(Person),firstName,lastName,age:int,city' },
  { file: 'cities.csv', flag: '--nodes=City', header: 'id:ID(City),name,country' },
  { file: 'knows.csv', flag: '--relationships=KNOWS',
    header: ':START_ID(Person),:END_ID(Person),since:int' },
  { file: 'lives_in.csv', flag: '--relationships=LIVES_IN',
    header: ':START_ID(Person),:END_ID(City)' },
] as const;
const SERVER_PASSWORD = 'bench-import-pw';

interface Options {
  readonly size: string;
  readonly kuzu: 'run' | 'skip';
  readonly backup: boolean;
  readonly label: string | null;
  readonly out: string;
}

function parseArgs(argv: readonly string[]): Options {
  const get = (flag: string): string | null => {
    const at = argv.indexOf(flag);
    return at >= 0 ? (argv[at + 1] ?? null) : null;
  };
  const kuzu = get('--kuzu') ?? 'run';
  if (kuzu !== 'run' && kuzu !== 'skip') throw new Error('--kuzu must be run or skip');
  return { size: get('--size') ?? 'medium', kuzu, backup: get('--backup') !== 'skip',
    label: get('--label'),
    out: resolve(get('--out') ?? join(PROJECT_ROOT, 'bench/results/import.json')) };
}

/** Copies `source` to `target` with its first line replaced by `header`. */
async function withHeader(source: string, target: string, header: string): Promise<number> {
  const out = createWriteStream(target);
  out.write(`${header}\n`);
  let rows = -1;
  for await (const line of createInterface({ input: createReadStream(source) })) {
    if (rows++ >= 0) out.write(`${line}\n`);
  }
  await new Promise<void>((done, fail) => out.end((e?: Error | null) => (e ? fail(e) : done())));
  return rows;
}

function vmHwmMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kib / 1024;
  } catch {
    return 0;
  }
}

interface ChildRun {
  readonly code: number | null;
  readonly wallMs: number;
  readonly peakRssMiB: number;
  /** Milliseconds since start at which each output line arrived. */
  readonly lines: { readonly ms: number; readonly text: string }[];
}

/** Runs quiver-admin, timestamping its output lines and polling its peak RSS. */
function runAdmin(args: readonly string[]): Promise<ChildRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [...programArgs('quiver-admin'), ...args],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: { ms: number; text: string }[] = [];
  let peak = 0;
  const poll = setInterval(() => { peak = Math.max(peak, vmHwmMiB(child.pid ?? 0)); }, HWM_POLL_MS);
  createInterface({ input: child.stdout }).on('line', (text) => {
    lines.push({ ms: performance.now() - started, text });
    peak = Math.max(peak, vmHwmMiB(child.pid ?? 0));
  });
  return new Promise((done) => child.on('close', (code) => {
    clearInterval(poll);
    done({ code, wallMs: performance.now() - started, peakRssMiB: peak, lines });
  }));
}

function printLines(run: ChildRun): void {
  for (const l of run.lines) console.error(`  [quiver ${(l.ms / 1000).toFixed(2)} s] ${l.text}`);
}

function outputOf(run: ChildRun): string {
  return run.lines.map((l) => l.text).join('\n');
}

function lineAt(run: ChildRun, pattern: RegExp): number {
  const found = run.lines.find((l) => pattern.test(l.text));
  if (!found) throw new Error(`import output has no line matching ${pattern}`);
  return found.ms;
}

async function runQuiver(csvDir: string, counts: Record<string, number>, home: string):
  Promise<Record<string, number>> {
  const run = await runAdmin(['import', `--home=${home}`, '--id-type=integer',
    `--report-file=${join(csvDir, 'import.report')}`,
    ...FILES.map((f) => `${f.flag}=${join(csvDir, f.file)}`)]);
  printLines(run);
  if (run.code !== 0) throw new Error(`quiver-admin import exited with ${run.code}`);
  const nodeStart = lineAt(run, /^\(1\/2\) Node import/);
  const relStart = lineAt(run, /^\(2\/2\) Relationship import/);
  const relEnd = lineAt(run, /lives_in\.csv: \d+ rows/);
  const nodes = (counts['persons.csv'] ?? 0) + (counts['cities.csv'] ?? 0);
  const rels = (counts['knows.csv'] ?? 0) + (counts['lives_in.csv'] ?? 0);
  return {
    nodes, relationships: rels,
    nodesPerSec: Math.round(nodes / ((relStart - nodeStart) / 1000)),
    relationshipsPerSec: Math.round(rels / ((relEnd - relStart) / 1000)),
    nodePhaseMs: Math.round(relStart - nodeStart),
    relationshipPhaseMs: Math.round(relEnd - relStart),
    installMs: Math.round(run.wallMs - relEnd), wallMs: Math.round(run.wallMs),
    peakRssMiB: Math.round(run.peakRssMiB),
    databaseMiB: Math.round(duMiB(join(home, 'data'))),
  };
}

/** Serves the imported database, backs it up, restores the backup into a new home. */
async function runBackupRestore(home: string, scratch: string): Promise<Record<string, number>> {
  const started = performance.now();
  const serving = await startServing(home, SERVER_PASSWORD);
  const serverStartMs = performance.now() - started;
  mkdirSync(join(scratch, 'backups'));
  let backup: ChildRun;
  try {
    backup = await runAdmin(['backup', `--from=${serving.backupAddress}`,
      `--backup-dir=${join(scratch, 'backups')}`, '--name=bench']);
  } finally {
    await serving.stop();
  }
  printLines(backup);
  if (backup.code !== 0) throw new Error(`backup failed:\n${outputOf(backup)}`);
  const target = join(scratch, 'restored-home');
  const restore = await runAdmin(['restore', `--from=${join(scratch, 'backups', 'bench')}`,
    '--database=neo4j', `--home=${target}`]);
  printLines(restore);
  if (restore.code !== 0) throw new Error(`restore failed:\n${outputOf(restore)}`);
  return { serverStartMs: Math.round(serverStartMs), backupMs: Math.round(backup.wallMs),
    backupPeakRssMiB: Math.round(backup.peakRssMiB), backupMiB: Math.round(duMiB(join(scratch,
      'backups'))), restoreMs: Math.round(restore.wallMs),
    restorePeakRssMiB: Math.round(restore.peakRssMiB) };
}

function duMiB(dir: string): number {
  const out = spawnSync('du', ['-sk', dir], { encoding: 'utf8' });
  return Number(out.stdout.split('\t')[0] ?? 0) / 1024;
}

function runKuzu(size: string): object | null {
  const scratch = mkdtempSync(join(tmpdir(), 'quiver-import-kuzu-'));
  const out = join(scratch, 'kuzu.json');
  console.error(`\n=== Kùzu COPY FROM, ${size} (run-kuzu.mjs --queries none)`);
  const result = spawnSync(process.execPath, ['run-kuzu.mjs', '--size', size, '--queries', 'none',
    '--no-verify', '--out', out], { cwd: BENCH_COPY_DIR, timeout: KUZU_TIMEOUT_MS,
    stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) return null;
  const text = readFileSync(out, 'utf8');
  rmSync(scratch, { recursive: true, force: true });
  const doc = JSON.parse(text) as {
    load: { nodes: { perSec: number; ms: number }; edges: { perSec: number; ms: number } };
    memory: { peakRssMB: number };
  };
  return { nodesPerSec: doc.load.nodes.perSec, relationshipsPerSec: doc.load.edges.perSec,
    nodePhaseMs: doc.load.nodes.ms, relationshipPhaseMs: doc.load.edges.ms,
    peakRssMiB: doc.memory.peakRssMB };
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  buildDist();
  syncBenchCopy();
  const kit = await openKit();
  kit.ensureDataset(opts.size, { log: (l) => console.error(l) });
  const csvDir = mkdtempSync(join(tmpdir(), 'quiver-import-csv-'));
  try {
    const counts: Record<string, number> = {};
    for (const f of FILES) {
      counts[f.file] = await withHeader(join(kit.dataDir(opts.size), f.file),
        join(csvDir, f.file), f.header);
    }
    console.error(`=== quiver-admin import, ${opts.size}`);
    const home = join(csvDir, 'home');
    const quiver = await runQuiver(csvDir, counts, home);
    const backup = opts.backup ? await runBackupRestore(home, csvDir) : null;
    const kuzu = opts.kuzu === 'run' ? runKuzu(opts.size) as Record<string, number> | null : null;
    const ratio = (k: string): number | null =>
      kuzu?.[k] ? round2((quiver[k] ?? 0) / kuzu[k]) : null;
    const doc = {
      bench: 'import', label: opts.label, date: new Date().toISOString(), host: kit.hostInfo(),
      loadAverage1m: loadavg()[0], size: opts.size,
      headers: Object.fromEntries(FILES.map((f) => [f.file, f.header])),
      quiverdb: quiver, kuzu: kuzu ?? { source: opts.kuzu === 'skip' ? 'skipped' : 'failed' },
      ratioToKuzu: { nodesPerSec: ratio('nodesPerSec'),
        relationshipsPerSec: ratio('relationshipsPerSec'), peakRssMiB: ratio('peakRssMiB') },
      backupRestore: backup ?? 'skipped',
      targets: { relationshipsPerSec: { target: 1_000_000,
        met: (quiver['relationshipsPerSec'] ?? 0) >= 1e6 },
      backupMs: { target: 5000, met: backup !== null && (backup['backupMs'] ?? 0) < 5000 },
      restoreMs: { target: 5000, met: backup !== null && (backup['restoreMs'] ?? 0) < 5000 } },
    };
    mkdirSync(join(opts.out, '..'), { recursive: true });
    writeFileSync(opts.out, `${JSON.stringify(doc, null, 2)}\n`);
    console.log(JSON.stringify({ quiverdb: quiver, kuzu, ratioToKuzu: doc.ratioToKuzu, backup,
      loadAverage1m: doc.loadAverage1m }, null, 2));
  } finally {
    rmSync(csvDir, { recursive: true, force: true });
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

main().catch((e: unknown) => {
  console.error(`bench/import: ${e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
});
