/**
 * Nemeses: the faults a chaos run injects, one at a time on a seeded schedule (a quiet spell,
 * a fault held for a while, its heal), so that every fault is one a correct cluster recovers
 * from once healed. The seed fixes every choice (which fault, which members, how long); what
 * the processes do in between is up to the machine's timing.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { RECORD_MAGIC_BYTES } from '../../src/log/record-codec.js';
import type { Prng } from '../sim/prng.js';
import type { ChaosCluster, ChaosMember } from './chaos-cluster.js';
import { FAST_LINKS, type LinkFaults } from './link-faults.js';
import {
  describeCut, partition, withReplicas, type PartitionKind,
} from './partitions.js';

export const FAULT_KINDS = ['kill', 'kill-leader', 'pause', 'pause-leader', 'partition-halves',
  'partition-leader', 'partition-bridge', 'partition-ring', 'slow', 'torn-log',
  'disk-full'] as const;
export type FaultKind = typeof FAULT_KINDS[number];

/** What `--nemesis` accepts, and the faults each name draws from. */
export const NEMESES: Readonly<Record<string, readonly FaultKind[]>> = {
  none: [],
  kill: ['kill', 'kill-leader'],
  pause: ['pause', 'pause-leader'],
  partition: ['partition-halves', 'partition-leader', 'partition-bridge', 'partition-ring'],
  slow: ['slow'],
  torn: ['torn-log'],
  disk: ['disk-full'],
  mixed: FAULT_KINDS,
};

export interface FaultEvent {
  readonly kind: FaultKind;
  readonly detail: string;
  readonly startMs: number;
  healMs: number | null;
  /** Set when healing failed, e.g. a member that would not start again. */
  healError: string | null;
}

export interface NemesisContext {
  readonly cluster: ChaosCluster;
  readonly links: LinkFaults;
  readonly rng: Prng;
  readonly electionTimeoutMs: number;
  readonly nowMs: () => number;
  readonly log: (line: string) => void;
}

interface ActiveFault {
  readonly detail: string;
  heal(): Promise<void>;
}

/** Shorter than a record header (32 bytes): the crash came before the header was whole. */
const TORN_BYTES_MAX = 31;
const BYTE_VALUES = 256;

function running(members: readonly ChaosMember[]): ChaosMember[] {
  return members.filter((m) => m.child !== null && !m.paused);
}

/**
 * Up to a minority of the running cores, at least one, and half the time a running replica
 * too (losing replicas never costs the quorum).
 */
function someMembers(ctx: NemesisContext): ChaosMember[] {
  const minority = Math.max(1, Math.floor((ctx.cluster.cores.length - 1) / 2));
  const victims = ctx.rng.shuffle(running(ctx.cluster.cores)).slice(0, 1 + ctx.rng.int(minority));
  const replicas = running(ctx.cluster.replicas);
  if (replicas.length > 0 && ctx.rng.chance(0.5)) victims.push(ctx.rng.pick(replicas));
  return victims;
}

/** One member of someMembers(): a core or, with replicas, sometimes a replica. */
function oneMember(ctx: NemesisContext): ChaosMember | undefined {
  const victims = someMembers(ctx);
  return victims.length === 0 ? undefined : ctx.rng.pick(victims);
}

async function leaderOrAny(ctx: NemesisContext): Promise<ChaosMember[]> {
  const leader = await ctx.cluster.leader();
  if (leader !== null) return [leader];
  return ctx.rng.shuffle(running(ctx.cluster.cores)).slice(0, 1);
}

function names(members: readonly ChaosMember[]): string {
  return members.map((m) => m.name).join(' ') || 'nobody';
}

async function kill(ctx: NemesisContext, victims: ChaosMember[]): Promise<ActiveFault> {
  await Promise.all(victims.map((m) => ctx.cluster.kill(m)));
  return { detail: `SIGKILL ${names(victims)}`,
    heal: async () => { await Promise.all(victims.map((m) => ctx.cluster.startMember(m))); } };
}

function pause(ctx: NemesisContext, victims: ChaosMember[]): ActiveFault {
  for (const m of victims) ctx.cluster.pause(m);
  return { detail: `SIGSTOP ${names(victims)}`,
    heal: () => { for (const m of victims) ctx.cluster.resume(m); return Promise.resolve(); } };
}

/** The shape is drawn over the cores; each replica shares the side of a random core. */
async function cut(ctx: NemesisContext, kind: PartitionKind): Promise<ActiveFault> {
  const leader = kind === 'isolated-leader' ? await ctx.cluster.leader() : null;
  const coreNames = ctx.cluster.cores.map((m) => m.name);
  const sides = new Map(ctx.cluster.replicas.map((m) => [m.name, ctx.rng.pick(coreNames)]));
  const cutPairs = withReplicas(
    partition(kind, coreNames, ctx.rng, leader?.name ?? null), coreNames, sides);
  ctx.links.setCut(cutPairs);
  return { detail: `${kind}: ${describeCut(cutPairs)}`,
    heal: () => { ctx.links.setCut(new Set()); return Promise.resolve(); } };
}

