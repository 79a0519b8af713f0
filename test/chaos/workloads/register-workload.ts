/**
 * Register: a few keys at a time, each a node holding an integer; clients read (on the leader),
 * write and compare-and-set them with small values so that CAS often races. The final value of
 * each key is read once more at the end and joins the history, so the checker sees it too.
 *
 * The keys in use move on every OPS_PER_GENERATION operations, as Jepsen's independent keys do:
 * the linearizability search grows steeply with the length of one key's history (above all with
 * its indeterminate operations), so short histories per key keep every key checkable.
 */
import type { Prng } from '../../sim/prng.js';
import {
  checkRegisters, REGISTER_INITIAL_VALUE, type RegisterInput,
} from '../checkers/register-checker.js';
import { recordOp, writeOutcome, type Op } from '../history.js';
import { readOutcome, runTx, type Workload, type WorkloadContext } from './workload.js';

const KEYS_AT_ONCE = 3;
const GENERATIONS = 40;
const OPS_PER_GENERATION = 300;
const KEYS = Array.from({ length: KEYS_AT_ONCE * GENERATIONS }, (_, i) => i);
const VALUES = 5;
/** The client number the final reads are recorded under. */
const FINAL_CLIENT = -1;

function drawInput(rng: Prng, step: number): RegisterInput {
  const generation = Math.min(Math.floor(step / OPS_PER_GENERATION), GENERATIONS - 1);
  const key = generation * KEYS_AT_ONCE + rng.int(KEYS_AT_ONCE);
  const roll = rng.next();
  if (roll < 0.4) return { key, f: 'read' };
  if (roll < 0.7) return { key, f: 'write', value: rng.int(VALUES) };
  return { key, f: 'cas', from: rng.int(VALUES), to: rng.int(VALUES) };
}

async function attempt(ctx: WorkloadContext, input: RegisterInput, bookmarks: string[]):
  Promise<number | null | boolean> {
  const params = { ...input };
  switch (input.f) {
    case 'read': {
      const { records } = await runTx(ctx.routing, { mode: 'WRITE', bookmarks, params,
        query: 'MATCH (r:ChaosRegister {key: $key}) RETURN r.value AS value' });
      return (records[0]?.get('value') as number | undefined) ?? null;
    }
    case 'write':
      await runTx(ctx.routing, { mode: 'WRITE', params,
        query: 'MATCH (r:ChaosRegister {key: $key}) SET r.value = $value' });
      return null;
    case 'cas': {
      const { records } = await runTx(ctx.routing, { mode: 'WRITE', params,
        query: `MATCH (r:ChaosRegister {key: $key}) WHERE r.value = $from SET r.value = $to
RETURN count(r) AS swapped` });
      return records[0]?.get('swapped') === 1;
    }
  }
}

function record(ctx: WorkloadContext, client: number, input: RegisterInput,
  bookmarks: string[] = []): Promise<Op> {
  return recordOp(ctx.history, { client, f: input.f, input, timeoutMs: ctx.opTimeoutMs,
    outcomeOf: input.f === 'read' ? readOutcome : writeOutcome,
    attempt: () => attempt(ctx, input, bookmarks) });
}

export function registerWorkload(): Workload {
  let steps = 0;
  return {
    name: 'register',
    setupQuery: `UNWIND [${KEYS.join(', ')}] AS key MERGE (r:ChaosRegister {key: key})
ON CREATE SET r.value = ${REGISTER_INITIAL_VALUE}`,
    writeFunctions: ['write', 'cas'],
    stateQuery: 'MATCH (r:ChaosRegister) RETURN r.key AS key, r.value AS value ORDER BY key',
    step: (ctx, client, rng) => record(ctx, client, drawInput(rng, steps++)),
    async finalRead(ctx, bookmarks) {
      const finals: Op[] = [];
      for (const key of KEYS) finals.push(await record(ctx, FINAL_CLIENT, { key, f: 'read' },
        bookmarks));
      return finals.map((op) => op.output);
    },
    check: (ops) => checkRegisters(ops, KEYS),
  };
}
