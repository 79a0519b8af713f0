/**
 * Bolt throughput of a real server: `npx tsx bench/bolt.ts`.
 * Starts `quiver console` in a child process (fresh temp home, free ports) and measures, through
 * the official neo4j-driver: RETURN 1 round trips per second and their median latency on 1 and
 * 16 connections, and rows per second for a 1M-row result. Writes bench/results/bolt.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import neo4j, { type Driver } from 'neo4j-driver';
import { startQuiverServer } from '../test/helpers/quiver-process.js';

const ROUND_TRIPS_PER_CONNECTION = Number(process.env.BOLT_BENCH_ROUND_TRIPS ?? 2000);
const ROWS = 1_000_000;

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

const server = await startQuiverServer();
const driver = neo4j.driver(server.boltUrl, neo4j.auth.basic('neo4j', server.password),
  { maxConnectionPoolSize: 32 });
try {
  await driver.verifyConnectivity();
  // One untimed pass so the server's code is compiled and warm before it is measured.
  await roundTrips(driver, 1);
  const results = {
    backend: 'server (quiver console in a child process)',
    node: process.version,
    returnOne: [await roundTrips(driver, 1), await roundTrips(driver, 16)],
    stream: await streamRows(driver),
  };
  await mkdir('bench/results', { recursive: true });
  await writeFile('bench/results/bolt.json', `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
} finally {
  await driver.close();
  await server.stop();
}
