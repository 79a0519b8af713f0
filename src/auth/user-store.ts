/**
 * Users and their roles: state derived from system records in the replicated log, so every
 * member knows the same users. Until the first record, the built-in user `neo4j` exists with
 * password `neo4j` (or the one set by `quiver-admin set-initial-password`) and must change it.
 */
import { hashPasswordSync } from './password.js';

export const BUILTIN_ROLES = ['PUBLIC', 'reader', 'editor', 'publisher', 'architect', 'admin'] as const;

export interface UserRecord {
  readonly name: string;
  readonly passwordHash: string;
  readonly passwordChangeRequired: boolean;
  readonly suspended: boolean;
  readonly roles: readonly string[];
}

export type SystemRecord =
  | { kind: 'user.put'; user: UserRecord }
  | { kind: 'user.drop'; name: string };

export function isSystemRecord(r: unknown): r is SystemRecord {
  return typeof r === 'object' && r !== null && 'kind' in r &&
    typeof (r as { kind: unknown }).kind === 'string' &&
    (r as { kind: string }).kind.startsWith('user.');
}

export class UserStore {
  private users = new Map<string, UserRecord>();
  private initialized = false;

  constructor(private readonly initialPassword: { password: string; changeRequired: boolean }) {}

  /** The default user, materialized lazily so a fresh store needs no write to be usable. */
  private ensureDefault(): void {
    if (this.initialized) return;
    this.initialized = true;
    this.users.set('neo4j', { name: 'neo4j', passwordHash: hashPasswordSync(this.initialPassword.password),
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
    for (const r of records) {
      if (!isSystemRecord(r)) continue;
      this.ensureDefault(); // the first change is made from the default state, not an empty one
      if (r.kind === 'user.put') this.users.set(r.user.name, r.user);
      else this.users.delete(r.name);
    }
  }

  /** The whole state as records, for snapshots. */
  snapshot(): SystemRecord[] {
    if (!this.initialized) return [];
    return this.all().map((user) => ({ kind: 'user.put', user }));
  }

  restore(records: readonly unknown[]): void {
    this.users = new Map();
    // A snapshot with users is the whole truth: a dropped default user must stay dropped.
    this.initialized = records.length > 0;
    this.apply(records);
  }
}
