/**
 * How a run's history is judged outside the checkers: which errors make a write indeterminate,
 * where write unavailability windows open and close, and which verdict a run gets.
 */
import { describe, expect, it } from 'vitest';
import { OperationTimeout, writeOutcome, type Op } from './history.js';
import {
  formatSeriesReport, unavailabilityWindowsMs, verdictOf, type RunFacts,
} from './report.js';

function write(type: Op['type'], startMs: number, endMs: number, error?: string): Op {
  return { index: 0, client: 0, f: 'add', input: 0, output: null, type, startMs, endMs,
    ...(error === undefined ? {} : { error }) };
}

describe('write outcomes', () => {
  it('counts client errors and pre-proposal refusals as certain failures', () => {
    expect(writeOutcome({ code: 'Neo.ClientError.Cluster.NotALeader' })).toBe('fail');
    expect(writeOutcome({ code: 'Neo.TransientError.Transaction.DeadlockDetected' }))
      .toBe('fail');
  });

  it('counts replication failures, lost sessions and timeouts as indeterminate', () => {
    expect(writeOutcome({ code: 'Neo.TransientError.Cluster.ReplicationFailure' })).toBe('info');
    expect(writeOutcome({ code: 'SessionExpired' })).toBe('info');
    expect(writeOutcome(new OperationTimeout(5000))).toBe('info');
  });
});

describe('write unavailability windows', () => {
  it('opens at the first write that did not succeed and closes at the next success', () => {
    const ops = [write('ok', 0, 10), write('info', 20, 2000), write('fail', 30, 40),
      write('ok', 2100, 2500), write('ok', 2600, 2700)];
    expect(unavailabilityWindowsMs(ops, ['add'])).toEqual([2480]);
  });

  it('ignores conflicts, which say nothing about availability', () => {
    const ops = [write('ok', 0, 10),
      write('fail', 20, 30, 'Neo.TransientError.Transaction.DeadlockDetected'),
      write('ok', 40, 50)];
    expect(unavailabilityWindowsMs(ops, ['add'])).toEqual([]);
  });
});

describe('verdict', () => {
  const facts: RunFacts = { workload: 'set', nemesis: 'kill', cores: 3, replicas: 0, seed: 1,
    timeS: 1, ops: [], writeFunctions: ['add'], faults: [], framesLost: 0, framesBlackHoled: 0,
    recoveryMs: 100, caughtUpMs: 200, check: { violations: [], summary: '' }, violations: [],
    historyFile: null };

  it('passes only with no violation, a recovery, and a conclusive checker', () => {
    expect(verdictOf(facts)).toBe('PASS');
    expect(verdictOf({ ...facts, recoveryMs: null })).toBe('NO RECOVERY');
    expect(verdictOf({ ...facts, check: { violations: [], summary: '', inconclusive: true } }))
      .toBe('INCONCLUSIVE');
    expect(verdictOf({ ...facts, recoveryMs: null,
      violations: [{ checker: 'recovery', message: 'x', ops: [] }] })).toBe('VIOLATION');
  });
});

describe('series report', () => {
  const facts: RunFacts = { workload: 'bank', nemesis: 'mixed', cores: 5, replicas: 1,
    seed: 7, timeS: 30, ops: [write('ok', 0, 10), write('info', 20, 1000), write('ok', 1100, 1200)],
    writeFunctions: ['add'], faults: [], framesLost: 0, framesBlackHoled: 0, recoveryMs: 500,
    caughtUpMs: 900, check: { violations: [], summary: '' }, violations: [], historyFile: null };
  const failing: RunFacts = { ...facts, seed: 8, historyFile: '/tmp/h.jsonl',
    violations: [{ checker: 'convergence', ops: [], message: 'core-2 differs' }] };

  it('totals every run and says how to replay each one that did not pass', () => {
    const report = formatSeriesReport([
      { replay: 'chaos seed 7', facts, harnessFailure: null },
      { replay: 'chaos seed 8', facts: failing, harnessFailure: null },
      { replay: 'chaos seed 9', facts: null, harnessFailure: 'core-1 did not start' },
    ], 120_000);
    expect(report).toMatch(/^runs +3 in 2\.0 min: PASS 1, VIOLATION 1, HARNESS FAILURE 1$/m);
    expect(report).toMatch(/^operations +ok 4, failed 0, indeterminate 2$/m);
    expect(report).toMatch(/^violations +1$/m);
    expect(report).toMatch(/^VIOLATION: chaos seed 8\n  history \/tmp\/h\.jsonl$/m);
    expect(report).toMatch(/^HARNESS FAILURE: chaos seed 9\n  core-1 did not start$/m);
    expect(report).not.toMatch(/^PASS: /m);
  });
});
