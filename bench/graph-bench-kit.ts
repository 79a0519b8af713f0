/**
 * The team's graph benchmark (shared/bench: generator, workload, parameter streams, oracle,
 * measurement loop, report) used as it is, never copied into this repository. Its modules keep
 * generated data and cached answers beside themselves (`data/<size>/`) and the shared folder is
 * read-only, so, as its README says, it runs from a copy in /tmp that this file keeps in step
 * with the shared folder (node_modules and data/ are left in place between runs).
 */
import { cpSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SHARED_DIR } from '../test/shared-dir.js';

export const BENCH_COPY_DIR = process.env['QUIVER_BENCH_COPY'] ?? '/tmp/graph-bench';

export interface Manifest {
  readonly size: string;
  readonly counts: { readonly persons: number; readonly knows: number; readonly cities: number;
    readonly livesIn: number };
  readonly cityNames: readonly string[];
}

export type ColumnType = 'int' | 'string';

export interface TableSpec {
  readonly kind: 'node' | 'edge';
  readonly file: string;
  readonly columns: Readonly<Record<string, ColumnType>>;
  readonly unwind: string;
}

export interface WorkloadQuery {
  readonly id: string;
  readonly name: string;
  readonly kind: 'read' | 'write';
  readonly cypher: string;
}

export interface Workload {
  readonly newPersonIdBase: number;
  readonly load: {
    readonly order: readonly string[];
    readonly tables: Readonly<Record<string, TableSpec>>;
    readonly boltSchema: Readonly<Record<string, readonly string[]>>;
    readonly boltSchemaAwait?: Readonly<Record<string, string>>;
    readonly boltCounts: Readonly<Record<string, string>>;
  };
  readonly queries: readonly WorkloadQuery[];
}

/** One query's figures as the shared measurement loop reports them. */
export interface MeasuredQuery {
  readonly id: string;
  readonly name: string;
  readonly opsPerSec?: number;
  readonly latencyMs?: { readonly p50: number; readonly p99: number } | null;
  readonly verified?: { readonly checked: number; readonly ok: number };
  readonly postCheck?: { readonly ok: boolean };
  readonly error?: string;
  readonly skipped?: string;
}

/** What an engine gives the shared loop: see shared/bench/lib/bench.mjs. */
export interface BenchAdapter<Row> {
  prepare(q: WorkloadQuery, cypher: string, types: Readonly<Record<string, ColumnType>>):
    Promise<(params: Record<string, unknown>) => Promise<Row[]>>;
  normalizeRow(row: Row): unknown[];
  scalar(cypher: string, params: Record<string, unknown>): Promise<number>;
}

export interface GraphBenchKit {
  readonly root: string;
  ensureDataset(size: string, options: { log: (line: string) => void }): Manifest;
  dataDir(size: string): string;
  readonly files: Readonly<Record<string, string>>;
  forEachCsvBatch<T>(file: string, batchSize: number, convert: (fields: string[]) => T,
    onBatch: (rows: T[]) => Promise<void>): Promise<number>;
  loadWorkload(): Workload;
  selectQueries(wl: Workload, size: string, only: string | null): WorkloadQuery[];
  ensureExpected(size: string, wl: Workload, manifest: Manifest): unknown;
  measureQueries<Row>(options: {
    wl: Workload; size: string; manifest: Manifest; expected: unknown;
    queries: readonly WorkloadQuery[]; dialect: null; adapter: BenchAdapter<Row>;
    deadline: number; log: (line: string) => void;
    cli: { durationSeconds?: number; warmupIterations?: number };
  }): Promise<MeasuredQuery[]>;
  peakRssMB(): number;
  rssMB(): number;
  hostInfo(): unknown;
  /** Aggregates run documents per size (shared/bench/lib/report.mjs). */
  summarize(runs: readonly unknown[]): Record<string, SizeSummary>;
  renderMarkdown(doc: unknown): string;
}

/** The per-size aggregate of lib/report.mjs: one array entry per run. */
export interface SizeSummary {
  readonly load: { readonly skipped?: boolean; readonly edgesPerSec?: readonly number[];
    readonly nodesPerSec?: readonly number[] };
  readonly peakRssMB: readonly (number | null)[];
  readonly verificationOk: readonly boolean[];
  readonly queries: Readonly<Record<string, {
    readonly name: string;
    readonly opsPerSec?: readonly number[];
    readonly p50Ms?: readonly number[];
    readonly p99Ms?: readonly number[];
    readonly verified: readonly string[];
    readonly error?: readonly (string | null)[];
  }>>;
}

/** Copies the shared bench's own files over the /tmp copy (not its node_modules or data). */
export function syncBenchCopy(): string {
  const source = join(SHARED_DIR, 'bench');
  if (!existsSync(join(source, 'workload.json'))) throw new Error(`no benchmark in ${source}`);
  cpSync(source, BENCH_COPY_DIR, {
    recursive: true, force: true,
    filter: (path) => !/^(node_modules|data)(\/|$)/.test(relative(source, path)),
  });
  return BENCH_COPY_DIR;
}

async function load(file: string): Promise<Record<string, unknown>> {
  return await import(pathToFileURL(join(BENCH_COPY_DIR, file)).href) as Record<string, unknown>;
}

/** The shared modules, loaded from the copy, behind the types above. */
export async function openKit(): Promise<GraphBenchKit> {
  const dataset = await load('lib/dataset.mjs');
  const workload = await load('lib/workload.mjs');
  const bench = await load('lib/bench.mjs');
  const expect = await load('expect.mjs');
  const report = await load('lib/report.mjs');
  const workloadFile = workload['DEFAULT_WORKLOAD'] as string;
  const kit = {
    root: BENCH_COPY_DIR,
    ensureDataset: dataset['ensureDataset'],
    dataDir: dataset['dataDir'],
    files: dataset['FILES'],
    forEachCsvBatch: dataset['forEachCsvBatch'],
    loadWorkload: () => (workload['loadWorkload'] as (f: string) => Workload)(workloadFile),
    selectQueries: workload['selectQueries'],
    ensureExpected: (size: string, wl: Workload, manifest: Manifest) =>
      (expect['ensureExpected'] as (...a: unknown[]) => unknown)(size, wl, manifest, workloadFile),
    measureQueries: bench['measureQueries'],
    peakRssMB: bench['peakRssMB'],
    rssMB: bench['rssMB'],
    hostInfo: bench['hostInfo'],
    summarize: report['summarize'],
    renderMarkdown: report['renderMarkdown'],
  };
  for (const [name, value] of Object.entries(kit)) {
    if (value === undefined) throw new Error(`graph bench in ${BENCH_COPY_DIR} lacks ${name}`);
  }
  return kit as GraphBenchKit;
}
