/**
 * The chaos checkers on known good and known bad histories, written by hand, so that a clean
 * chaos run means the cluster behaved and not that a checker waved everything through.
 */
import { describe, expect, it } from 'vitest';
import { checkBank } from './checkers/bank-checker.js';
import { checkCausal } from './checkers/causal-checker.js';
import { checkLinearizable, type LinOp } from './checkers/linearizability.js';
import {
  checkRegisters, REGISTER_MODEL, type RegisterInput, type RegisterOutput,
} from './checkers/register-checker.js';
import { checkSet } from './checkers/set-checker.js';
import type { Op, OpType } from './history.js';

/** An op from a compact row: [client, f, input, type, output, startMs, endMs]. */
type Row = [number, string, unknown, OpType, unknown, number, number];

function history(rows: readonly Row[]): Op[] {
  return rows.map(([client, f, input, type, output, startMs, endMs], index) =>
    ({ index, client, f, input, type, output, startMs, endMs }));
}

describe('set checker', () => {
  const adds = history([
    [0, 'add', 1, 'ok', null, 0, 1], [1, 'add', 2, 'ok', null, 0, 2],
    [0, 'add', 3, 'info', null, 2, 9], [1, 'add', 4, 'fail', null, 3, 4],
  ]);

  it('accepts a read with every acknowledged add, indeterminate adds either way', () => {
    expect(checkSet(adds, [1, 2]).violations).toEqual([]);
    expect(checkSet(adds, [2, 3, 1]).violations).toEqual([]);
  });

  it('reports an acknowledged add that is missing', () => {
    const { violations } = checkSet(adds, [1, 3]);
    expect(violations.map((v) => v.message)).toEqual(
      ['acknowledged adds missing from the final read: 2']);
    expect(violations[0]?.ops).toEqual([1]);
  });

  it('reports duplicates, failed adds that are present and values nobody added', () => {
    const messages = checkSet(adds, [1, 2, 2, 4, 99]).violations.map((v) => v.message);
    expect(messages).toEqual(['elements present more than once: 2',
      'adds that failed but are present: 4', 'elements no client added: 99']);
  });
});

describe('bank checker', () => {
  const model = { accountCount: 3, total: 30 };

  it('accepts reads that conserve the total with no negative balance', () => {
    const ops = history([
      [0, 'transfer', { from: 0, to: 1, amount: 5 }, 'ok', null, 0, 1],
      [1, 'read', null, 'ok', { 0: 5, 1: 15, 2: 10 }, 1, 2],
      [1, 'read', null, 'fail', null, 3, 4],
    ]);
    expect(checkBank(ops, model, { 0: 5, 1: 15, 2: 10 }).violations).toEqual([]);
  });

  it('reports a read whose sum differs, a negative balance and a missing account', () => {
    const ops = history([
      [1, 'read', null, 'ok', { 0: 5, 1: 10, 2: 10 }, 1, 2],
      [1, 'read', null, 'ok', { 0: -5, 1: 25, 2: 10 }, 3, 4],
      [1, 'read', null, 'ok', { 0: 10, 1: 20 }, 5, 6],
    ]);
    const messages = checkBank(ops, model, { 0: 10, 1: 10, 2: 11 }).violations
      .map((v) => v.message);
    expect(messages).toHaveLength(4);
    expect(messages[0]).toContain('total 25 instead of 30');
    expect(messages[1]).toContain('negative balances 0=-5');
    expect(messages[2]).toContain('2 accounts instead of 3');
    expect(messages[3]).toContain('final read');
  });
});

describe('causal checker', () => {
  it('accepts reads that saw their write and ignores failed reads', () => {
    const ops = history([
      [0, 'write-read', 7, 'ok', { member: 'core-2', seen: 1 }, 0, 1],
      [0, 'write-read', 8, 'fail', null, 1, 2],
      [0, 'write-read', 9, 'ok', { member: 'core-1', seen: null, readError: 'x' }, 2, 3],
    ]);
    expect(checkCausal(ops).violations).toEqual([]);
  });

  it('reports a bookmarked read that missed the write', () => {
    const ops = history([[0, 'write-read', 7, 'ok', { member: 'core-3', seen: 0 }, 0, 1]]);
    expect(checkCausal(ops).violations[0]?.message).toContain('core-3 read 0 copies');
  });
});

function lin(id: number, callMs: number, returnMs: number, input: RegisterInput,
  output?: RegisterOutput): LinOp<RegisterInput, RegisterOutput> {
  return { id, callMs, returnMs, input, output };
}

const read = { key: 0, f: 'read' } as const;
const write = (value: number): RegisterInput => ({ key: 0, f: 'write', value });
const cas = (from: number, to: number): RegisterInput => ({ key: 0, f: 'cas', from, to });

