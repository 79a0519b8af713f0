/**
 * Transactions the transactional HTTP endpoint keeps open between requests: bounded in number,
 * rolled back after an idle timeout, usable only by the user who began them and by one request
 * at a time.
 */
import type { TransactionHandle } from '../db/api.js';
import { QuiverError } from '../errors/quiver-error.js';

export const OPEN_TRANSACTIONS_MAX = 1000;
/** Neo4j's server.http.transaction_idle_timeout default. */
export const TRANSACTION_IDLE_TIMEOUT_MS = 60_000;

export interface OpenTransaction {
  readonly id: string;
  readonly handle: TransactionHandle;
  readonly user: string;
  readonly database: string | null;
  readonly startedAtMs: number;
  expiresAtMs: number;
  busy: boolean;
}

export class OpenTransactions {
  private readonly byId = new Map<string, OpenTransaction>();
  private nextId = 1;

  constructor(private readonly clock: () => number,
    private readonly idleTimeoutMs = TRANSACTION_IDLE_TIMEOUT_MS) {}

  get count(): number {
    return this.byId.size;
  }

  add(args: { handle: TransactionHandle; user: string; database: string | null }):
    OpenTransaction {
    if (this.byId.size >= OPEN_TRANSACTIONS_MAX) {
      throw new QuiverError('MaximumTransactionLimitReached',
        `Reached the maximum of ${OPEN_TRANSACTIONS_MAX} open HTTP transactions`);
    }
    const now = this.clock();
    const entry: OpenTransaction = { id: String(this.nextId++), ...args, startedAtMs: now,
      expiresAtMs: now + this.idleTimeoutMs, busy: true };
    this.byId.set(entry.id, entry);
    return entry;
  }

  /** Takes the transaction for one request; release() or remove() gives it back. */
  acquire(id: string, user: string, database: string | null): OpenTransaction {
    const entry = this.byId.get(id);
    if (entry === undefined || entry.user !== user || entry.database !== database ||
      entry.expiresAtMs <= this.clock()) {
      throw new QuiverError('TransactionNotFound', 'Unrecognized transaction id. Transaction ' +
        'may have timed out and been rolled back.');
    }
    if (entry.busy) {
      throw new QuiverError('TransactionAccessedConcurrently',
        'The transaction is being used concurrently by another request.');
    }
    entry.busy = true;
    return entry;
  }

  release(entry: OpenTransaction): void {
    entry.busy = false;
    entry.expiresAtMs = this.clock() + this.idleTimeoutMs;
  }

  remove(entry: OpenTransaction): void {
    this.byId.delete(entry.id);
  }

  /** Removes idle transactions past their expiry and returns them for rolling back. */
  takeExpired(): OpenTransaction[] {
    const now = this.clock();
    const expired = [...this.byId.values()].filter((entry) => !entry.busy &&
      entry.expiresAtMs <= now);
    for (const entry of expired) this.byId.delete(entry.id);
    return expired;
  }

  takeAll(): OpenTransaction[] {
    const all = [...this.byId.values()];
    this.byId.clear();
    return all;
  }

  expiryText(entry: OpenTransaction): string {
    return new Date(entry.expiresAtMs).toUTCString();
  }
}
