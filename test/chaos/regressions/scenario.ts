/**
 * A chaos cluster for a scripted scenario: the same real processes and fault proxies as a chaos
 * run, but the test decides every fault. `QUIVER_CHAOS_TREE` names a built copy of the
 * repository to run members from (as `--tree` does for `npm run chaos`); unset, this one.
 */
import type { Driver } from 'neo4j-driver';
import { Prng } from '../../sim/prng.js';
import { ChaosCluster } from '../chaos-cluster.js';
import { CHAOS_DEFAULTS } from '../chaos-run.js';
import { LinkFaults } from '../link-faults.js';
import { routingDriver, runTx } from '../workloads/workload.js';

const REPLICATION_TIMEOUT_MS = 5000;
const RETRY_INTERVAL_MS = 200;

export interface Scenario {
  readonly cluster: ChaosCluster;
  readonly routing: Driver;
  readonly log: string[];
  stop(): Promise<void>;
}

export async function startScenario(cores: number, replicas: number): Promise<Scenario> {
  const log: string[] = [];
  const cluster = await ChaosCluster.start({ cores, replicas, links: new LinkFaults(new Prng(1)),
    electionTimeoutMs: CHAOS_DEFAULTS.electionTimeoutMs,
    replicationTimeoutMs: REPLICATION_TIMEOUT_MS,
    snapshotThresholdEntries: CHAOS_DEFAULTS.snapshotThresholdEntries,
    log: (line) => log.push(line), keepHomes: () => false, diskFaults: false,
    tree: process.env.QUIVER_CHAOS_TREE ?? null });
  const routing = routingDriver(cluster);
  return { cluster, routing, log, stop: async () => {
    await routing.close();
    await cluster.stopAll();
  } };
}

/** Retries a write until one commits (a leader is elected) or the time is up; its bookmark. */
export async function writeWithRetry(routing: Driver, query: string, timeoutMs: number):
  Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return (await runTx(routing, { mode: 'WRITE', query })).bookmarks;
    } catch (thrown) {
      if (Date.now() > deadline) throw thrown;
      await new Promise((resolve) => setTimeout(resolve, RETRY_INTERVAL_MS));
    }
  }
}
