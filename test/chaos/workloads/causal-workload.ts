/**
 * Causal: write a unique value through the routing driver, take the session's bookmark, and
 * read the value back from a member chosen at random with that bookmark. The read must see it.
 */
import { checkCausal, type WriteReadOutput } from '../checkers/causal-checker.js';
import { errorCode, recordOp, writeOutcome } from '../history.js';
import { runTx, type Workload } from './workload.js';

const CLIENT_STRIDE = 1_000_000;

export function causalWorkload(): Workload {
  const next = new Map<number, number>();
  return {
    name: 'causal',
    setupQuery: null,
    writeFunctions: ['write-read'],
    stateQuery: 'MATCH (c:ChaosCausal) RETURN c.v AS v ORDER BY v',
    step(ctx, client, rng) {
      const sequence = next.get(client) ?? 0;
      next.set(client, sequence + 1);
      const value = client * CLIENT_STRIDE + sequence;
      const member = rng.pick(ctx.cluster.members);
      return recordOp(ctx.history, { client, f: 'write-read', input: value,
        timeoutMs: ctx.opTimeoutMs,
        outcomeOf: writeOutcome,
        attempt: async (): Promise<WriteReadOutput> => {
          const { bookmarks } = await runTx(ctx.routing, { mode: 'WRITE', params: { value },
            query: 'CREATE (:ChaosCausal {v: $value})' });
          try {
            const { records } = await runTx(ctx.direct(member), { mode: 'READ', bookmarks,
              params: { value }, query: 'MATCH (c:ChaosCausal {v: $value}) RETURN count(c) AS n' });
            return { member: member.name, seen: records[0]?.get('n') as number };
          } catch (thrown) {
            // The write is acknowledged; the read (member down, bookmark timeout) saw nothing.
            return { member: member.name, seen: null, readError: errorCode(thrown) };
          }
        } });
    },
    async finalRead(ctx, bookmarks) {
      const { records } = await runTx(ctx.routing, { mode: 'WRITE', bookmarks,
        query: 'MATCH (c:ChaosCausal) RETURN count(c) AS n' });
      return records[0]?.get('n') as number;
    },
    check: (ops) => checkCausal(ops),
  };
}
