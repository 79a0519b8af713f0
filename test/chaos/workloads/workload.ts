/**
 * What every chaos workload provides, and the client plumbing they share: drivers without
 * automatic retries (a retried transaction whose first commit went through would add twice,
 * which is the client's doing, not the database's), and one transaction per operation.
 */
import neo4j, { type Driver, type Record as Neo4jRecord } from 'neo4j-driver';
import type { Prng } from '../../sim/prng.js';
import type { ChaosCluster, ChaosMember } from '../chaos-cluster.js';
import type { CheckResult } from '../checkers/violation.js';
import type { History, Op } from '../history.js';

export interface WorkloadContext {
  readonly cluster: ChaosCluster;
  readonly history: History;
  /** neo4j:// with every member as a seed. */
  readonly routing: Driver;
  /** bolt:// to exactly one member. */
  readonly direct: (member: ChaosMember) => Driver;
  readonly opTimeoutMs: number;
}

export interface Workload {
  readonly name: string;
  /** Creates the starting data; runs before any fault, with retries. */
  readonly setupQuery: string | null;
  /** One operation of client `client`, recorded in the history. */
  step(ctx: WorkloadContext, client: number, rng: Prng): Promise<Op>;
  /** Reads the final state on the leader after recovery (bookmarked), for the checker. */
  finalRead(ctx: WorkloadContext, bookmarks: string[]): Promise<unknown>;
  check(ops: readonly Op[], finalRead: unknown): CheckResult;
  /** The workload's whole state, canonically ordered, to compare members after recovery. */
  readonly stateQuery: string;
  /** Operations that write (for the write unavailability windows). */
  readonly writeFunctions: readonly string[];
}

export const DRIVER_CONFIG = {
  maxTransactionRetryTime: 0,
  connectionTimeout: 2000,
  connectionAcquisitionTimeout: 3000,
  disableLosslessIntegers: true,
} as const;

export function routingDriver(cluster: ChaosCluster): Driver {
  const seeds = cluster.members.map((m) => m.boltAddress);
  return neo4j.driver(`neo4j://${seeds[0] ?? ''}`, neo4j.auth.basic('neo4j', 'unused'),
    { ...DRIVER_CONFIG, resolver: () => seeds });
}

export function directDriver(member: ChaosMember): Driver {
  return neo4j.driver(`bolt://${member.boltAddress}`, neo4j.auth.basic('neo4j', 'unused'),
    DRIVER_CONFIG);
}

export interface TxResult {
  readonly records: Neo4jRecord[];
  readonly bookmarks: string[];
}

/** One explicit transaction: run one query, commit, hand back rows and the bookmark. */
export async function runTx(driver: Driver, args: { query: string;
  params?: Record<string, unknown>; mode: 'READ' | 'WRITE'; bookmarks?: string[] }):
  Promise<TxResult> {
  const session = driver.session({ bookmarks: args.bookmarks ?? [],
    defaultAccessMode: args.mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE });
  try {
    const tx = await session.beginTransaction();
    const result = await tx.run(args.query, args.params ?? {});
    await tx.commit();
    return { records: result.records, bookmarks: session.lastBookmarks() };
  } finally {
    await session.close();
  }
}

/** Reads never change anything: any error means "observed nothing". */
export const readOutcome = (): 'fail' => 'fail';
