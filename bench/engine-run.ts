/**
 * One size of the graph benchmark against the embedded engine, in this process (so its peak RSS
 * is the engine's): a fresh on-disk database, the workload's constraints, the CSVs loaded through
 * `UNWIND $rows` batches (one write transaction each, as the Bolt runner does), the count check,
 * then the shared measurement loop with every answer checked against the oracle.
 *
 * The engine comes from dist/ (bench/built-engine.ts), which bench/engine.ts builds first.
 *
 * Run by bench/engine.ts: tsx bench/engine-run.ts --size small --out FILE [--queries Q1,Q3]
 *   [--duration S] [--batch N] [--load-max-seconds S]
 */
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database as DatabaseClass } from '../src/db/database.js';
import type { Value } from '../src/graph/values.js';
import { importBuilt } from './built-engine.js';
import {
  openKit, type BenchAdapter, type ColumnType, type GraphBenchKit, type Manifest, type Workload,
} from './graph-bench-kit.js';

export interface RunOptions {
  readonly size: string;
  readonly out: string;
  readonly queries: string | null;
  readonly durationSeconds: number | null;
  readonly batch: number;
  /** The load stops (and no query runs) once it has taken this long, as in run-bolt.mjs. */
  readonly loadMaxSeconds: number;
}

const RUN_DEADLINE_MS = 400_000;
const { Database } = await importBuilt('db/database.js') as
  typeof import('../src/db/database.js');
type Database = DatabaseClass;
const log = (line: string): void => { console.error(line); };
const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;

interface TableLoad {
  readonly table: string;
  readonly kind: 'node' | 'edge';
  readonly rows: number;
  readonly batches: number;
  readonly ms: number;
  readonly rowsPerSec: number;
  /** Set when the load deadline stopped this table part way. */
  readonly abortedAfterSeconds?: number;
}

class LoadDeadline extends Error {}

/** A CSV row as the Cypher map the UNWIND statement reads: ints as INTEGER, the rest STRING. */
function rowConverter(columns: Readonly<Record<string, ColumnType>>): (f: string[]) => Value {
  const spec = Object.entries(columns);
  return (fields) => {
    const row = new Map<string, Value>();
    spec.forEach(([name, type], i) => {
      const text = fields[i] ?? '';
      row.set(name, type === 'int' ? BigInt(text) : text);
    });
    return row;
  };
}

async function loadTables(kit: GraphBenchKit, wl: Workload, db: Database, opts: RunOptions):
  Promise<TableLoad[]> {
  const tables: TableLoad[] = [];
  const deadline = performance.now() + opts.loadMaxSeconds * 1000;
  for (const table of wl.load.order) {
    const spec = wl.load.tables[table];
    if (!spec) throw new Error(`workload has no table ${table}`);
    const file = join(kit.dataDir(opts.size), kit.files[spec.file] ?? spec.file);
    const started = performance.now();
    let batches = 0;
    let rows = 0;
    let aborted = false;
    try {
      await kit.forEachCsvBatch(file, opts.batch, rowConverter(spec.columns), async (batch) => {
        if (performance.now() > deadline) throw new LoadDeadline();
        await db.run(spec.unwind, new Map([['rows', batch]]));
        batches++;
        rows += batch.length;
      });
    } catch (e) {
      if (!(e instanceof LoadDeadline)) throw e;
      aborted = true;
    }
    const ms = performance.now() - started;
    const rowsPerSec = Math.round(rows / (ms / 1000));
    tables.push({ table, kind: spec.kind, rows, batches, ms: round(ms), rowsPerSec,
      ...(aborted ? { abortedAfterSeconds: opts.loadMaxSeconds } : {}) });
    log(`[load] ${table}: ${rows} rows in ${(ms / 1000).toFixed(2)} s ` +
      `(${rowsPerSec.toLocaleString('en-US')} rows/s, ${batches} tx)${aborted ? ' ABORTED' : ''}`);
    const now = memoryNow(kit);
    log(`[memory] after loading ${table}: RSS ${now['rssMB']} MiB (peak ${now['peakRssMB']}), ` +
      `heap ${now['heapUsedMB']}, external ${now['externalMB']}`);
    if (aborted) break;
  }
  return tables;
}

