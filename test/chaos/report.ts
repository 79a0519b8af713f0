/**
 * The run's report: operation counts, faults, write unavailability, recovery time, what the
 * checker found, and the verdict, as one table a human reads at the end of the run.
 */
import type { CheckResult, Violation } from './checkers/violation.js';
import type { Op } from './history.js';
import type { FaultEvent } from './nemesis.js';

export interface RunFacts {
  readonly workload: string;
  readonly nemesis: string;
  readonly cores: number;
  readonly replicas: number;
  readonly seed: number;
  readonly timeS: number;
  readonly ops: readonly Op[];
  readonly writeFunctions: readonly string[];
  readonly faults: readonly FaultEvent[];
  readonly framesLost: number;
  readonly framesBlackHoled: number;
  /** Final heal to the first acknowledged write after it; null if it never came. */
  readonly recoveryMs: number | null;
  /**
   * Final heal until every member was seen holding the leader's final state (an upper bound:
   * members are read one after another); null if one never did.
   */
  readonly caughtUpMs: number | null;
  readonly check: CheckResult | null;
  /** Violations found outside the checker (members disagreeing, a member not restarting). */
  readonly violations: readonly Violation[];
  readonly historyFile: string | null;
}

export type Verdict = 'PASS' | 'VIOLATION' | 'NO RECOVERY' | 'INCONCLUSIVE';

export const EXIT_CODES: Readonly<Record<Verdict, number>> = {
  'PASS': 0, 'VIOLATION': 1, 'NO RECOVERY': 2, 'INCONCLUSIVE': 4,
};

/** A write refused because it conflicted with another says nothing about availability. */
const CONFLICT_CODES = new Set(['Neo.TransientError.Transaction.DeadlockDetected']);

/**
 * Windows in which writes were attempted and none succeeded: each opens with the first write
 * that did not succeed (for a reason other than a conflict) after the last one that did, and
 * closes when the next one succeeds.
 */
export function unavailabilityWindowsMs(ops: readonly Op[], writeFunctions: readonly string[]):
  number[] {
  const writes = ops.filter((op) => writeFunctions.includes(op.f) &&
    !CONFLICT_CODES.has(op.error ?? '')).sort((a, b) => a.endMs - b.endMs);
  const windows: number[] = [];
  let openedMs: number | null = null;
  let lastOkMs = 0;
  for (const op of writes) {
    if (op.type !== 'ok') {
      // Writes finish out of order: the window opens at the earliest failed start since
      // the last success.
      openedMs = Math.min(openedMs ?? Infinity, Math.max(op.startMs, lastOkMs));
      continue;
    }
    if (openedMs !== null) windows.push(op.endMs - openedMs);
    openedMs = null;
    lastOkMs = op.endMs;
  }
  return windows;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]!
    : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const ERROR_CODES_SHOWN = 4;

export const seconds = (ms: number | null): string =>
  (ms === null ? '-' : `${(ms / 1000).toFixed(2)} s`);

export function allViolations(facts: RunFacts): Violation[] {
  return [...(facts.check?.violations ?? []), ...facts.violations];
}

export function verdictOf(facts: RunFacts): Verdict {
  if (allViolations(facts).length > 0) return 'VIOLATION';
  if (facts.recoveryMs === null) return 'NO RECOVERY';
  return facts.check?.inconclusive === true ? 'INCONCLUSIVE' : 'PASS';
}

