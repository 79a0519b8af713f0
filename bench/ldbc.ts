/**
 * The LDBC SNB Interactive v1 workload on its test data, embedded:
 *
 *   npx tsx bench/ldbc.ts [--params N] [--runs R] [--updates K] [--out FILE]
 *
 * Loads shared/datasets/ldbc-snb-interactive-v1-test with LOAD CSV (test/ldbc/ldbc-load.ts),
 * then times every query file run unchanged: each read R times (after one warm-up run),
 * cycling through its first N parameter sets (IC: substitution_parameters/, which hold 2 or 3
 * rows; IS: the first N persons and messages of the CSVs), and the first K update events in
 * stream order, each timed under its IU number. Prints p50/p99 per query with the targets (IS
 * p50 < 1 ms, IC p50 < 50 ms) and whether PROFILE (EXPLAIN for updates, which would write)
 * shows an index seek; writes bench/results/ldbc.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Database } from '../src/db/database.js';
import { LDBC_DIR, openLdbcDatabase } from '../test/ldbc/ldbc-load.js';
import {
  COMPLEX_IDS, SHORT_IDS, complexParams, ldbcQuery, updateEvents, type LdbcParams,
} from '../test/ldbc/ldbc-workload.js';

const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));
const SEEK_OPERATORS = ['NodeIndexSeek', 'NodeUniqueIndexSeek', 'NodeIndexSeekByRange'];

interface Options {
  readonly params: number;
  readonly runs: number;
  readonly updates: number;
  readonly out: string;
}

interface QueryFigures {
  readonly id: string;
  readonly executions: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxRows: number;
  readonly targetMs: number | null;
  readonly indexSeek: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const get = (flag: string, fallback: string): string => {
    const at = argv.indexOf(flag);
    return at >= 0 ? (argv[at + 1] ?? fallback) : fallback;
  };
  const count = (flag: string, fallback: number): number => {
    const n = Number(get(flag, String(fallback)));
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer`);
    return n;
  };
  return { params: count('--params', 10), runs: count('--runs', 20),
    updates: count('--updates', 500),
    out: resolve(get('--out', join(PROJECT_ROOT, 'bench/results/ldbc.json'))) };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** The first `n` ids of a CSV's first column. */
function firstIds(file: string, n: number): number[] {
  return readFileSync(join(LDBC_DIR, file), 'utf8').split('\n').slice(1, n + 1)
    .filter((l) => l !== '').map((l) => Number(l.split('|')[0]));
}

/** Parameter sets per read query: IC from its file, IS from persons and messages. */
function readParams(n: number): Map<string, LdbcParams[]> {
  const persons = firstIds('dynamic/person_0_0.csv', n).map((personId) => ({ personId }));
  const posts = firstIds('dynamic/post_0_0.csv', Math.ceil(n / 2));
  const comments = firstIds('dynamic/comment_0_0.csv', Math.floor(n / 2));
  const messages = [...posts, ...comments].map((messageId) => ({ messageId }));
  const sets = new Map<string, LdbcParams[]>();
  for (const id of SHORT_IDS) sets.set(id, Number(id.slice(2)) <= 3 ? persons : messages);
  for (const id of COMPLEX_IDS) sets.set(id, complexParams(Number(id.slice(2))).slice(0, n));
  return sets;
}

function operatorTypes(plan: unknown): string[] {
  const p = plan as { operatorType?: string; children?: unknown[] } | null;
  if (p === null || typeof p !== 'object') return [];
  return [(p.operatorType ?? '').replace(/@.*$/, ''), ...(p.children ?? []).flatMap(operatorTypes)];
}

async function seeks(db: Database, id: string, params: LdbcParams): Promise<boolean> {
  const mode = id.startsWith('IU') ? 'EXPLAIN' : 'PROFILE';
  const result = await db.run(`${mode} ${ldbcQuery(id).text}`, params);
  return operatorTypes(result.summary.plan).some((t) => SEEK_OPERATORS.includes(t));
}

async function timeReads(db: Database, id: string, sets: readonly LdbcParams[], runs: number):
  Promise<QueryFigures> {
  const text = ldbcQuery(id).text;
  const first = sets[0] ?? {};
  await db.run(text, first);
  const times: number[] = [];
  let maxRows = 0;
  for (let i = 0; i < runs; i++) {
    const params = sets[i % sets.length] ?? first;
    const started = performance.now();
    const result = await db.run(text, params);
    times.push(performance.now() - started);
    maxRows = Math.max(maxRows, result.records.length);
  }
  times.sort((a, b) => a - b);
  return { id, executions: runs, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99),
    maxRows, targetMs: id.startsWith('IS') ? 1 : 50, indexSeek: await seeks(db, id, first) };
}

/** The first `count` update events in stream order, timed per IU number. */
async function timeUpdates(db: Database, count: number): Promise<QueryFigures[]> {
  const times = new Map<number, number[]>();
  const firstParams = new Map<number, LdbcParams>();
  for (const event of updateEvents().slice(0, count)) {
    const started = performance.now();
    await db.run(ldbcQuery(`IU${event.type}`).text, event.params);
    const list = times.get(event.type) ?? [];
    list.push(performance.now() - started);
    times.set(event.type, list);
    if (!firstParams.has(event.type)) firstParams.set(event.type, event.params);
  }
  const figures: QueryFigures[] = [];
  for (const type of [...times.keys()].sort((a, b) => a - b)) {
    const sorted = (times.get(type) ?? []).sort((a, b) => a - b);
    const id = `IU${type}`;
    figures.push({ id, executions: sorted.length, p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99), maxRows: 0, targetMs: null,
      indexSeek: await seeks(db, id, firstParams.get(type) ?? {}) });
  }
  return figures;
}

function table(rows: readonly QueryFigures[]): string {
  const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1)
    : x.toFixed(2));
  const lines = ['| query | runs | p50 ms | p99 ms | target p50 | met | index seek |',
    '|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    const target = r.targetMs === null ? '-' : `< ${r.targetMs} ms`;
    const met = r.targetMs === null ? '-' : r.p50Ms < r.targetMs ? 'yes' : 'NO';
    lines.push(`| ${r.id} | ${r.executions} | ${fmt(r.p50Ms)} | ${fmt(r.p99Ms)} | ${target} | ` +
      `${met} | ${r.indexSeek ? 'yes' : 'NO'} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const loadStarted = performance.now();
  const db = await openLdbcDatabase();
  const loadMs = performance.now() - loadStarted;
  console.error(`[load] LOAD CSV of the LDBC test data: ${loadMs.toFixed(0)} ms`);
  const figures: QueryFigures[] = [];
  try {
    const sets = readParams(opts.params);
    for (const id of [...SHORT_IDS, ...COMPLEX_IDS]) {
      figures.push(await timeReads(db, id, sets.get(id) ?? [], opts.runs));
      console.error(`[read] ${id} done`);
    }
    figures.push(...await timeUpdates(db, opts.updates));
  } finally {
    await db.close();
  }
  const markdown = table(figures);
  console.log(`\n${markdown}\n`);
  const doc = {
    bench: 'ldbc', date: new Date().toISOString(), dataset: LDBC_DIR, options: opts,
    machine: { cpus: os.cpus().length, loadAverage1m: os.loadavg()[0],
      note: 'every process on this machine shares these CPUs' },
    loadMs, queries: figures, markdown,
  };
  mkdirSync(join(opts.out, '..'), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(doc, null, 2)}\n`);
  console.error(`[done] -> ${opts.out}`);
}

main().catch((e: unknown) => {
  console.error(`bench/ldbc: ${e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
});
