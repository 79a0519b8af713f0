/**
 * Bolt server throughput: `npx tsx bench/bolt.ts`.
 * RETURN 1 round trips per second and their median latency on 1 and 16 connections, and rows
 * per second for a 1M-row result, through the official neo4j-driver. Uses the real backend
 * when src/server/bolt-backend.ts provides one, else the protocol tests' fake backend (which
 * measures the Bolt layer alone). Writes bench/results/bolt.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import neo4j, { type Driver } from 'neo4j-driver';
import type { BoltBackend } from '../src/bolt/backend.js';
import { startBoltServer } from '../src/bolt/server.js';
import { FakeBackend } from '../test/bolt/fake-backend.js';

const ROUND_TRIPS_PER_CONNECTION = Number(process.env.BOLT_BENCH_ROUND_TRIPS ?? 2000);
const ROWS = 1_000_000;

async function loadBackend(): Promise<{ backend: BoltBackend; name: string }> {
  const path = '../src/server/bolt-backend.js';
  try {
    const module = (await import(path)) as { createBenchBackend?: () => Promise<BoltBackend> };
    if (module.createBenchBackend !== undefined) {
      return { backend: await module.createBenchBackend(), name: 'server' };
    }
  } catch {
    // No real backend yet: measure the protocol layer on the fake one.
  }
  return { backend: new FakeBackend(), name: 'fake' };
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function roundTrips(driver: Driver, connections: number) {
  const latenciesMs: number[] = [];
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, async () => {
    const session = driver.session();
    for (let i = 0; i < ROUND_TRIPS_PER_CONNECTION; i++) {
      const t0 = performance.now();
      await session.run('RETURN 1 AS n');
      latenciesMs.push(performance.now() - t0);
    }
    await session.close();
  }));
  const seconds = (performance.now() - started) / 1000;
  return {
    connections,
    roundTrips: latenciesMs.length,
    roundTripsPerSecond: Math.round(latenciesMs.length / seconds),
    p50Ms: Number(median(latenciesMs).toFixed(3)),
  };
}

async function streamRows(driver: Driver) {
  const session = driver.session({ fetchSize: 10_000 });
  let rows = 0;
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    session.run(`UNWIND range(1, ${ROWS}) AS x RETURN x`).subscribe({
      onNext: () => { rows += 1; },
      onCompleted: () => resolve(),
      onError: reject,
    });
  });
  const seconds = (performance.now() - started) / 1000;
  await session.close();
  return { rows, seconds: Number(seconds.toFixed(3)), rowsPerSecond: Math.round(rows / seconds) };
}

const { backend, name } = await loadBackend();
const server = await startBoltServer({ host: '127.0.0.1', port: 0, backend });
const driver = neo4j.driver(`bolt://127.0.0.1:${server.port}`,
  neo4j.auth.basic('neo4j', 'secret'), { maxConnectionPoolSize: 32 });
try {
  await driver.verifyConnectivity();
  const results = {
    backend: name,
    node: process.version,
    returnOne: [await roundTrips(driver, 1), await roundTrips(driver, 16)],
    stream: await streamRows(driver),
  };
  await mkdir('bench/results', { recursive: true });
  await writeFile('bench/results/bolt.json', `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
} finally {
  await driver.close();
  await server.close();
}
