/**
 * One chaos run, start to verdict: start a cluster behind fault proxies, create the workload's
 * starting data, run the clients and the nemesis side by side until the time is up, heal
 * everything, wait for the cluster to take writes again, read the final state on the leader and
 * on every member, check the history, and stop every process. Every wait has a deadline.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Driver } from 'neo4j-driver';
import { Prng } from '../sim/prng.js';
import { ChaosCluster, type ChaosMember } from './chaos-cluster.js';
import type { Violation } from './checkers/violation.js';
import { History, withTimeout } from './history.js';
import { LinkFaults } from './link-faults.js';
import { canMountTmpfs } from './tmpfs-disk.js';
import { healEverything, NEMESES, runNemesis, type NemesisContext } from './nemesis.js';
import { verdictOf, type RunFacts } from './report.js';
import { bankWorkload } from './workloads/bank-workload.js';
import { causalWorkload } from './workloads/causal-workload.js';
import { registerWorkload } from './workloads/register-workload.js';
import { setWorkload } from './workloads/set-workload.js';
import {
  directDriver, routingDriver, runTx, type Workload, type WorkloadContext,
} from './workloads/workload.js';

export const WORKLOADS: Readonly<Record<string, () => Workload>> = {
  set: setWorkload, bank: bankWorkload, register: registerWorkload, causal: causalWorkload,
};

export interface ChaosOptions {
  readonly workload: string;
  readonly nemesis: string;
  readonly timeS: number;
  readonly seed: number;
  readonly cores: number;
  /** Read replicas besides the cores: read targets, and victims of the nemesis too. */
  readonly replicas: number;
  readonly clients: number;
  readonly opTimeoutMs: number;
  readonly electionTimeoutMs: number;
  readonly snapshotThresholdEntries: number;
  /** A built copy of the repository to run members from (see ChaosClusterOptions.tree). */
  readonly tree: string | null;
  readonly log: (line: string) => void;
}

export const CHAOS_DEFAULTS = {
  replicas: 0, clients: 5, opTimeoutMs: 5000, electionTimeoutMs: 1000,
  snapshotThresholdEntries: 200, tree: null,
} as const;

const SETUP_TIMEOUT_MS = 40_000;
const RECOVERY_TIMEOUT_MS = 60_000;
const CONVERGENCE_TIMEOUT_MS = 20_000;
const RETRY_INTERVAL_MS = 250;
/** After an operation that did not succeed, so a client does not spin while there is no leader. */
const BACKOFF_MS_MAX = 300;
const OPS_PER_CLIENT_MAX = 100_000;
const DRIVER_CLOSE_TIMEOUT_MS = 5000;
const REPLICATION_TIMEOUT_MS = 5000;

/** Retries `attempt` until it resolves or `timeoutMs` passes; then throws its last error. */
async function retryUntil<T>(what: string, timeoutMs: number, attempt: () => Promise<T>):
  Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let tries = 1; ; tries += 1) {
    try {
      return await withTimeout(attempt(), Math.max(1, deadline - Date.now()));
    } catch (thrown) {
      if (Date.now() + RETRY_INTERVAL_MS > deadline) {
        throw new Error(`${what} failed after ${tries} tries: ` +
          `${thrown instanceof Error ? thrown.message : String(thrown)}`);
      }
    }
    await delay(RETRY_INTERVAL_MS);
  }
}

async function runClients(ctx: WorkloadContext, workload: Workload, rng: Prng,
  options: ChaosOptions, untilMs: number): Promise<void> {
  const client = async (id: number, clientRng: Prng): Promise<void> => {
    for (let n = 0; n < OPS_PER_CLIENT_MAX && ctx.history.nowMs() < untilMs; n += 1) {
      const op = await workload.step(ctx, id, clientRng);
      if (op.type !== 'ok') await delay(clientRng.int(BACKOFF_MS_MAX));
    }
  };
  const rngs = Array.from({ length: options.clients }, () => rng.fork());
  await Promise.all(rngs.map((clientRng, id) => client(id, clientRng)));
}

