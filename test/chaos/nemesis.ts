/**
 * Nemeses: the faults a chaos run injects, one at a time on a seeded schedule (a quiet spell,
 * a fault held for a while, its heal), so that every fault is one a correct cluster recovers
 * from once healed. The seed fixes every choice (which fault, which members, how long); what
 * the processes do in between is up to the machine's timing.
 */
import fs from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import type { Prng } from '../sim/prng.js';
import type { ChaosCluster, ChaosMember } from './chaos-cluster.js';
import { FAST_LINKS, type LinkFaults } from './link-faults.js';
import { describeCut, partition, type PartitionKind } from './partitions.js';

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

const TORN_BYTES_MAX = 16;

/** Up to a minority of the running members, at least one. */
function someMembers(ctx: NemesisContext): ChaosMember[] {
  const running = ctx.cluster.members.filter((m) => m.child !== null && !m.paused);
  const minority = Math.max(1, Math.floor((ctx.cluster.members.length - 1) / 2));
  return ctx.rng.shuffle(running).slice(0, 1 + ctx.rng.int(minority));
}

async function leaderOrAny(ctx: NemesisContext): Promise<ChaosMember[]> {
  const leader = await ctx.cluster.leader();
  if (leader !== null) return [leader];
  return someMembers(ctx).slice(0, 1);
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

async function cut(ctx: NemesisContext, kind: PartitionKind): Promise<ActiveFault> {
  const leader = kind === 'isolated-leader' ? await ctx.cluster.leader() : null;
  const cutPairs = partition(kind, ctx.cluster.members.map((m) => m.name), ctx.rng,
    leader?.name ?? null);
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

/** SIGKILL one member and cut a few bytes off its newest log file; heal restarts it. */
async function tearLog(ctx: NemesisContext): Promise<ActiveFault> {
  const [victim] = someMembers(ctx);
  if (victim === undefined) return { detail: 'no running member', heal: () => Promise.resolve() };
  await ctx.cluster.kill(victim);
  const file = ctx.cluster.newestLogSegment(victim);
  const size = file === null ? 0 : fs.statSync(file).size;
  const bytes = Math.min(size, 1 + ctx.rng.int(TORN_BYTES_MAX));
  if (file !== null) fs.truncateSync(file, size - bytes);
  return { detail: `SIGKILL ${victim.name}, ${bytes} bytes cut from ${file ?? 'no log file'}`,
    heal: () => ctx.cluster.startMember(victim) };
}

/**
 * Fills one member's disk (the leader's half the time, where writes are proposed). It may stop
 * (a storage failure stops Raft); heal frees the disk and restarts it if it is gone.
 */
async function fillDisk(ctx: NemesisContext): Promise<ActiveFault> {
  const [victim] = ctx.rng.chance(0.5) ? await leaderOrAny(ctx) : someMembers(ctx);
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
