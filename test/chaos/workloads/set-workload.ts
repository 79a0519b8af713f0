/**
 * Set: every operation creates one node with a value no other operation uses; at the end,
 * every acknowledged value must be there exactly once.
 */
import { checkSet } from '../checkers/set-checker.js';
import { recordOp, writeOutcome } from '../history.js';
import { runTx, type Workload } from './workload.js';

/** Values are client * CLIENT_STRIDE + sequence, so clients never collide. */
const CLIENT_STRIDE = 1_000_000;

export function setWorkload(): Workload {
  const next = new Map<number, number>();
  return {
    name: 'set',
    setupQuery: null,
    writeFunctions: ['add'],
    stateQuery: 'MATCH (e:ChaosElem) RETURN e.v AS v ORDER BY v',
    step(ctx, client) {
      const sequence = next.get(client) ?? 0;
      next.set(client, sequence + 1);
      const value = client * CLIENT_STRIDE + sequence;
      return recordOp(ctx.history, { client, f: 'add', input: value, timeoutMs: ctx.opTimeoutMs,
        outcomeOf: writeOutcome,
        attempt: async () => {
          await runTx(ctx.routing, { query: 'CREATE (:ChaosElem {v: $v})', params: { v: value },
            mode: 'WRITE' });
          return null;
        } });
    },
    async finalRead(ctx, bookmarks) {
      const { records } = await runTx(ctx.routing, { mode: 'WRITE', bookmarks,
        query: 'MATCH (e:ChaosElem) RETURN e.v AS v' });
      return records.map((r) => r.get('v') as number);
    },
    check: (ops, finalRead) => checkSet(ops, finalRead as number[]),
  };
}
