/**
 * Server-side retry of a Bolt auto-commit statement whose commit lost a write conflict
 * (src/db/conflict-retry.ts says why): the statement runs again as long as every record it
 * produced is still in the unsent outbound batch. See docs/decisions/0019-auto-commit-retry.md.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { assert } from '../assert.js';
import { backoffMs, isWriteConflict } from '../db/conflict-retry.js';
import type { ConnectionContext, OpenStream, OpenTransaction } from './connection-context.js';
import type { RunRequest } from './messages.js';
import type { OutboundMark } from './outbound.js';
import { beginTransaction } from './transaction-handlers.js';

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
    isWriteConflict(failed.error) &&
    failed.stream.pulls === 1 &&
    failed.attempt < ctx.limits.autoCommitAttemptsMax &&
    ctx.out.rewindTo(failed.mark);
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
