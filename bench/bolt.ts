/**
 * Bolt throughput of a real server: `npx tsx bench/bolt.ts`.
 * Starts `quiver console` in a child process (fresh temp home, free ports) and measures, through
 * the official neo4j-driver: RETURN 1 round trips per second and their latency (p50, p99) on 1
 * and 16 connections, and rows per second for a 1M-row result. Beside each figure it reports the
 * server process's CPU seconds (user + system, from /proc) per 1k round trips or per 1M rows:
 * on a shared, noisy machine wall-clock rates move with the neighbours, CPU cost much less.
 * The single-connection figure also gives the bench process's own CPU per round trip (the
 * driver's cost), and the same RETURN 1 is timed from a minimal raw-socket Bolt client: the
 * difference between the two p50s is what the driver adds to every round trip.
 * Writes bench/results/bolt.json.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import neo4j, { type Driver } from 'neo4j-driver';
import { handshakeFor } from '../test/bolt/raw-client.js';
import { msg } from '../test/bolt/wire.js';
import { startQuiverServer } from '../test/helpers/quiver-process.js';

// tsx turns on source-mapped stack traces in this process. The driver captures a stack trace
// on every session.run, and mapping it through source maps cost about 30 µs of this process's
// CPU per round trip, which an application running plain JavaScript does not pay.
process.setSourceMapsEnabled(false);

const ROUND_TRIPS_PER_CONNECTION = Number(process.env.BOLT_BENCH_ROUND_TRIPS ?? 2000);
const ROWS = 1_000_000;
/** Linux reports process CPU time in clock ticks of 1/100 s (USER_HZ). */
const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU seconds a process has used so far; null where /proc is not there. */
function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its ')' are positional.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

function percentile(sorted: readonly number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.floor(sorted.length * fraction));
  return Number((sorted[index] ?? 0).toFixed(3));
}

/** Runs `work` and returns the server's CPU seconds it cost (null without /proc). */
async function serverCpu<T>(pid: number, work: () => Promise<T>) {
  const before = cpuSeconds(pid);
  const result = await work();
  const after = cpuSeconds(pid);
  return { result, cpuSeconds: before === null || after === null ? null : after - before };
}

async function roundTrips(driver: Driver, connections: number, serverPid: number) {
  const latenciesMs: number[] = [];
  const started = performance.now();
  const clientCpu = process.cpuUsage();
  const { cpuSeconds: cpu } = await serverCpu(serverPid, () => Promise.all(
    Array.from({ length: connections }, async () => {
      const session = driver.session();
      for (let i = 0; i < ROUND_TRIPS_PER_CONNECTION; i++) {
        const t0 = performance.now();
        await session.run('RETURN 1 AS n');
        latenciesMs.push(performance.now() - t0);
      }
      await session.close();
    })));
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(clientCpu);
  const sorted = latenciesMs.sort((a, b) => a - b);
  return {
    connections,
    roundTrips: sorted.length,
    roundTripsPerSecond: Math.round(sorted.length / seconds),
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    serverCpuSecondsPer1kRoundTrips:
      cpu === null ? null : Number((cpu * 1000 / sorted.length).toFixed(4)),
    clientCpuSecondsPer1kRoundTrips: Number(((user + system) / 1000 / sorted.length).toFixed(4)),
  };
}

const RECORD = 0x71;
const FAILURE = 0x7f;

/**
 * Counts the summaries (every response but RECORD) in a Bolt response stream without decoding
 * them: a client that costs next to nothing, so its round trips show the server and the kernel
 * alone. A RUN and its PULL get two summaries whatever happens; a FAILURE stops the bench.
 */
class SummaryCounter {
  private carry: Buffer = Buffer.alloc(0);
  /** Signature of the message being read; null between messages. */
  private signature: number | null = null;
  private count = 0;
  private failed = false;
  private wanted = 0;
  private waiter: { resolve: () => void; reject: (error: Error) => void } | null = null;

  constructor(socket: Socket, skipBytes: number) {
    let skip = skipBytes;
    socket.on('data', (data: Buffer) => {
      const rest = data.subarray(Math.min(skip, data.length));
      skip -= data.length - rest.length;
      this.push(rest);
    });
  }

