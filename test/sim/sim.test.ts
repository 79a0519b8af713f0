/**
 * The simulator in the test suite: many short seeded runs of the real core through faults, each
 * checked for Raft's safety properties at every event and for liveness once healed.
 */
import { describe, expect, it } from 'vitest';
import { asLogIndex, asMemberId, asTerm } from '../../src/raft/types.js';
import { RaftNode } from '../../src/raft/raft-node.js';
import { SafetyViolation, SimChecker } from './sim-checker.js';
import { simulate } from './simulate.js';

const SEEDS = 2000;
/** About 40 s on an idle 2-core machine; several times that when the machine is shared. */
const SEEDS_TIMEOUT_MS = 300_000;
const YIELD_EVERY_SEEDS = 50;

describe('simulated clusters', () => {
  it(`keep every safety property and recover, for ${SEEDS} seeds`, async () => {
    const totals = { committed: 0, dropped: 0, restarts: 0, leaders: 0, peerDownReports: 0 };
    for (let seed = 1; seed <= SEEDS; seed += 1) {
      // Lets the test worker answer its runner now and then: a minute-long synchronous loop
      // on a loaded machine makes vitest report its own RPC timeout as an error.
      if (seed % YIELD_EVERY_SEEDS === 0) await new Promise((resolve) => setImmediate(resolve));
      const result = simulate(seed, 'small');
      if (!result.ok) expect.fail(result.report.join('\n'));
      totals.committed += result.stats.committed;
      totals.dropped += result.stats.dropped;
      totals.restarts += result.stats.restarts;
      totals.leaders += result.stats.leaders;
      totals.peerDownReports += result.stats.peerDownReports;
    }
    // The runs must do real work under real faults, not pass by doing nothing.
    expect(totals.committed).toBeGreaterThan(SEEDS * 10);
    expect(totals.dropped).toBeGreaterThan(SEEDS);
    expect(totals.restarts).toBeGreaterThan(SEEDS / 10);
    expect(totals.leaders).toBeGreaterThan(SEEDS * 2);
    expect(totals.peerDownReports).toBeGreaterThan(SEEDS);
  }, SEEDS_TIMEOUT_MS);

  it('replays the same run from the same seed', () => {
    expect(simulate(42, 'small').stats).toEqual(simulate(42, 'small').stats);
  });
});

describe('the safety checker', () => {
  const node = RaftNode.join({ id: asMemberId('x'), rng: () => 0.5 });
  const entry = (term: number, index: number, text: string) => ({
    term: asTerm(term),
    index: asLogIndex(index),
    kind: 'normal' as const,
    data: new TextEncoder().encode(text),
  });

  it('reports two leaders in one term', () => {
    const checker = new SimChecker();
    checker.onLeader(asMemberId('a'), asTerm(3), node);
    expect(() => checker.onLeader(asMemberId('b'), asTerm(3), node)).toThrow(SafetyViolation);
  });

  it('reports a different entry applied at an index already applied elsewhere', () => {
    const checker = new SimChecker();
    checker.onApplied(asMemberId('a'), entry(2, 5, 'x'));
    expect(() => checker.onApplied(asMemberId('b'), entry(2, 5, 'y'))).toThrow(/state-machine/);
  });

  it('reports two entries persisted with the same index and term', () => {
    const checker = new SimChecker();
    checker.onPersisted(asMemberId('a'), [entry(2, 5, 'x')]);
    expect(() => checker.onPersisted(asMemberId('b'), [entry(2, 5, 'y')])).toThrow(/log-matching/);
  });

  it('reports a leader that lacks a committed entry', () => {
    const checker = new SimChecker();
    checker.onApplied(asMemberId('a'), entry(1, 1, 'x'));
    expect(() => checker.onLeader(asMemberId('b'), asTerm(2), node)).toThrow(/leader-completeness/);
  });
});