export function faultSummary(faults: readonly FaultEvent[]): string {
  const counts = new Map<string, number>();
  for (const f of faults) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${kind} x${n}`).join(', ') || 'none';
}

/** The most frequent error codes of operations that did not succeed. */
function errorSummary(ops: readonly Op[]): string {
  const counts = new Map<string, number>();
  for (const op of ops) {
    if (op.error !== undefined) counts.set(op.error, (counts.get(op.error) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, ERROR_CODES_SHOWN)
    .map(([code, n]) => `${code.slice(0, 80)} x${n}`).join(', ') || 'none';
}

export function formatReport(facts: RunFacts): string {
  const count = (type: string): number => facts.ops.filter((op) => op.type === type).length;
  const windows = unavailabilityWindowsMs(facts.ops, facts.writeFunctions);
  const violations = allViolations(facts);
  const rows: [string, string][] = [
    ['run', `workload ${facts.workload}, nemesis ${facts.nemesis}, ${facts.cores} cores, ` +
      `${facts.replicas} replicas, ${facts.timeS} s, seed ${facts.seed}`],
    ['operations', `ok ${count('ok')}, failed ${count('fail')}, indeterminate ${count('info')}`],
    ['errors', errorSummary(facts.ops)],
    ['faults', `${facts.faults.length}: ${faultSummary(facts.faults)}`],
    ['network', `${facts.framesLost} frames lost, ${facts.framesBlackHoled} black-holed`],
    ['write unavailable', `${windows.length} windows, longest ` +
      `${seconds(windows.length > 0 ? Math.max(...windows) : null)}, ` +
      `median ${seconds(median(windows))}`],
    ['recovery after heal', `writes after ${seconds(facts.recoveryMs)}, every member caught ` +
      `up after ${seconds(facts.caughtUpMs)}`],
    ['checker', facts.check?.summary ?? 'not run'],
    ['violations', String(violations.length)],
    ...violations.map((v): [string, string] => [`  ${v.checker}`, v.message]),
    ['history', facts.historyFile ?? 'not kept (the run passed)'],
    ['verdict', verdictOf(facts)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}

/** One run of a series (`run-long.ts`): its facts, or why the harness could not finish it. */
export interface SeriesRun {
  readonly replay: string;
  readonly facts: RunFacts | null;
  readonly harnessFailure: string | null;
}

type SeriesVerdict = Verdict | 'HARNESS FAILURE';

function seriesVerdict(run: SeriesRun): SeriesVerdict {
  return run.facts === null ? 'HARNESS FAILURE' : verdictOf(run.facts);
}

function typeCounts(ops: readonly Op[]): string {
  const count = (type: string): number => ops.filter((op) => op.type === type).length;
  return `${count('ok')}/${count('fail')}/${count('info')}`;
}

/** One line per run: what ran, what it saw, what it concluded. */
function seriesLine(run: SeriesRun, index: number): string {
  const f = run.facts;
  if (f === null) return `${String(index + 1).padStart(3)}  HARNESS FAILURE  ${run.replay}`;
  const windows = unavailabilityWindowsMs(f.ops, f.writeFunctions);
  const cells = [String(index + 1).padStart(3), f.workload.padEnd(8), f.nemesis.padEnd(9),
    `${f.cores}+${f.replicas}`, `seed ${f.seed}`.padEnd(16), typeCounts(f.ops).padEnd(16),
    `faults ${f.faults.length}`.padEnd(9),
    `unavail ${seconds(windows.length > 0 ? Math.max(...windows) : null)}`.padEnd(16),
    `recovery ${seconds(f.recoveryMs)}`.padEnd(17), verdictOf(f)];
  return cells.join('  ');
}

/**
 * The report of a series of runs: one line per run (cores+replicas, ok/failed/indeterminate
 * operations), then the totals table, then how to replay every run that did not pass.
 */
export function formatSeriesReport(runs: readonly SeriesRun[], elapsedMs: number): string {
  const done = runs.flatMap((r) => (r.facts === null ? [] : [r.facts]));
  const verdicts = new Map<SeriesVerdict, number>();
  for (const r of runs) verdicts.set(seriesVerdict(r), (verdicts.get(seriesVerdict(r)) ?? 0) + 1);
  const ops = done.flatMap((f) => f.ops);
  const windows = done.flatMap((f) => unavailabilityWindowsMs(f.ops, f.writeFunctions));
  const recoveries = done.flatMap((f) => (f.recoveryMs === null ? [] : [f.recoveryMs]));
  const caughtUp = done.flatMap((f) => (f.caughtUpMs === null ? [] : [f.caughtUpMs]));
  const faults = done.flatMap((f) => f.faults);
  const longest = (values: number[]): number | null =>
    (values.length > 0 ? Math.max(...values) : null);
  const rows: [string, string][] = [
    ['runs', `${runs.length} in ${(elapsedMs / 60_000).toFixed(1)} min: ` +
      [...verdicts].map(([v, n]) => `${v} ${n}`).join(', ')],
    ['operations', `ok ${ops.filter((o) => o.type === 'ok').length}, failed ` +
      `${ops.filter((o) => o.type === 'fail').length}, indeterminate ` +
      `${ops.filter((o) => o.type === 'info').length}`],
    ['faults', `${faults.length}: ${faultSummary(faults)}`],
    ['write unavailable', `${windows.length} windows, longest ${seconds(longest(windows))}, ` +
      `median ${seconds(median(windows))}`],
    ['recovery after heal', `writes after at most ${seconds(longest(recoveries))} (median ` +
      `${seconds(median(recoveries))}), every member caught up after at most ` +
      `${seconds(longest(caughtUp))} (median ${seconds(median(caughtUp))})`],
    ['violations', String(done.reduce((n, f) => n + allViolations(f).length, 0))],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const failing = runs.filter((r) => seriesVerdict(r) !== 'PASS').map((r) =>
    `${seriesVerdict(r)}: ${r.replay}` +
    (r.facts?.historyFile ? `\n  history ${r.facts.historyFile}` : '') +
    (r.harnessFailure === null ? '' : `\n  ${r.harnessFailure.split('\n')[0] ?? ''}`));
  return [...runs.map(seriesLine), '',
    ...rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`),
    ...(failing.length > 0 ? ['', 'not passed:', ...failing] : [])].join('\n');
}
