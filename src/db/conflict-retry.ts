/**
 * Running a transaction again after its commit lost a write conflict, on the server, where the
 * client cannot tell. Our isolation is snapshot isolation with first-committer-wins
 * (docs/decisions/0008), so two concurrent `SET a.n = a.n + 1` conflict where Neo4j's locks
 * would make one wait; drivers never retry auto-commit statements, so the server does, as
 * long as nothing of the losing attempt's result has left it (docs/decisions/0019). Bolt reruns
 * a streamed auto-commit statement (src/bolt/auto-commit-retry.ts); HTTP, which buffers whole
 * results, reruns whole one-request transactions here.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { assert } from '../assert.js';
import { QuiverError } from '../errors/quiver-error.js';
import { StatusCode } from '../errors/status-codes.js';

/** The first wait's ceiling; each further attempt doubles it up to the policy's maximum. */
const BACKOFF_MS_FIRST = 1;

export interface ConflictRetryPolicy {
  /** Runs of one transaction whose commits lost write conflicts (1 = no retry). */
  readonly attemptsMax: number;
  /** Ceiling of the jittered wait between two runs. */
  readonly backoffMsMax: number;
}

export const DEFAULT_CONFLICT_RETRY: ConflictRetryPolicy = { attemptsMax: 30, backoffMsMax: 50 };

export function isWriteConflict(error: unknown): boolean {
  return error instanceof QuiverError && error.code === StatusCode.DeadlockDetected;
}

/** Full jitter over a window that doubles with each attempt, so contenders spread out. */
export function backoffMs(attempt: number, ceilingMs: number, random: () => number): number {
  assert(attempt >= 1, 'attempts count from 1');
  const windowMs = Math.min(ceilingMs, BACKOFF_MS_FIRST * 2 ** (attempt - 1));
  return random() * windowMs;
}

/**
 * Reruns take turns, server-wide: the losers of a hot key would otherwise wake together and
 * all but one lose again. In turn, each commits as under a lock. Waiters are bounded by the
 * connections (one rerun per connection or request at a time).
 */
export class RerunTurns {
  private last: Promise<void> = Promise.resolve();

  /** Resolves when it is the caller's turn, with the function that ends that turn. */
  async take(): Promise<() => void> {
    let end: () => void = () => undefined;
    const turn = new Promise<void>((resolve) => { end = resolve; });
    const previous = this.last;
    this.last = previous.then(() => turn);
    await previous;
    return end;
  }
}

export interface ConflictRetry {
  readonly policy: ConflictRetryPolicy;
  readonly turns: RerunTurns;
  readonly random: () => number;
  /** Resolves once the writes that won have been applied, so a rerun reads them. */
  readonly writesSettled: () => Promise<void>;
}

/**
 * Runs `attempt` (a whole transaction: begin, statements, commit) until it does not lose a
 * write conflict or the attempts are spent; reruns wait a jittered pause, then their turn.
 */
export async function retryingConflicts<T>(attempt: () => Promise<T>, retry: ConflictRetry):
  Promise<T> {
  for (let n = 1; ; n += 1) {
    const endTurn = n === 1 ? null : await turnAfterPause(n - 1, retry);
    try {
      return await attempt();
    } catch (error) {
      if (!isWriteConflict(error) || n >= retry.policy.attemptsMax) throw error;
    } finally {
      endTurn?.();
    }
  }
}

async function turnAfterPause(failedAttempt: number, retry: ConflictRetry): Promise<() => void> {
  await sleep(backoffMs(failedAttempt, retry.policy.backoffMsMax, retry.random));
  const endTurn = await retry.turns.take();
  try {
    await retry.writesSettled();
  } catch (error) {
    endTurn();
    throw error;
  }
  return endTurn;
}