  /** Resolves once `count` more summaries have arrived. */
  summaries(count: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.wanted = count;
      this.waiter = { resolve, reject };
      this.maybeWake();
    });
  }

  private push(data: Buffer): void {
    const bytes = this.carry.length === 0 ? data : Buffer.concat([this.carry, data]);
    let at = 0;
    while (at + 2 <= bytes.length) {
      const size = bytes.readUInt16BE(at);
      if (at + 2 + size > bytes.length) break;
      // A message's first chunk starts with its structure marker, then its signature.
      if (size > 0 && this.signature === null) this.signature = bytes[at + 3] ?? null;
      if (size === 0 && this.signature !== null) this.endMessage(this.signature);
      at += 2 + size;
    }
    this.carry = bytes.subarray(at);
    this.maybeWake();
  }

  private endMessage(signature: number): void {
    this.signature = null;
    if (signature === FAILURE) this.failed = true;
    if (signature !== RECORD) this.count += 1;
  }

  private maybeWake(): void {
    const waiter = this.waiter;
    if (waiter === null || (!this.failed && this.count < this.wanted)) return;
    this.waiter = null;
    if (this.failed) return waiter.reject(new Error('the raw-socket client got a FAILURE'));
    this.count -= this.wanted;
    waiter.resolve();
  }
}

/** RETURN 1 round trips (RUN and PULL in one write, as drivers send them) over Bolt 5.0. */
async function rawSocketRoundTrips(port: number, password: string) {
  const socket = connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  await once(socket, 'connect');
  // The four bytes of the handshake reply come before the first message.
  const counter = new SummaryCounter(socket, 4);
  const latenciesMs: number[] = [];
  try {
    socket.write(Uint8Array.from([...handshakeFor(5, 0), ...msg.hello({ user_agent: 'bench/raw',
      scheme: 'basic', principal: 'neo4j', credentials: password })]));
    await counter.summaries(1);
    const runPull = Uint8Array.from([...msg.run('RETURN 1 AS n'), ...msg.pull(-1n)]);
    for (let i = 0; i < ROUND_TRIPS_PER_CONNECTION; i++) {
      const t0 = performance.now();
      socket.write(runPull);
      await counter.summaries(2);
      latenciesMs.push(performance.now() - t0);
    }
  } finally {
    socket.destroy();
  }
  const sorted = latenciesMs.sort((a, b) => a - b);
  return { client: 'raw socket', connections: 1, roundTrips: sorted.length,
    p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) };
}

async function streamRows(driver: Driver, serverPid: number) {
  const session = driver.session({ fetchSize: 10_000 });
  let rows = 0;
  const started = performance.now();
  const { cpuSeconds: cpu } = await serverCpu(serverPid, () => new Promise<void>(
    (resolve, reject) => {
      session.run(`UNWIND range(1, ${ROWS}) AS x RETURN x`).subscribe({
        onNext: () => { rows += 1; },
        onCompleted: () => resolve(),
        onError: reject,
      });
    }));
  const seconds = (performance.now() - started) / 1000;
  await session.close();
  return {
    rows,
    seconds: Number(seconds.toFixed(3)),
    rowsPerSecond: Math.round(rows / seconds),
    serverCpuSecondsPer1MRows: cpu === null ? null : Number((cpu * 1e6 / rows).toFixed(3)),
  };
}

const server = await startQuiverServer();
const driver = neo4j.driver(server.boltUrl, neo4j.auth.basic('neo4j', server.password),
  { maxConnectionPoolSize: 32 });
try {
  await driver.verifyConnectivity();
  // One untimed pass so the server's code is compiled and warm before it is measured.
  await roundTrips(driver, 1, server.pid);
  const results = {
    backend: 'server (quiver console in a child process)',
    node: process.version,
    // Wall-clock figures depend on what else runs: say how busy the machine was.
    cpuCount: cpus().length,
    loadAverage1mBefore: Number((loadavg()[0] ?? 0).toFixed(2)),
    returnOne: [
      await roundTrips(driver, 1, server.pid),
      await roundTrips(driver, 16, server.pid),
    ],
    returnOneRawSocket: await rawSocketRoundTrips(server.boltPort, server.password),
    stream: await streamRows(driver, server.pid),
  };
  await mkdir('bench/results', { recursive: true });
  await writeFile('bench/results/bolt.json', `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
} finally {
  await driver.close();
  await server.stop();
}