/** Waits for a leader and one acknowledged write; returns that write's bookmark. */
async function awaitWrites(cluster: ChaosCluster, driver: Driver, timeoutMs: number):
  Promise<string[]> {
  return retryUntil('a write after recovery', timeoutMs, async () => {
    if (await cluster.leader() === null) throw new Error('no leader yet');
    const { bookmarks } = await runTx(driver, { mode: 'WRITE',
      query: 'MERGE (p:ChaosProbe {id: 0}) SET p.n = coalesce(p.n, 0) + 1' });
    return bookmarks;
  });
}

/** Every member must hold the same workload state as the leader once it has the bookmark. */
async function checkConvergence(ctx: WorkloadContext, workload: Workload, bookmarks: string[]):
  Promise<Violation[]> {
  const stateOf = async (driver: Driver, mode: 'READ' | 'WRITE'): Promise<string> => {
    const { records } = await runTx(driver, { mode, bookmarks, query: workload.stateQuery });
    return JSON.stringify(records.map((r) => r.toObject()));
  };
  const expected = await retryUntil('the leader\'s final state', CONVERGENCE_TIMEOUT_MS,
    () => stateOf(ctx.routing, 'WRITE'));
  const violations: Violation[] = [];
  for (const member of ctx.cluster.members) {
    try {
      const seen = await retryUntil(`${member.name}'s final state`, CONVERGENCE_TIMEOUT_MS,
        () => stateOf(ctx.direct(member), 'READ'));
      if (seen !== expected) {
        violations.push({ checker: 'convergence', ops: [], message: `${member.name} holds ` +
          `${seen.slice(0, 300)} where the leader holds ${expected.slice(0, 300)}` });
      }
    } catch (thrown) {
      violations.push({ checker: 'convergence', ops: [], message: String(thrown) });
    }
  }
  return violations;
}

interface Finish {
  recoveryMs: number | null;
  /** Final heal until every member held the leader's state; null if one never did. */
  caughtUpMs: number | null;
  finalRead: unknown;
  violations: Violation[];
}

/** Heal, wait for writes, read the final state and compare members. */
async function finish(ctx: WorkloadContext, workload: Workload, nemesis: NemesisContext):
  Promise<Finish> {
  const healedAt = ctx.history.nowMs();
  const violations: Violation[] = (await healEverything(nemesis)).map((message) =>
    ({ checker: 'recovery', ops: [], message: `member did not restart: ${message}` }));
  let bookmarks: string[];
  try {
    bookmarks = await awaitWrites(ctx.cluster, ctx.routing, RECOVERY_TIMEOUT_MS);
  } catch (thrown) {
    nemesis.log(String(thrown));
    return { recoveryMs: null, caughtUpMs: null, finalRead: null, violations };
  }
  const recoveryMs = ctx.history.nowMs() - healedAt;
  const finalRead = await retryUntil('the final read', CONVERGENCE_TIMEOUT_MS,
    () => workload.finalRead(ctx, bookmarks));
  const diverged = await checkConvergence(ctx, workload, bookmarks);
  const caughtUpMs = diverged.length === 0 ? ctx.history.nowMs() - healedAt : null;
  violations.push(...diverged);
  return { recoveryMs, caughtUpMs, finalRead, violations };
}

async function closeDrivers(drivers: readonly Driver[]): Promise<void> {
  await Promise.all(drivers.map((d) =>
    withTimeout(d.close(), DRIVER_CLOSE_TIMEOUT_MS).catch(() => undefined)));
}

