/**
 * The causal workload's checker: each operation writes a unique value, takes the bookmark, and
 * reads that value back from a randomly chosen member with the bookmark. A read that succeeded
 * must have seen the write; a read that failed (bookmark timeout, member down) proves nothing.
 */
import type { Op } from '../history.js';
import type { CheckResult, Violation } from './violation.js';

/**
 * Output of an ok 'write-read' (the write was acknowledged): how many copies of the written
 * value the read found, or null with the error when the read itself failed.
 */
export interface WriteReadOutput {
  readonly member: string;
  readonly seen: number | null;
  readonly readError?: string;
}

export function checkCausal(ops: readonly Op[]): CheckResult {
  const violations: Violation[] = [];
  let checked = 0;
  let readsFailed = 0;
  for (const op of ops) {
    if (op.f !== 'write-read' || op.type !== 'ok') continue;
    const output = op.output as WriteReadOutput;
    if (output.seen === null) {
      readsFailed += 1;
      continue;
    }
    checked += 1;
    if (output.seen !== 1) {
      violations.push({ checker: 'causal', ops: [op.index],
        message: `op ${op.index}: ${output.member} read ${output.seen} copies of value ` +
          `${String(op.input)} after its write, with the write's bookmark` });
    }
  }
  return { violations, summary: `${checked} bookmarked reads after acknowledged writes, ` +
    `${readsFailed} reads that failed` };
}
