/**
 * The bank workload's checker: transfers move money between a fixed set of accounts in one
 * transaction each, so every successful read of all accounts (during the run and at the end)
 * must see every account, sum to the initial total, and show no negative balance.
 */
import type { Op } from '../history.js';
import type { CheckResult, Violation } from './violation.js';

export interface BankModel {
  readonly accountCount: number;
  readonly total: number;
}

/** A read's output: balance by account id. */
export type Balances = Readonly<Record<string, number>>;

function problemsOf(balances: Balances, model: BankModel): string[] {
  const problems: string[] = [];
  const entries = Object.entries(balances);
  if (entries.length !== model.accountCount) {
    problems.push(`${entries.length} accounts instead of ${model.accountCount}`);
  }
  const sum = entries.reduce((acc, [, balance]) => acc + balance, 0);
  if (sum !== model.total) problems.push(`total ${sum} instead of ${model.total}`);
  const negative = entries.filter(([, balance]) => balance < 0);
  if (negative.length > 0) {
    problems.push(`negative balances ${negative.map(([id, b]) => `${id}=${b}`).join(', ')}`);
  }
  return problems;
}

export function checkBank(ops: readonly Op[], model: BankModel, finalRead: Balances | null):
  CheckResult {
  const violations: Violation[] = [];
  let reads = 0;
  for (const op of ops) {
    if (op.f !== 'read' || op.type !== 'ok') continue;
    reads += 1;
    const problems = problemsOf(op.output as Balances, model);
    if (problems.length > 0) {
      violations.push({ checker: 'bank', ops: [op.index],
        message: `read ${op.index} (${JSON.stringify(op.output)}): ${problems.join('; ')}` });
    }
  }
  if (finalRead !== null) {
    const problems = problemsOf(finalRead, model);
    if (problems.length > 0) {
      violations.push({ checker: 'bank', ops: [],
        message: `final read (${JSON.stringify(finalRead)}): ${problems.join('; ')}` });
    }
  }
  const transfers = ops.filter((op) => op.f === 'transfer' && op.type === 'ok').length;
  return { violations, summary: `${transfers} acknowledged transfers, ${reads} reads checked` };
}