/** Where a failing run's history and member homes are kept. */
function keepDir(options: ChaosOptions): string {
  const dir = path.join(os.tmpdir(), 'quiver-chaos-runs',
    `${options.workload}-${options.nemesis}-seed${options.seed}-${Date.now()}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

interface Running {
  cluster: ChaosCluster | null;
  drivers: Driver[];
  keep: boolean;
}

async function execute(options: ChaosOptions, running: Running): Promise<RunFacts> {
  const workload = WORKLOADS[options.workload]!();
  // A ring of three is fully connected: nothing to cut. A full disk needs a tmpfs mount.
  const kinds = NEMESES[options.nemesis]!.filter((k) =>
    (k !== 'partition-ring' || options.cores >= 5) && (k !== 'disk-full' || canMountTmpfs()));
  if (kinds.length === 0 && options.nemesis !== 'none') {
    throw new Error(`none of the faults of nemesis ${options.nemesis} can be injected here ` +
      '(a ring needs 5 cores; a full disk needs root to mount a tmpfs)');
  }
  const rng = new Prng(options.seed);
  const links = new LinkFaults(rng.fork());
  const history = new History();
  const cluster = await ChaosCluster.start({ cores: options.cores, replicas: options.replicas,
    links, log: options.log,
    electionTimeoutMs: options.electionTimeoutMs, replicationTimeoutMs: REPLICATION_TIMEOUT_MS,
    snapshotThresholdEntries: options.snapshotThresholdEntries, keepHomes: () => running.keep,
    diskFaults: kinds.includes('disk-full'), tree: options.tree });
  running.cluster = cluster;
  const routing = routingDriver(cluster);
  running.drivers.push(routing);
  const directs = new Map<ChaosMember, Driver>();
  const direct = (m: ChaosMember): Driver => {
    let d = directs.get(m);
    if (d === undefined) {
      d = directDriver(m);
      directs.set(m, d);
      running.drivers.push(d);
    }
    return d;
  };
  const ctx: WorkloadContext = { cluster, history, routing, direct,
    opTimeoutMs: options.opTimeoutMs };
  await awaitWrites(cluster, routing, SETUP_TIMEOUT_MS);
  const setup = workload.setupQuery;
  if (setup !== null) {
    const { bookmarks } = await retryUntil('the workload setup', SETUP_TIMEOUT_MS,
      () => runTx(routing, { mode: 'WRITE', query: setup }));
    // As in Jepsen, the initial state is on every member before the test begins: reads without
    // a bookmark may be stale, but never older than the state the checkers start from (a read
    // replica pulls once a second by default).
    for (const member of cluster.members) {
      await retryUntil(`the workload setup on ${member.name}`, SETUP_TIMEOUT_MS,
        () => runTx(direct(member), { mode: 'READ', query: 'RETURN 1', bookmarks }));
    }
  }
  options.log(`cluster ready; running ${options.workload} under ${options.nemesis}`);
  const untilMs = history.nowMs() + options.timeS * 1000;
  const nemesis: NemesisContext = { cluster, links, rng: rng.fork(), log: options.log,
    electionTimeoutMs: options.electionTimeoutMs, nowMs: () => history.nowMs() };
  const [faults] = await Promise.all([runNemesis(nemesis, kinds, untilMs),
    runClients(ctx, workload, rng.fork(), options, untilMs)]);
  const end = await finish(ctx, workload, nemesis);
  const facts: RunFacts = { workload: options.workload, nemesis: options.nemesis,
    cores: options.cores, replicas: options.replicas, seed: options.seed, timeS: options.timeS,
    ops: history.ops, writeFunctions: workload.writeFunctions, faults, recoveryMs: end.recoveryMs,
    caughtUpMs: end.caughtUpMs, framesLost: cluster.proxyTotals().lost,
    framesBlackHoled: cluster.proxyTotals().blackHoled,
    check: end.recoveryMs === null ? null : workload.check(history.ops, end.finalRead),
    violations: end.violations, historyFile: null };
  if (verdictOf(facts) === 'PASS') return facts;
  running.keep = true;
  const dir = keepDir(options);
  const historyFile = path.join(dir, 'history.jsonl');
  history.writeTo(historyFile);
  fs.writeFileSync(path.join(dir, 'faults.json'), JSON.stringify(faults, null, 2));
  fs.writeFileSync(path.join(dir, 'members.txt'), `member homes: ${cluster.dir}\n`);
  return { ...facts, historyFile };
}

/** Runs one chaos run; every process and driver it started is stopped before it returns. */
export async function runChaos(options: ChaosOptions): Promise<RunFacts> {
  const running: Running = { cluster: null, drivers: [], keep: false };
  try {
    return await execute(options, running);
  } catch (thrown) {
    running.keep = true;
    throw thrown;
  } finally {
    await closeDrivers(running.drivers);
    await running.cluster?.stopAll();
  }
}
