import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { assert } from '../assert.js';
import { QuiverError } from '../errors/quiver-error.js';
import type { Value } from '../graph/values.js';
import { maybeTakeBackForRerun, rerunAutoCommit } from './auto-commit-retry.js';
import type { ConnectionContext, OpenStream, OpenTransaction } from './connection-context.js';
import type { StreamRequest } from './messages.js';
import { finalSummaryMetadata } from './response-metadata.js';

/** Rows a DISCARD skips between checks for RESET and turns for other connections. */
const DISCARD_ROWS_PER_TURN = 10_000;

type MoveOutcome = 'exhausted' | 'has-more' | 'interrupted' | 'closed';

export function onPull(ctx: ConnectionContext, request: StreamRequest): Promise<void> {
  return consume(ctx, request, true);
}

export function onDiscard(ctx: ConnectionContext, request: StreamRequest): Promise<void> {
  return consume(ctx, request, false);
}

const HAS_MORE: ReadonlyMap<string, Value> = new Map([['has_more', true]]);

async function consume(ctx: ConnectionContext, request: StreamRequest, send: boolean) {
  let endTurn: (() => void) | null = null;
  try {
    for (let attempt = 1; ; attempt++) {
      const tx = ctx.tx;
      assert(tx !== null, 'a streaming state always has a transaction');
      const stream = pickStream(tx, request.qid);
      const mark = ctx.out.mark();
      const outcome = await moveRecords(ctx, stream, request.n, send);
      stream.pulls += 1;
      switch (outcome) {
        case 'closed': return;
        // RESET overtook this PULL; what was sent stays sent, the request itself is IGNORED.
        case 'interrupted': return ctx.out.ignored();
        case 'has-more': return ctx.out.success(HAS_MORE);
        case 'exhausted': break;
      }
      try {
        return await finishStream(ctx, tx, stream);
      } catch (error) {
        const failed = { tx, stream, error, attempt, mark };
        if (!maybeTakeBackForRerun(ctx, failed)) throw error;
        endTurn?.();
        endTurn = null;
        const rerun = await rerunAutoCommit(ctx, failed);
        if (rerun === null) return ctx.closed() ? undefined : ctx.out.ignored();
        ctx.tx = rerun.tx;
        endTurn = rerun.endTurn;
      }
    }
  } finally {
    endTurn?.();
  }
}

/** qid -1 is the most recent result still open: the last one in insertion order. */
function pickStream(tx: OpenTransaction, qid: number): OpenStream {
  let stream: OpenStream | undefined;
  if (qid !== -1) stream = tx.streams.get(qid);
  else for (const open of tx.streams.values()) stream = open;
  if (stream === undefined) {
    throw new QuiverError('RequestInvalid', qid === -1
      ? 'There is no open result to pull from'
      : `There is no open result with qid ${qid}`);
  }
  return stream;
}

/**
 * Pulls up to n records from the engine's cursor. Records are encoded into the outbound
 * batch; each full batch is written, and when the socket holds more than the high-water mark
 * the loop waits for it to drain, so the result is never materialized in memory.
 */
async function moveRecords(
  ctx: ConnectionContext,
  stream: OpenStream,
  n: number,
  send: boolean,
): Promise<MoveOutcome> {
  let moved = 0;
  let sinceTurn = 0;
  while (n === -1 || moved < n) {
    const row = stream.result.next();
    if (row === null) return 'exhausted';
    if (send) ctx.out.record(row);
    moved += 1;
    sinceTurn += 1;
    const turn = send
      ? ctx.out.pendingBytes() >= ctx.limits.outboundFlushBytes
      : sinceTurn >= DISCARD_ROWS_PER_TURN;
    if (!turn) continue;
    sinceTurn = 0;
    ctx.out.flush();
    if (ctx.out.mustWaitForDrain()) await ctx.out.waitForDrain();
    else await yieldToEventLoop();
    if (ctx.closed()) return 'closed';
    if (ctx.interrupted()) return 'interrupted';
  }
  return 'has-more';
}

async function finishStream(ctx: ConnectionContext, tx: OpenTransaction, stream: OpenStream) {
  const summary = stream.result.summary();
  tx.streams.delete(stream.qid);
  let bookmark: string | null = null;
  if (!tx.explicit) {
    // The implicit transaction ends here either way; a failed commit has rolled back.
    ctx.tx = null;
    bookmark = (await tx.handle.commit()).bookmark;
  }
  ctx.out.success(finalSummaryMetadata({
    summary, features: ctx.table.features, database: tx.database,
    tLastMs: ctx.nowMs() - stream.startedMs, bookmark,
  }));
  if (!tx.explicit) ctx.state = 'READY';
  else ctx.state = tx.streams.size > 0 ? 'TX_STREAMING' : 'TX_READY';
}
