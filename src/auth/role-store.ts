/**
 * Roles and their privileges, derived from system records in the replicated log like users.
 * Until the first role record, the built-in roles exist with Neo4j's default privileges; once
 * roles change, the state is exactly what the records say (a built-in role may be altered).
 */
import { BUILTIN_ROLE_PRIVILEGES, type Privilege } from './privileges.js';

export interface RoleRecord {
  readonly name: string;
  readonly privileges: readonly Privilege[];
}

export type RoleChange =
  | { kind: 'role.put'; role: RoleRecord }
  | { kind: 'role.drop'; name: string };

export function isRoleChange(r: unknown): r is RoleChange {
  if (typeof r !== 'object' || r === null || !('kind' in r)) return false;
  const kind = (r as { kind: unknown }).kind;
  return kind === 'role.put' || kind === 'role.drop';
}

export class RoleStore {
  private roles = new Map<string, RoleRecord>();
  private initialized = false;
  /** Whether any role record was applied: only then do snapshots carry roles. */
  private changed = false;

  private ensureDefault(): void {
    if (this.initialized) return;
    this.initialized = true;
    for (const [name, privileges] of BUILTIN_ROLE_PRIVILEGES) {
      this.roles.set(name, { name, privileges });
    }
  }

  get(name: string): RoleRecord | undefined {
    this.ensureDefault();
    return this.roles.get(name);
  }

  all(): RoleRecord[] {
    this.ensureDefault();
    return [...this.roles.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  apply(change: RoleChange): void {
    this.ensureDefault(); // the first change is made from the built-in roles
    this.changed = true;
    if (change.kind === 'role.put') this.roles.set(change.role.name, change.role);
    else this.roles.delete(change.name);
  }

  /** Nothing until roles change, so snapshots of stores that never did stay as they were. */
  snapshot(): RoleChange[] {
    if (!this.changed) return [];
    return this.all().map((role) => ({ kind: 'role.put', role }));
  }

  restore(records: readonly RoleChange[]): void {
    this.roles = new Map();
    // Role records in a snapshot are the whole truth: a dropped built-in role stays dropped.
    this.initialized = records.length > 0;
    this.changed = false;
    for (const r of records) this.apply(r);
  }
}
