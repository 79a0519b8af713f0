/**
 * Users, roles and privileges: state derived from system records in the replicated log, so every
 * member knows the same users. Until the first record, the built-in user `neo4j` exists with
 * password `neo4j` (or the one set by `quiver-admin set-initial-password`) and must change it.
 */
import { hashPasswordSync } from './password.js';
import { isRoleChange, RoleStore, type RoleChange } from './role-store.js';

export interface UserRecord {
  readonly name: string;
  readonly passwordHash: string;
  readonly passwordChangeRequired: boolean;
  readonly suspended: boolean;
  readonly roles: readonly string[];
}

export type UserChange =
  | { kind: 'user.put'; user: UserRecord }
  | { kind: 'user.drop'; name: string };

export type SystemRecord = UserChange | RoleChange;

function isUserChange(r: unknown): r is UserChange {
  if (typeof r !== 'object' || r === null || !('kind' in r)) return false;
  const kind = (r as { kind: unknown }).kind;
  return kind === 'user.put' || kind === 'user.drop';
}

export class UserStore {
  private users = new Map<string, UserRecord>();
  private initialized = false;
  readonly roles = new RoleStore();
  /** Counts applies and restores: whoever caches an answer about users compares it. */
  changes = 0;

  constructor(private readonly initialPassword: { password: string; changeRequired: boolean }) {}

  /** The default user, materialized lazily so a fresh store needs no write to be usable. */
  private ensureDefault(): void {
    if (this.initialized) return;
    this.initialized = true;
    this.users.set('neo4j', { name: 'neo4j',
      passwordHash: hashPasswordSync(this.initialPassword.password),
      passwordChangeRequired: this.initialPassword.changeRequired, suspended: false,
      roles: ['admin', 'PUBLIC'] });
  }

  get(name: string): UserRecord | undefined {
    this.ensureDefault();
    return this.users.get(name);
  }

  all(): UserRecord[] {
    this.ensureDefault();
    return [...this.users.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  apply(records: readonly unknown[]): void {
    this.changes++;
    for (const r of records) {
      if (isRoleChange(r)) {
        this.roles.apply(r);
        continue;
      }
      if (!isUserChange(r)) continue;
      this.ensureDefault(); // the first change is made from the default state, not an empty one
      if (r.kind === 'user.put') this.users.set(r.user.name, r.user);
      else this.users.delete(r.name);
    }
  }

  /** The whole state as records, for snapshots. */
  snapshot(): SystemRecord[] {
    const users: SystemRecord[] = this.initialized
      ? this.all().map((user) => ({ kind: 'user.put', user })) : [];
    return [...users, ...this.roles.snapshot()];
  }

  restore(records: readonly unknown[]): void {
    this.changes++;
    this.users = new Map();
    const userRecords = records.filter(isUserChange);
    // A snapshot with users is the whole truth: a dropped default user must stay dropped.
    this.initialized = userRecords.length > 0;
    this.apply(userRecords);
    this.roles.restore(records.filter(isRoleChange));
  }
}
