/**
 * A transaction as a client session sees it: user-management commands are handled here (they
 * change replicated users, not the graph), and a user who must change their password can do
 * nothing else.
 */
import {
  isPasswordChange, matchAdminCommand, type RunningTransaction, type ServerRow,
} from '../auth/admin-commands.js';
import { graphGuardFor } from '../auth/secure-graph.js';
import type { UserStore } from '../auth/user-store.js';
import type { CommitResult, StreamingResult, TransactionHandle } from '../db/api.js';
import type { Transaction } from '../db/transaction.js';
import { emptyStatistics } from '../graph/types.js';
import type { Value } from '../graph/values.js';
import { QuiverError } from '../errors/quiver-error.js';

export interface SessionContext {
  readonly user: string;
  readonly transactions: () => Iterable<RunningTransaction>;
  readonly servers: () => readonly ServerRow[];
  readonly removeMember: (id: string) => boolean;
  readonly users: UserStore;
  readonly authEnabled: boolean;
  readonly databaseName: string;
  /** The client's address, for the security log; absent where the protocol does not know it. */
  readonly peer?: string | undefined;
  /** logs/security.log. */
  readonly securityEvent?: ((line: string) => void) | undefined;
}

export class ServerTransaction implements TransactionHandle {
  /** Security-log lines of the privilege changes made here, logged once they are committed. */
  private readonly audit: string[] = [];

  constructor(
    readonly inner: Transaction,
    private readonly session: SessionContext,
  ) {
    // Privileges apply to every statement and procedure; with auth disabled everyone is admin.
    const guard = session.authEnabled ? graphGuardFor(session.users, session.user,
      { name: session.databaseName, isDefault: true }) : null;
    if (guard) inner.restrictGraph(guard);
  }

  get id(): string {
    return this.inner.id;
  }

  run(query: string, params: ReadonlyMap<string, Value> = new Map()): StreamingResult {
    const me = this.session.users.get(this.session.user);
    if (this.session.authEnabled && me?.passwordChangeRequired && !isPasswordChange(query)) {
      throw new QuiverError('CredentialsExpired', 'The credentials you provided were valid, but ' +
        'must be changed before you can use this instance. If this is the first time you are ' +
        'using Neo4j, this is to ensure you are not using the default credentials in production. ' +
        'Change the password with ALTER CURRENT USER SET PASSWORD FROM <old> TO <new>.');
    }
    const admin = matchAdminCommand(query);
    if (!admin) return this.inner.run(query, params);
    const out = admin({ user: this.session.user, users: this.session.users, params,
      databaseName: this.session.databaseName, transactions: this.session.transactions,
      servers: this.session.servers, removeMember: this.session.removeMember,
      peer: this.session.peer, securityEvent: this.session.securityEvent });
    if (out.records.length > 0) this.inner.addSystemRecords(out.records);
    if (out.audit !== undefined) this.audit.push(out.audit);
    return rowsResult(out.fields, out.rows, out.records.length > 0);
  }

  async commit(): Promise<CommitResult> {
    const result = await this.inner.commit();
    for (const line of this.audit) this.session.securityEvent?.(line);
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
