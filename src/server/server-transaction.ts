/**
 * A transaction as a client session sees it: user-management commands are handled here (they
 * change replicated users, not the graph), and a user who must change their password can do
 * nothing else.
 */
import {
  isPasswordChange, matchAdminCommand, type RunningTransaction, type ServerRow,
} from '../auth/admin-commands.js';
import type { GraphGuard } from '../auth/secure-graph.js';
import type { UserStore } from '../auth/user-store.js';
import type { CommitResult, StreamingResult, TransactionHandle } from '../db/api.js';
import type { Transaction } from '../db/transaction.js';
import { emptyStatistics } from '../graph/types.js';
import type { Value } from '../graph/values.js';
import { QuiverError } from '../errors/quiver-error.js';

/** What every transaction of a server shares; built once, not per transaction. */
export interface SharedSession {
  readonly transactions: () => Iterable<RunningTransaction>;
  readonly servers: () => readonly ServerRow[];
  readonly removeMember: (id: string) => boolean;
  readonly users: UserStore;
  readonly databaseName: string;
  /** logs/security.log. */
  readonly securityEvent?: ((line: string) => void) | undefined;
}

/** Who runs one transaction, and the auth setting at its begin. */
export interface TransactionUser {
  readonly user: string;
  readonly authEnabled: boolean;
  /** The client's address, for the security log; absent where the protocol does not know it. */
  readonly peer?: string | undefined;
}

export class ServerTransaction implements TransactionHandle {
  /** Security-log lines of the privilege changes made here, logged once they are committed. */
  private readonly audit: string[] = [];

  /**
   * `guard` holds the user's privileges (null: unrestricted, or auth disabled, when everyone
   * is admin); they apply to every statement and procedure.
   */
  constructor(
    readonly inner: Transaction,
    private readonly shared: SharedSession,
    private readonly who: TransactionUser,
    guard: GraphGuard | null,
  ) {
    if (guard) inner.restrictGraph(guard);
  }

  get id(): string {
    return this.inner.id;
  }

  run(query: string, params: ReadonlyMap<string, Value> = new Map()): StreamingResult {
    const { user, authEnabled, peer } = this.who;
    const { users, databaseName, securityEvent } = this.shared;
    if (authEnabled && users.get(user)?.passwordChangeRequired && !isPasswordChange(query)) {
      throw new QuiverError('CredentialsExpired', 'The credentials you provided were valid, but ' +
        'must be changed before you can use this instance. If this is the first time you are ' +
        'using Neo4j, this is to ensure you are not using the default credentials in production. ' +
        'Change the password with ALTER CURRENT USER SET PASSWORD FROM <old> TO <new>.');
    }
    const admin = matchAdminCommand(query);
    if (!admin) return this.inner.run(query, params);
    const out = admin({ user, users, params, databaseName, peer, securityEvent,
      transactions: this.shared.transactions, servers: this.shared.servers,
      removeMember: this.shared.removeMember });
    if (out.records.length > 0) this.inner.addSystemRecords(out.records);
    if (out.audit !== undefined) this.audit.push(out.audit);
    return rowsResult(out.fields, out.rows, out.records.length > 0);
  }

  async commit(): Promise<CommitResult> {
    const result = await this.inner.commit();
    for (const line of this.audit) this.shared.securityEvent?.(line);
    return result;
  }

  rollback(): Promise<void> {
    return this.inner.rollback();
  }
}

function rowsResult(fields: string[], rows: Value[][], wrote: boolean): StreamingResult {
  let at = 0;
  return {
    fields,
    next: () => rows[at++] ?? null,
    summary: () => ({ queryType: wrote ? 'w' : 'r', statistics: emptyStatistics(),
      containsUpdates: false, plan: null, notifications: [] }),
  };
}
