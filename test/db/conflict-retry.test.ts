import { describe, expect, it } from 'vitest';
import {
  backoffMs, RerunTurns, retryingConflicts, type ConflictRetry,
} from '../../src/db/conflict-retry.js';
import { QuiverError } from '../../src/errors/quiver-error.js';

function retry(attemptsMax: number, settled: () => void = () => undefined): ConflictRetry {
  return { policy: { attemptsMax, backoffMsMax: 0 }, turns: new RerunTurns(), random: () => 0,
    writesSettled: async () => settled() };
}

/** An attempt that loses `losses` write conflicts, then commits; counts its runs. */
function losing(losses: number): { runs: number; attempt: () => Promise<string> } {
  const state = { runs: 0, attempt: async () => {
    state.runs += 1;
    if (state.runs <= losses) throw new QuiverError('DeadlockDetected', 'lost a write conflict');
    return `committed on run ${state.runs}`;
  } };
  return state;
}

describe('retryingConflicts', () => {
  it('runs a transaction again while it loses write conflicts, waiting for the winners', async () => {
    let settledWaits = 0;
    const tx = losing(2);
    await expect(retryingConflicts(tx.attempt, retry(5, () => { settledWaits += 1; })))
      .resolves.toBe('committed on run 3');
    expect(settledWaits).toBe(2);
  });

  it('gives up with the conflict after attemptsMax runs', async () => {
    const tx = losing(10);
    await expect(retryingConflicts(tx.attempt, retry(3))).rejects.toMatchObject({
      code: 'Neo.TransientError.Transaction.DeadlockDetected' });
    expect(tx.runs).toBe(3);
  });

  it('never runs again after any other error', async () => {
    let runs = 0;
    const failing = async (): Promise<never> => {
      runs += 1;
      throw new QuiverError('SyntaxError', 'bad query');
    };
    await expect(retryingConflicts(failing, retry(5))).rejects.toMatchObject({
      code: 'Neo.ClientError.Statement.SyntaxError' });
    expect(runs).toBe(1);
  });

  it('lets reruns take turns, so the next waits until the previous one ended', async () => {
    const turns = new RerunTurns();
    const order: string[] = [];
    const endFirst = await turns.take();
    const second = turns.take().then((end) => { order.push('second'); end(); });
    order.push('first');
    endFirst();
    await second;
    expect(order).toEqual(['first', 'second']);
  });
});

describe('backoffMs', () => {
  it('draws from a window that doubles per attempt up to the ceiling', () => {
    const top = () => 0.999_999;
    expect(backoffMs(1, 50, top)).toBeLessThan(1);
    expect(backoffMs(4, 50, top)).toBeGreaterThan(7.9);
    expect(backoffMs(4, 50, top)).toBeLessThan(8);
    expect(backoffMs(30, 50, top)).toBeLessThan(50);
    expect(backoffMs(30, 50, top)).toBeGreaterThan(49.9);
    expect(backoffMs(30, 50, () => 0)).toBe(0);
  });
});
