/**
 * Limits one query runs under: the transaction's deadline (db.transaction.timeout) and its
 * memory budget (db.memory.transaction.max, drawn from dbms.memory.transaction.total.max shared
 * by all transactions). Operators that hold rows (sort, aggregation, DISTINCT, collect) reserve
 * an estimate of what they keep; loops that may run long call tick().
 */
import { assert } from '../../assert.js';
import { QuiverError } from '../../errors/quiver-error.js';
import { NodeRef, RelRef, type Value } from '../../graph/values.js';
import { checkHeapRoom, mebibytes } from '../values/value-size.js';
import { visitRowValues, type Row } from './state.js';

/** The memory every transaction of one database draws from; null bytesMax = unlimited. */
export class MemoryPool {
  usedBytes = 0;

  constructor(readonly bytesMax: number | null) {
    assert(bytesMax === null || bytesMax > 0, 'a memory pool limit is positive');
  }
}

export interface TransactionLimits {
  /** Absolute time (clock milliseconds) after which the transaction fails; null = never. */
  readonly deadlineMs: number | null;
  /** What one transaction may hold at once; null = unlimited. */
  readonly bytesMax: number | null;
  readonly pool: MemoryPool | null;
  readonly clock: () => number;
}

export const NO_LIMITS: TransactionLimits = {
  deadlineMs: null, bytesMax: null, pool: null, clock: Date.now,
};

/** How many ticks pass between two looks at the clock: reading it costs more than a tick. */
const TICKS_PER_CLOCK_READ = 1024;

/** One transaction's account; statements reserve through a QueryGuard and release at the end. */
export class TransactionBudget {
  usedBytes = 0;

  constructor(readonly limits: TransactionLimits) {}

  /** Whether reserving `bytes` now would stay within both limits. */
  allows(bytes: number): boolean {
    const { bytesMax, pool } = this.limits;
    return (bytesMax === null || this.usedBytes + bytes <= bytesMax) &&
      (pool === null || pool.bytesMax === null || pool.usedBytes + bytes <= pool.bytesMax);
  }

  reserve(bytes: number): void {
    const { bytesMax, pool } = this.limits;
    if (bytesMax !== null && this.usedBytes + bytes > bytesMax) {
      throw outOfMemory(bytes, bytesMax, this.usedBytes, 'db.memory.transaction.max');
    }
    if (pool !== null && pool.bytesMax !== null && pool.usedBytes + bytes > pool.bytesMax) {
      throw outOfMemory(bytes, pool.bytesMax, pool.usedBytes, 'dbms.memory.transaction.total.max');
    }
    this.usedBytes += bytes;
    if (pool !== null) pool.usedBytes += bytes;
  }

  release(bytes: number): void {
    assert(bytes >= 0 && bytes <= this.usedBytes, 'release no more than was reserved');
    this.usedBytes -= bytes;
    const pool = this.limits.pool;
    if (pool !== null) pool.usedBytes -= bytes;
    assert(pool === null || pool.usedBytes >= 0, 'the pool never goes below zero');
  }

  /** At the transaction's end: whatever its statements still held goes back to the pool. */
  close(): void {
    this.release(this.usedBytes);
  }

  checkDeadline(): void {
    const deadline = this.limits.deadlineMs;
    if (deadline === null || this.limits.clock() <= deadline) return;
    throw new QuiverError('TransactionTimedOut', 'The transaction has been terminated. Retry ' +
      'your operation in a new transaction, and you should see a successful result. The ' +
      'transaction has not completed within the specified timeout (db.transaction.timeout). ' +
      'You may want to retry with a longer timeout.');
  }
}

function outOfMemory(bytes: number, limit: number, used: number, setting: string): QuiverError {
  return new QuiverError('MemoryPoolOutOfMemoryError', `The allocation of an extra ` +
    `${mebibytes(bytes)} would use more than the limit ${mebibytes(limit)}. Currently using ` +
    `${mebibytes(used)}. ${setting} threshold reached`);
}

/** One statement's share of its transaction's budget, given back when the statement ends. */
export class QueryGuard {
  private heldBytes = 0;
  private ticks = 0;

  constructor(private readonly budget: TransactionBudget) {}

  /** Called once per unit of work in loops that may run long; looks at the clock now and then. */
  tick(): void {
    if (++this.ticks < TICKS_PER_CLOCK_READ) return;
    this.ticks = 0;
    this.budget.checkDeadline();
    // Whatever the memory limits miss (they count estimates, and are off by default), a query
    // that fills the heap must fail before V8 runs out of it and ends the process.
    checkHeapRoom(0, 'the query');
  }

  reserve(bytes: number): void {
    assert(bytes >= 0, 'reserve a non-negative amount');
    this.budget.reserve(bytes);
    this.heldBytes += bytes;
    this.tick();
  }

  /**
   * Reserves `bytes` if the limits allow it and says whether it did: for memory that only
   * makes an operator faster, which it can do without rather than fail the query.
   */
  reserveIfAllowed(bytes: number): boolean {
    assert(bytes >= 0, 'reserve a non-negative amount');
    if (!this.budget.allows(bytes)) return false;
    this.reserve(bytes);
    return true;
  }

  /** Gives back what this statement held; safe to call more than once. */
  releaseAll(): void {
    this.budget.release(this.heldBytes);
    this.heldBytes = 0;
  }

  get bytes(): number {
    return this.heldBytes;
  }
}

export function unlimitedGuard(): QueryGuard {
  return new QueryGuard(new TransactionBudget(NO_LIMITS));
}

/** Fixed costs of the JavaScript objects behind values, rounded up: an estimate, not a measure. */
const OBJECT_BYTES = 32;
const ENTRY_BYTES = 16;

/** Roughly what keeping `value` costs on the heap. */
export function estimateBytes(value: Value): number {
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return 8;
  if (typeof value === 'bigint') return 16;
  if (typeof value === 'string') return 16 + 2 * value.length;
  if (value instanceof NodeRef || value instanceof RelRef) return OBJECT_BYTES;
  if (Array.isArray(value)) {
    let sum = OBJECT_BYTES;
    for (const item of value) sum += ENTRY_BYTES / 2 + estimateBytes(item);
    return sum;
  }
  if (value instanceof Map) {
    let sum = OBJECT_BYTES * 2;
    for (const [key, item] of value) sum += ENTRY_BYTES + 2 * key.length + estimateBytes(item);
    return sum;
  }
  if (value instanceof Uint8Array) return OBJECT_BYTES + value.length;
  return OBJECT_BYTES * 2;
}

/** What keeping a row costs: its map and each of its values. */
export function estimateRowBytes(row: Row): number {
  let sum = OBJECT_BYTES * 2;
  visitRowValues(row, (value) => {
    sum += ENTRY_BYTES + estimateBytes(value);
  });
  return sum;
}
