/**
 * Server-side retry of an auto-commit statement whose commit lost a write conflict.
 *
 * Our isolation is snapshot isolation with first-committer-wins (docs/decisions/0008), so two
 * concurrent `SET a.n = a.n + 1` conflict where Neo4j's locks would make one wait. Drivers
 * never retry `session.run`, so the server runs such a statement again itself, as long as the
 * client cannot tell: nothing of its result may have left the server yet. See
 * docs/decisions/0019-auto-commit-retry.md.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { assert } from '../assert.js';
import { QuiverError } from '../errors/quiver-error.js';
import { StatusCode } from '../errors/status-codes.js';
import type { ConnectionContext, OpenStream, OpenTransaction } from './connection-context.js';
import type { RunRequest } from './messages.js';
import type { OutboundMark } from './outbound.js';
import { beginTransaction } from './transaction-handlers.js';

/** The first wait's ceiling; each further attempt doubles it up to autoCommitBackoffMsMax. */
const BACKOFF_MS_FIRST = 1;

export interface FailedCommit {
  readonly tx: OpenTransaction;
  readonly stream: OpenStream;
  readonly error: unknown;
  /** 1 for the statement's first run. */
  readonly attempt: number;
  /** The outbound stream before this request's records; they are dropped on a rerun. */
  readonly mark: OutboundMark;
}

/**
 * When the statement may run again (an auto-commit that lost a write conflict, answered by its
 * first PULL or DISCARD, with attempts left and every record it produced still in the unsent
 * outbound batch), drops those records and returns true; otherwise changes nothing.
 */
export function maybeTakeBackForRerun(ctx: ConnectionContext, failed: FailedCommit): boolean {
  return failed.tx.autoCommitRun !== null &&
    failed.error instanceof QuiverError &&
    failed.error.code === StatusCode.DeadlockDetected &&
    failed.stream.pulls === 1 &&
    failed.attempt < ctx.limits.autoCommitAttemptsMax &&
    ctx.out.rewindTo(failed.mark);
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
 * connections (one rerun per connection at a time).
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

export interface Rerun {
  readonly tx: OpenTransaction;
  /** Ends this rerun's turn; call once its commit has succeeded or failed. */
  readonly endTurn: () => void;
}

/**
 * After a jittered pause, waits for its turn and for the winners' writes to be visible, then
 * begins a new implicit transaction and runs the same RUN in it under the same qid. The RUN's
 * SUCCESS (fields) was already sent; the same statement has the same fields.
 */
export async function rerunAutoCommit(ctx: ConnectionContext, failed: FailedCommit):
  Promise<Rerun | null> {
  const run = failed.tx.autoCommitRun;
  assert(run !== null, 'only auto-commit statements run again');
  await sleep(backoffMs(failed.attempt, ctx.limits.autoCommitBackoffMsMax, ctx.random));
  const endTurn = await ctx.rerunTurns.take();
  try {
    await ctx.backend.writesSettled();
    if (ctx.closed() || ctx.interrupted()) {
      endTurn();
      return null;
    }
    return { tx: await beginAgain(ctx, run, failed.stream), endTurn };
  } catch (error) {
    endTurn();
    throw error;
  }
}

async function beginAgain(ctx: ConnectionContext, run: RunRequest, stream: OpenStream):
  Promise<OpenTransaction> {
  const tx = await beginTransaction(ctx, run.extra, run);
  try {
    const result = await tx.handle.run(run.query, run.params);
    tx.streams.set(stream.qid, { qid: stream.qid, result, startedMs: stream.startedMs, pulls: 0 });
    tx.nextQid = stream.qid + 1;
    return tx;
  } catch (error) {
    await tx.handle.rollback();
    throw error;
  }
}