function slow(ctx: NemesisContext): ActiveFault {
  const links = { delayMs: 10 + ctx.rng.int(90), jitterMs: 50,
    lossRate: 0.02 + 0.1 * ctx.rng.next() };
  ctx.links.setSlow(links);
  return { detail: `delay ${links.delayMs}+${links.jitterMs} ms, loss ` +
      `${(100 * links.lossRate).toFixed(1)}%`,
  heal: () => { ctx.links.setSlow(FAST_LINKS); return Promise.resolve(); } };
}

/** The first bytes of a record whose append a crash cut short: its magic, then garbage. */
function tornRecord(rng: Prng): Buffer {
  const partial = Buffer.alloc(1 + rng.int(TORN_BYTES_MAX));
  for (let i = 0; i < partial.length; i += 1) partial[i] = rng.int(BYTE_VALUES);
  RECORD_MAGIC_BYTES.copy(partial, 0, 0, Math.min(partial.length, RECORD_MAGIC_BYTES.length));
  return partial;
}

/**
 * SIGKILL one member and leave a torn record after the last whole record of its newest log
 * file, as a crash in mid-append would; heal restarts it, which must cut the torn tail.
 */
async function tearLog(ctx: NemesisContext): Promise<ActiveFault> {
  const victim = oneMember(ctx);
  if (victim === undefined) return { detail: 'no running member', heal: () => Promise.resolve() };
  await ctx.cluster.kill(victim);
  const partial = tornRecord(ctx.rng);
  const { file, offset } = ctx.cluster.tearLog(victim, partial);
  return { detail: `SIGKILL ${victim.name}, a ${partial.length}-byte torn record at ` +
      `${file ?? 'no log file'}:${offset}`,
    heal: () => ctx.cluster.startMember(victim) };
}

/**
 * Fills one member's disk (the leader's half the time, where writes are proposed). It may stop
 * (a storage failure stops Raft); heal frees the disk and restarts it if it is gone.
 */
async function fillDisk(ctx: NemesisContext): Promise<ActiveFault> {
  const victim = ctx.rng.chance(0.5) ? (await leaderOrAny(ctx))[0] : oneMember(ctx);
  if (victim === undefined) return { detail: 'no running member', heal: () => Promise.resolve() };
  const used = ctx.cluster.fillDisk(victim);
  return { detail: `disk of ${victim.name} full at ${used} bytes`,
    heal: async () => {
      ctx.cluster.freeDisk(victim);
      if (victim.child === null) await ctx.cluster.startMember(victim);
    } };
}

function inject(ctx: NemesisContext, kind: FaultKind): Promise<ActiveFault> | ActiveFault {
  switch (kind) {
    case 'kill': return kill(ctx, someMembers(ctx));
    case 'kill-leader': return leaderOrAny(ctx).then((v) => kill(ctx, v));
    case 'pause': return pause(ctx, someMembers(ctx));
    case 'pause-leader': return leaderOrAny(ctx).then((v) => pause(ctx, v));
    case 'partition-halves': return cut(ctx, 'halves');
    case 'partition-leader': return cut(ctx, 'isolated-leader');
    case 'partition-bridge': return cut(ctx, 'bridge');
    case 'partition-ring': return cut(ctx, 'ring');
    case 'slow': return slow(ctx);
    case 'torn-log': return tearLog(ctx);
    case 'disk-full': return fillDisk(ctx);
  }
}

/**
 * Injects faults drawn from `kinds` until `untilMs`: each after a quiet spell of one to three
 * election timeouts, held for two to five (long enough for a paused leader to be replaced),
 * then healed. Returns every fault with its times; a failed heal is recorded, not thrown.
 */
export async function runNemesis(ctx: NemesisContext, kinds: readonly FaultKind[],
  untilMs: number): Promise<FaultEvent[]> {
  const events: FaultEvent[] = [];
  const t = ctx.electionTimeoutMs;
  while (kinds.length > 0) {
    const quietMs = t * (1 + 2 * ctx.rng.next());
    const holdMs = t * (2 + 3 * ctx.rng.next());
    if (ctx.nowMs() + quietMs + holdMs > untilMs) break;
    await delay(quietMs);
    const kind = ctx.rng.pick(kinds);
    const fault = await inject(ctx, kind);
    const event: FaultEvent = { kind, detail: fault.detail, startMs: ctx.nowMs(), healMs: null,
      healError: null };
    events.push(event);
    ctx.log(`fault ${kind}: ${fault.detail}`);
    await delay(holdMs);
    try {
      await fault.heal();
    } catch (thrown) {
      event.healError = thrown instanceof Error ? thrown.message : String(thrown);
      ctx.log(`heal of ${kind} failed: ${event.healError}`);
    }
    event.healMs = ctx.nowMs();
    ctx.log(`healed ${kind}`);
  }
  return events;
}

/** Undo whatever may still be in effect: links, pauses, stopped members. */
export async function healEverything(ctx: NemesisContext): Promise<string[]> {
  ctx.links.healAll();
  const errors: string[] = [];
  for (const m of ctx.cluster.members) {
    ctx.cluster.resume(m);
    if (ctx.cluster.options.diskFaults) ctx.cluster.freeDisk(m);
    if (m.child !== null) continue;
    try {
      await ctx.cluster.startMember(m);
    } catch (thrown) {
      errors.push(`${m.name}: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    }
  }
  return errors;
}
