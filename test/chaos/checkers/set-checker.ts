/**
 * The set workload's checker: every element whose add was acknowledged is in the final read,
 * none is there twice, none whose add certainly failed is there, and nothing appears that no
 * client ever tried to add. Indeterminate adds may be present or absent.
 */
import type { Op } from '../history.js';
import type { CheckResult, Violation } from './violation.js';

const LISTED_MAX = 20;

function listed(values: readonly number[]): string {
  const shown = values.slice(0, LISTED_MAX).join(', ');
  return values.length > LISTED_MAX ? `${shown}, … (${values.length} in all)` : shown;
}

/** `finalRead` is every element value the final read returned, duplicates kept. */
export function checkSet(ops: readonly Op[], finalRead: readonly number[]): CheckResult {
  const adds = new Map<number, Op>();
  for (const op of ops) {
    if (op.f === 'add' && typeof op.input === 'number') adds.set(op.input, op);
  }
  const counts = new Map<number, number>();
  for (const value of finalRead) counts.set(value, (counts.get(value) ?? 0) + 1);
  const lost: number[] = [];
  const resurrected: number[] = [];
  let indeterminatePresent = 0;
  for (const [value, op] of adds) {
    const present = counts.has(value);
    if (op.type === 'ok' && !present) lost.push(value);
    if (op.type === 'fail' && present) resurrected.push(value);
    if (op.type === 'info' && present) indeterminatePresent += 1;
  }
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([value]) => value);
  const unexpected = [...counts.keys()].filter((value) => !adds.has(value));
  const opsOf = (values: readonly number[]): number[] =>
    values.flatMap((v) => { const op = adds.get(v); return op === undefined ? [] : [op.index]; });
  const violations: Violation[] = [];
  const report = (values: number[], message: string): void => {
    if (values.length === 0) return;
    violations.push({ checker: 'set', message: `${message}: ${listed(values)}`,
      ops: opsOf(values) });
  };
  report(lost, 'acknowledged adds missing from the final read');
  report(duplicated, 'elements present more than once');
  report(resurrected, 'adds that failed but are present');
  report(unexpected, 'elements no client added');
  const acknowledged = [...adds.values()].filter((op) => op.type === 'ok').length;
  return { violations, summary: `${acknowledged} acknowledged adds, ${finalRead.length} read ` +
    `back, ${indeterminatePresent} indeterminate adds present` };
}
