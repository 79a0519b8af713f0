/**
 * Bank: a few accounts; transfers move money from one to another in one transaction, refusing
 * to overdraw; reads of all accounts go to followers or the leader as the driver routes them.
 * Every read must see the same total and no negative balance.
 */
import type { Driver } from 'neo4j-driver';
import { checkBank, type Balances } from '../checkers/bank-checker.js';
import { recordOp, writeOutcome } from '../history.js';
import { readOutcome, runTx, type Workload } from './workload.js';

const ACCOUNTS = 5;
const INITIAL_BALANCE = 20;
const TRANSFER_MAX = 5;

const TRANSFER = `MATCH (a:ChaosAccount {id: $from}), (b:ChaosAccount {id: $to})
WHERE a.balance >= $amount
SET a.balance = a.balance - $amount, b.balance = b.balance + $amount
RETURN count(a) AS moved`;

async function readBalances(driver: Driver, mode: 'READ' | 'WRITE', bookmarks: string[] = []):
  Promise<Balances> {
  const { records } = await runTx(driver, { mode, bookmarks,
    query: 'MATCH (a:ChaosAccount) RETURN a.id AS id, a.balance AS balance' });
  const balances: Record<string, number> = {};
  for (const r of records) balances[String(r.get('id'))] = r.get('balance') as number;
  return balances;
}

export function bankWorkload(): Workload {
  return {
    name: 'bank',
    setupQuery: `UNWIND range(0, ${ACCOUNTS - 1}) AS id MERGE (a:ChaosAccount {id: id})
ON CREATE SET a.balance = ${INITIAL_BALANCE}`,
    writeFunctions: ['transfer'],
    stateQuery: 'MATCH (a:ChaosAccount) RETURN a.id AS id, a.balance AS balance ORDER BY id',
    step(ctx, client, rng) {
      if (rng.chance(0.4)) {
        const mode = rng.chance(0.5) ? 'READ' : 'WRITE';
        return recordOp(ctx.history, { client, f: 'read', input: mode,
          timeoutMs: ctx.opTimeoutMs, outcomeOf: readOutcome,
          attempt: () => readBalances(ctx.routing, mode) });
      }
      const from = rng.int(ACCOUNTS);
      const to = (from + 1 + rng.int(ACCOUNTS - 1)) % ACCOUNTS;
      const input = { from, to, amount: 1 + rng.int(TRANSFER_MAX) };
      return recordOp(ctx.history, { client, f: 'transfer', input, timeoutMs: ctx.opTimeoutMs,
        outcomeOf: writeOutcome,
        attempt: async () => {
          const { records } = await runTx(ctx.routing, { query: TRANSFER, params: input,
            mode: 'WRITE' });
          return records[0]?.get('moved') as number;
        } });
    },
    finalRead: (ctx, bookmarks) => readBalances(ctx.routing, 'WRITE', bookmarks),
    check: (ops, finalRead) => checkBank(ops, { accountCount: ACCOUNTS,
      total: ACCOUNTS * INITIAL_BALANCE }, finalRead as Balances),
  };
}
