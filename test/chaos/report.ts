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
  readonly seed: number;
  readonly timeS: number;
  readonly ops: readonly Op[];
  readonly writeFunctions: readonly string[];
  readonly faults: readonly FaultEvent[];
  readonly framesLost: number;
  readonly framesBlackHoled: number;
  /** Final heal to the first acknowledged write after it; null if it never came. */
  readonly recoveryMs: number | null;
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

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]!
    : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const ERROR_CODES_SHOWN = 4;

const seconds = (ms: number | null): string => (ms === null ? '-' : `${(ms / 1000).toFixed(2)} s`);

export function allViolations(facts: RunFacts): Violation[] {
  return [...(facts.check?.violations ?? []), ...facts.violations];
}

export function verdictOf(facts: RunFacts): Verdict {
  if (allViolations(facts).length > 0) return 'VIOLATION';
  if (facts.recoveryMs === null) return 'NO RECOVERY';
  return facts.check?.inconclusive === true ? 'INCONCLUSIVE' : 'PASS';
}

function faultSummary(faults: readonly FaultEvent[]): string {
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
      `${facts.timeS} s, seed ${facts.seed}`],
    ['operations', `ok ${count('ok')}, failed ${count('fail')}, indeterminate ${count('info')}`],
    ['errors', errorSummary(facts.ops)],
    ['faults', `${facts.faults.length}: ${faultSummary(facts.faults)}`],
    ['network', `${facts.framesLost} frames lost, ${facts.framesBlackHoled} black-holed`],
    ['write unavailable', `${windows.length} windows, longest ` +
      `${seconds(windows.length > 0 ? Math.max(...windows) : null)}, ` +
      `median ${seconds(median(windows))}`],
    ['recovery after heal', seconds(facts.recoveryMs)],
    ['checker', facts.check?.summary ?? 'not run'],
    ['violations', String(violations.length)],
    ...violations.map((v): [string, string] => [`  ${v.checker}`, v.message]),
    ['history', facts.historyFile ?? 'not kept (the run passed)'],
    ['verdict', verdictOf(facts)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}