/** Neo4j's constraint statements; a failure is recorded and the load goes on, as in run-bolt. */
async function createSchema(wl: Workload, db: Database): Promise<object[]> {
  const statements = [...(wl.load.boltSchema['neo4j'] ?? [])];
  const awaitStatement = wl.load.boltSchemaAwait?.['neo4j'];
  if (awaitStatement) statements.push(awaitStatement);
  const outcome: object[] = [];
  for (const statement of statements) {
    try {
      await db.run(statement);
      outcome.push({ statement, ok: true });
    } catch (e) {
      outcome.push({ statement, ok: false, error: e instanceof Error ? e.message : String(e) });
      log(`[schema] ignored failure: ${statement}: ${String(e)}`);
    }
  }
  return outcome;
}

/** RSS (now and peak), heap and external memory in MiB, for the phase-by-phase report. */
function memoryNow(kit: GraphBenchKit): Record<string, number> {
  const m = process.memoryUsage();
  return { peakRssMB: kit.peakRssMB(), rssMB: round(m.rss / 2 ** 20),
    heapUsedMB: round(m.heapUsed / 2 ** 20), externalMB: round(m.external / 2 ** 20) };
}

/**
 * The kit's log, which also records memory as each query's phase ends (the kit logs one line
 * per query when its phase is over): which phase moves the peak is what memory work needs.
 */
function phaseLog(kit: GraphBenchKit, phases: Record<string, Record<string, number>>):
  (line: string) => void {
  return (line) => {
    log(line);
    const query = /^\[(Q\d+)\]/.exec(line)?.[1];
    if (query === undefined) return;
    const now = memoryNow(kit);
    phases[query] = now;
    log(`[memory] after ${query}: RSS ${now['rssMB']} MiB (peak ${now['peakRssMB']}), ` +
      `heap ${now['heapUsedMB']}, external ${now['externalMB']}`);
  };
}

async function scalar(db: Database, cypher: string, params: Record<string, unknown>):
  Promise<number> {
  const value = (await db.run(cypher, params)).records[0]?.[0];
  return typeof value === 'bigint' ? Number(value) : Number(value ?? NaN);
}

function adapter(db: Database): BenchAdapter<Value[]> {
  return {
    prepare: (_q, cypher, types) => Promise.resolve(async (params) => {
      const values = new Map<string, Value>();
      for (const [k, v] of Object.entries(params)) {
        values.set(k, types[k] === 'int' ? BigInt(v as number) : v as Value);
      }
      return (await db.run(cypher, values)).records;
    }),
    normalizeRow: (row) => row,
    scalar: (cypher, params) => scalar(db, cypher, params),
  };
}

function sumOf(tables: readonly TableLoad[], kind: 'node' | 'edge'):
  { rows: number; ms: number; perSec: number } {
  const mine = tables.filter((t) => t.kind === kind);
  const rows = mine.reduce((a, t) => a + t.rows, 0);
  const ms = mine.reduce((a, t) => a + t.ms, 0);
  return { rows, ms: round(ms), perSec: Math.round(rows / (ms / 1000)) };
}

async function folderMB(dir: string): Promise<number> {
  let bytes = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) bytes += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return round(bytes / 2 ** 20);
}

