/**
 * Remembers which users need no privilege guard on their transactions. Working that out
 * (privilegesOf gathers the rules of every role of the user) cost more than the rest of
 * beginning an auto-commit read, and the answer only changes when users or roles do: the cache
 * is dropped whenever the user store's change count moves (records applied, snapshot restored).
 *
 * Only the answer "unrestricted" is kept. A restricted user's guard carries a rule set that
 * memoizes answers per label and property name, which would grow without bound if it lived
 * longer than a transaction, so those users get a fresh guard each time, as before.
 */
import { assert } from '../assert.js';
import { graphGuardFor, type GraphGuard } from '../auth/secure-graph.js';
import type { UserStore } from '../auth/user-store.js';

/** Users remembered at most; past it the set starts again (a user costs one guard build). */
const UNRESTRICTED_USERS_MAX = 1024;

export class GraphGuardCache {
  private readonly unrestricted = new Set<string>();
  /** The user store's change count the remembered answers hold for. */
  private seenChanges = -1;
  private readonly database: { readonly name: string; readonly isDefault: boolean };

  constructor(private readonly users: UserStore, databaseName: string) {
    assert(databaseName.length > 0, 'a guard cache serves a named database');
    this.database = { name: databaseName, isDefault: true };
  }

  /** The guard for a transaction of `user`, or null when the user may do everything. */
  guardFor(user: string): GraphGuard | null {
    if (this.seenChanges !== this.users.changes) {
      this.unrestricted.clear();
      this.seenChanges = this.users.changes;
    }
    if (this.unrestricted.has(user)) return null;
    const guard = graphGuardFor(this.users, user, this.database);
    if (guard !== null) return guard;
    if (this.unrestricted.size >= UNRESTRICTED_USERS_MAX) this.unrestricted.clear();
    this.unrestricted.add(user);
    return null;
  }
}
