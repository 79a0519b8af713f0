/**
 * The register workload's checker: a few independent registers, each read, written and
 * compare-and-set through Cypher. Each register's history is checked on its own (a history
 * of independent objects is linearizable iff each object's is) against the model of one
 * integer register that starts at REGISTER_INITIAL_VALUE.
 */
import type { Op } from '../history.js';
import { checkLinearizable, type LinOp, type SequentialModel } from './linearizability.js';
import type { CheckResult, Violation } from './violation.js';

export const REGISTER_INITIAL_VALUE = 0;

export type RegisterInput =
  | { readonly key: number; readonly f: 'read' }
  | { readonly key: number; readonly f: 'write'; readonly value: number }
  | { readonly key: number; readonly f: 'cas'; readonly from: number; readonly to: number };

/** read: the value seen (null if the register was missing); write: null; cas: swapped. */
export type RegisterOutput = number | null | boolean;

export const REGISTER_MODEL: SequentialModel<number | null, RegisterInput, RegisterOutput> = {
  initial: REGISTER_INITIAL_VALUE,
  step(state, input, output) {
    switch (input.f) {
      case 'read':
        return output === undefined || output === state ? [state] : [];
      case 'write':
        return [input.value];
      case 'cas': {
        const matches = state === input.from;
        if (output === undefined) return [matches ? input.to : state];
        return output === matches ? [matches ? input.to : state] : [];
      }
    }
  },
  key: (state) => String(state),
};

/** The register operations of one key as the checker sees them. */
function linOpsOf(ops: readonly Op[], key: number): LinOp<RegisterInput, RegisterOutput>[] {
  const out: LinOp<RegisterInput, RegisterOutput>[] = [];
  for (const op of ops) {
    const input = op.input as RegisterInput;
    if (!['read', 'write', 'cas'].includes(op.f) || input.key !== key) continue;
    // A failed operation did nothing; a read without an answer observed nothing.
    if (op.type === 'fail' || (op.type === 'info' && input.f === 'read')) continue;
    out.push({ id: op.index, callMs: op.startMs, input,
      returnMs: op.type === 'ok' ? op.endMs : Infinity,
      output: op.type === 'ok' ? op.output as RegisterOutput : undefined });
  }
  return out;
}

export function checkRegisters(ops: readonly Op[], keys: readonly number[],
  statesMax?: number): CheckResult {
  const violations: Violation[] = [];
  const notes: string[] = [];
  let linearizableKeys = 0;
  let linearizableOps = 0;
  for (const key of keys) {
    const history = linOpsOf(ops, key);
    const result = checkLinearizable(REGISTER_MODEL, history, statesMax);
    if (result.valid === 'unknown') {
      notes.push(`key ${key}: gave up after ${result.statesExplored} states`);
    } else if (!result.valid) {
      const tail = result.longestPrefix.slice(-5).join(', ');
      violations.push({ checker: 'register', ops: result.stuckAt,
        message: `key ${key}: not linearizable; after ${result.longestPrefix.length} ops ` +
          `(last: ${tail || 'none'}) none of ops ${result.stuckAt.join(', ')} can come next` });
    } else if (history.length > 0) {
      linearizableKeys += 1;
      linearizableOps += history.length;
    }
  }
  notes.unshift(`${linearizableKeys} keys, ${linearizableOps} ops linearizable`);
  const inconclusive = notes.some((note) => note.includes('gave up'));
  return { violations, summary: notes.join('; '), inconclusive };
}