async function loadPhase(kit: GraphBenchKit, wl: Workload, manifest: Manifest, db: Database,
  opts: RunOptions & { dir: string }): Promise<object> {
  const schema = await createSchema(wl, db);
  const tables = await loadTables(kit, wl, db, opts);
  const counts: Record<string, number> = {};
  for (const [k, cypher] of Object.entries(wl.load.boltCounts)) {
    counts[k] = await scalar(db, cypher, { base: wl.newPersonIdBase });
  }
  const aborted = tables.some((t) => t.abortedAfterSeconds !== undefined);
  const countsMatchManifest = !aborted && Object.entries(counts)
    .every(([k, n]) => n === manifest.counts[k as keyof Manifest['counts']]);
  if (!countsMatchManifest) log(`[load] COUNT MISMATCH: ${JSON.stringify(counts)}`);
  const nodes = sumOf(tables, 'node');
  const edges = sumOf(tables, 'edge');
  return {
    method: `UNWIND $rows batches of ${opts.batch} rows, one write transaction per batch`,
    schema, tables, nodes, edges, totalMs: round(nodes.ms + edges.ms), counts,
    countsMatchManifest, dbSizeMB: await folderMB(opts.dir),
    ...(aborted ? { aborted: `load stopped after --load-max-seconds ${opts.loadMaxSeconds}` } : {}),
  };
}

export async function runSize(opts: RunOptions): Promise<void> {
  const started = performance.now();
  const kit = await openKit();
  const wl = kit.loadWorkload();
  const manifest = kit.ensureDataset(opts.size, { log });
  const expected = kit.ensureExpected(opts.size, wl, manifest);
  const memory: Record<string, number> = { baselineRssMB: kit.rssMB() };
  const dir = await mkdtemp(join(tmpdir(), 'quiver-bench-engine-'));
  try {
    const db = await Database.open(dir);
    log(`[quiverdb] size=${opts.size} db=${dir}`);
    const load = await loadPhase(kit, wl, manifest, db, { ...opts, dir });
    memory['peakRssAfterLoadMB'] = kit.peakRssMB();
    memory['heapUsedAfterLoadMB'] = round(process.memoryUsage().heapUsed / 2 ** 20);
    const phases: Record<string, Record<string, number>> = { load: memoryNow(kit) };
    const loaded = (load as { aborted?: string }).aborted === undefined;
    const queries = !loaded ? [] : await kit.measureQueries({
      wl, size: opts.size, manifest, expected, dialect: null, adapter: adapter(db),
      log: phaseLog(kit, phases),
      queries: kit.selectQueries(wl, opts.size, opts.queries),
      deadline: started + RUN_DEADLINE_MS,
      cli: opts.durationSeconds === null ? {} : { durationSeconds: opts.durationSeconds },
    });
    memory['peakRssMB'] = kit.peakRssMB();
    await db.close();
    const ok = loaded && (load as { countsMatchManifest: boolean }).countsMatchManifest &&
      queries.every(
      (q) => !q.error && (!q.verified || q.verified.ok === q.verified.checked) &&
        (!q.postCheck || q.postCheck.ok));
    const doc = {
      engine: 'quiverdb', mode: 'embedded (in-process Database API)', size: opts.size, run: 1,
      startedAt: new Date().toISOString(),
      totalSeconds: round((performance.now() - started) / 1000),
      host: kit.hostInfo(), load, queries, memory: { ...memory, phases },
      verification: { allOk: ok },
    };
    await writeFile(opts.out, JSON.stringify(doc, null, 2));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function parseArgs(argv: readonly string[]): RunOptions {
  const get = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const size = get('--size');
  const out = get('--out');
  if (!size || !out) throw new Error('usage: engine-run.ts --size SIZE --out FILE');
  const duration = get('--duration');
  return { size, out, queries: get('--queries') ?? null,
    durationSeconds: duration === undefined ? null : Number(duration),
    batch: Number(get('--batch') ?? 10_000),
    loadMaxSeconds: Number(get('--load-max-seconds') ?? 150) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runSize(parseArgs(process.argv.slice(2))).catch((e: unknown) => {
    console.error(`engine-run: ${e instanceof Error ? e.stack : String(e)}`);
    process.exit(1);
  });
}