describe('linearizability checker on one register', () => {
  it('accepts a sequential history', () => {
    const result = checkLinearizable(REGISTER_MODEL, [
      lin(0, 0, 1, write(1), null), lin(1, 2, 3, read, 1), lin(2, 4, 5, cas(1, 2), true),
      lin(3, 6, 7, cas(1, 3), false), lin(4, 8, 9, read, 2),
    ]);
    expect(result.valid).toBe(true);
  });

  it('accepts concurrent operations in the order that explains them', () => {
    // The read overlaps both writes and sees the second, which needs write 1 then write 2.
    const result = checkLinearizable(REGISTER_MODEL, [
      lin(0, 0, 10, write(1), null), lin(1, 1, 11, write(2), null), lin(2, 2, 12, read, 1),
      lin(3, 13, 14, read, 1),
    ]);
    expect(result.valid).toBe(true);
  });

  it('rejects a stale read after a write completed', () => {
    const result = checkLinearizable(REGISTER_MODEL, [
      lin(0, 0, 1, write(1), null), lin(1, 2, 3, read, 0),
    ]);
    expect(result).toMatchObject({ valid: false, longestPrefix: [0], stuckAt: [1] });
  });

  it('rejects two successful compare-and-sets from the same value', () => {
    const result = checkLinearizable(REGISTER_MODEL, [
      lin(0, 0, 5, cas(0, 1), true), lin(1, 1, 6, cas(0, 2), true),
    ]);
    expect(result.valid).toBe(false);
  });

  it('lets an indeterminate write explain a later read, or not happen at all', () => {
    const maybe = lin(0, 0, Infinity, write(3));
    expect(checkLinearizable(REGISTER_MODEL, [maybe, lin(1, 5, 6, read, 3)]).valid).toBe(true);
    expect(checkLinearizable(REGISTER_MODEL, [maybe, lin(1, 5, 6, read, 0)]).valid).toBe(true);
  });

  it('rejects a read of a value only written after the read returned', () => {
    const result = checkLinearizable(REGISTER_MODEL, [
      lin(0, 0, 1, read, 3), lin(1, 2, Infinity, write(3)),
    ]);
    expect(result.valid).toBe(false);
  });

  it('rejects values flipping back: 1, then 2, then 1 again with only one write of 1', () => {
    const result = checkLinearizable(REGISTER_MODEL, [
      lin(0, 0, 1, write(1), null), lin(1, 0, 9, write(2), null), lin(2, 2, 3, read, 2),
      lin(3, 4, 5, read, 1),
    ]);
    expect(result.valid).toBe(false);
  });

  it('decides a failover burst of indeterminate writes without exploring their subsets', () => {
    // 24 writes and compare-and-sets cut off at once: 2^24 subsets if each is a new state.
    const burst = Array.from({ length: 24 }, (_, i) =>
      lin(i, i, Infinity, i % 2 === 0 ? write((i / 2) % 4) : cas(i % 4, (i + 1) % 4)));
    const good = [...burst, lin(50, 100, 101, read, 3), lin(51, 102, 103, read, 3)];
    expect(checkLinearizable(REGISTER_MODEL, good, 5_000).valid).toBe(true);
    const flipped = [...burst, lin(50, 100, 101, read, 3), lin(51, 102, 103, write(9), null),
      lin(52, 104, 105, read, 3)];
    // Only an indeterminate write of 3 placed after the write of 9 explains the last read.
    expect(checkLinearizable(REGISTER_MODEL, flipped, 5_000).valid).toBe(true);
    const impossible = [...burst, lin(50, 100, 101, read, 7)];
    expect(checkLinearizable(REGISTER_MODEL, impossible, 5_000).valid).toBe(false);
  });

  it('gives up, saying so, when the search exceeds its bound', () => {
    const ops = Array.from({ length: 12 }, (_, i) => lin(i, i, Infinity, write(i)));
    ops.push(lin(99, 100, 101, read, 42));
    expect(checkLinearizable(REGISTER_MODEL, ops, 100).valid).toBe('unknown');
  });
});

describe('register checker over several keys', () => {
  it('checks each key on its own and names the key that failed', () => {
    const ops = history([
      [0, 'write', { key: 0, f: 'write', value: 1 }, 'ok', null, 0, 1],
      [1, 'write', { key: 1, f: 'write', value: 4 }, 'ok', null, 0, 1],
      [0, 'read', { key: 0, f: 'read' }, 'ok', 1, 2, 3],
      [1, 'read', { key: 1, f: 'read' }, 'ok', 1, 2, 3],
      [1, 'read', { key: 1, f: 'read' }, 'info', null, 2, 3],
      [0, 'cas', { key: 0, f: 'cas', from: 1, to: 2 }, 'fail', null, 4, 5],
    ]);
    const result = checkRegisters(ops, [0, 1]);
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]?.message).toMatch(/^key 1: not linearizable/);
    expect(result.violations[0]?.ops).toEqual([3]);
  });
});
