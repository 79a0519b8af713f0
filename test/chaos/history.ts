/**
 * The history of a chaos run: one record per client operation, written when the operation is
 * over. `ok` happened, `fail` certainly did not, `info` is indeterminate (a timeout, a lost
 * connection, a commit whose outcome the server could not know) and checkers accept it either
 * way. Times are milliseconds since the run began, from one monotonic clock.
 */
import fs from 'node:fs';

export type OpType = 'ok' | 'fail' | 'info';

export interface Op {
  /** Position in the history, in order of completion. */
  readonly index: number;
  /** The client (worker) that ran it; one operation at a time per client. */
  readonly client: number;
  /** What the operation does: 'add', 'transfer', 'read', 'write', 'cas', 'write-read'. */
  readonly f: string;
  readonly input: unknown;
  /** What the operation observed; null unless type is 'ok'. */
  readonly output: unknown;
  readonly type: OpType;
  readonly startMs: number;
  /** When the client learnt the outcome (for 'info': when it gave up waiting). */
  readonly endMs: number;
  /** The error code or message for 'fail' and 'info'. */
  readonly error?: string;
}

export type OpRecord = Omit<Op, 'index'>;

/** Server codes that prove the transaction was not committed. */
const DEFINITE_FAILURE_CODES = new Set([
  'Neo.TransientError.Transaction.DeadlockDetected',
  'Neo.TransientError.Cluster.NotALeader',
  'Neo.TransientError.Transaction.BookmarkTimeout',
  'Neo.TransientError.Transaction.Terminated',
]);

export class OperationTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/** The code a thrown error carries (Neo4j status or driver code), else its message. */
export function errorCode(thrown: unknown): string {
  if (thrown instanceof OperationTimeout) return 'ClientTimeout';
  if (typeof thrown === 'object' && thrown !== null) {
    const code = (thrown as { code?: unknown }).code;
    // The driver says N/A when it has no status code; the message is all there is then.
    if (typeof code === 'string' && code.length > 0 && code !== 'N/A') return code;
  }
  return thrown instanceof Error ? thrown.message : String(thrown);
}

/**
 * Whether a failed write may still have taken effect. A client error (NotALeader, a syntax
 * error) is raised before anything is proposed; so are the transient codes listed above. A
 * replication failure, an unavailable database, a lost connection or a timeout can come after
 * the entry reached the log, so the outcome is unknown.
 */
export function writeOutcome(thrown: unknown): OpType {
  const code = errorCode(thrown);
  if (code.startsWith('Neo.ClientError.')) return 'fail';
  return DEFINITE_FAILURE_CODES.has(code) ? 'fail' : 'info';
}

export class History {
  readonly ops: Op[] = [];
  private readonly originMs = performance.now();

  nowMs(): number {
    return performance.now() - this.originMs;
  }

  add(record: OpRecord): Op {
    const op: Op = { index: this.ops.length, ...record };
    this.ops.push(op);
    return op;
  }

  /** One JSON object a line, for a failing run to be read (or re-checked) later. */
  writeTo(file: string): void {
    const lines = this.ops.map((op) => JSON.stringify(op, (_key, value: unknown) =>
      (typeof value === 'bigint' ? value.toString() : value)));
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
  }
}

/**
 * Runs `attempt` as one operation of `client`: ok with its output, or failed / indeterminate
 * as `outcomeOf` judges the error. Never waits longer than timeoutMs; an operation cut off
 * that way is indeterminate, and its late settlement is ignored.
 */
export async function recordOp(history: History, args: {
  client: number; f: string; input: unknown; timeoutMs: number;
  outcomeOf: (thrown: unknown) => OpType; attempt: () => Promise<unknown>;
}): Promise<Op> {
  const startMs = history.nowMs();
  const base = { client: args.client, f: args.f, input: args.input, startMs };
  try {
    const output = await withTimeout(args.attempt(), args.timeoutMs);
    return history.add({ ...base, output, type: 'ok', endMs: history.nowMs() });
  } catch (thrown) {
    const type = thrown instanceof OperationTimeout ? 'info' : args.outcomeOf(thrown);
    return history.add({ ...base, output: null, type, endMs: history.nowMs(),
      error: errorCode(thrown) });
  }
}

export function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  // A late rejection of an abandoned operation must not become an unhandled rejection.
  promise.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new OperationTimeout(timeoutMs)), timeoutMs);
    promise.then((value) => {
      clearTimeout(timer);
      resolve(value);
    }, (error: unknown) => {
      clearTimeout(timer);
      reject(error instanceof Error ? error : new Error(String(error)));
    });
  });
}
