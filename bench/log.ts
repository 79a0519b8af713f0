/**
 * Append throughput of the durable log with 1 and 64 concurrent appenders, each append one
 * 256-byte entry that must be fsynced before it resolves. With one appender every append pays
 * a sync; with many, group commit shares each sync among the appends that arrived during it.
 *
 * Run: npx tsx bench/log.ts [durationMs]   Writes bench/results/log.json.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SegmentedLog } from '../src/log/index.js';

const ENTRY_BYTES = 256;
const CONCURRENCIES = [1, 64];

interface Result {
  readonly appenders: number;
  readonly seconds: number;
  readonly appends: number;
  readonly appendsPerSecond: number;
  readonly fsyncsPerSecond: number;
  readonly appendsPerFsync: number;
  readonly megabytesPerSecond: number;
}

async function measure(appenders: number, durationMs: number): Promise<Result> {
  const dir = await mkdtemp(join(tmpdir(), 'quiver-bench-log-'));
  try {
    const log = await SegmentedLog.open(dir);
    const data = new Uint8Array(ENTRY_BYTES).fill(42);
    const started = performance.now();
    const deadline = started + durationMs;
    let next = 1;
    const appender = async (): Promise<void> => {
      while (performance.now() < deadline) {
        await log.append([{ index: next++, term: 1, kind: 'normal', data }]);
      }
    };
    await Promise.all(Array.from({ length: appenders }, appender));
    const seconds = (performance.now() - started) / 1000;
    const stats = log.stats();
    await log.close();
    return {
      appenders,
      seconds: round(seconds),
      appends: stats.appends,
      appendsPerSecond: round(stats.appends / seconds),
      fsyncsPerSecond: round(stats.fsyncs / seconds),
      appendsPerFsync: round(stats.appends / Math.max(1, stats.fsyncs)),
      megabytesPerSecond: round(stats.bytes / seconds / 1e6),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

async function main(): Promise<void> {
  const durationMs = Number(process.argv[2] ?? 3000);
  const results: Result[] = [];
  for (const appenders of CONCURRENCIES) {
    const result = await measure(appenders, durationMs);
    results.push(result);
    console.log(`${appenders} appender(s): ${result.appendsPerSecond} appends/s, ` +
      `${result.fsyncsPerSecond} fsyncs/s, ${result.appendsPerFsync} appends per fsync`);
  }
  const report = {
    bench: 'log',
    entryBytes: ENTRY_BYTES,
    durationMs,
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    tmpdir: tmpdir(),
    date: new Date().toISOString(),
    results,
  };
  const out = new URL('./results/log.json', import.meta.url);
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${out.pathname}`);
}

await main();
