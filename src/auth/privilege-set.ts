/**
 * The privileges one user holds on one database, resolved from all their roles (PUBLIC always
 * included), and the questions the executor asks of them. As in Neo4j, a DENY anywhere wins over
 * any GRANT, and an element is covered when a privilege names any of its labels (or `*`).
 */
import type { Action, ElementKind, GraphAction, Privilege } from './privileges.js';
import type { UserStore } from './user-store.js';

/**
 * Actions that grant, or when denied refuse, each question: `write` covers every element write,
 * `match` both traverse and read (a DENY MATCH on named properties only their reading).
 */
const GRANTING: Readonly<Record<string, readonly GraphAction[]>> = {
  traverse: ['traverse', 'match'],
  read: ['read', 'match'],
  create_element: ['create_element', 'write'],
  delete_element: ['delete_element', 'write'],
  set_property: ['set_property', 'write'],
  set_label: ['set_label', 'write'],
  remove_label: ['remove_label', 'write'],
};

export type ElementQuestion = keyof typeof GRANTING;

export class PrivilegeSet {
  private readonly granted: Privilege[];
  private readonly denied: Privilege[];
  private readonly memo = new Map<string, boolean>();

  constructor(privileges: readonly Privilege[], readonly roles: readonly string[]) {
    this.granted = privileges.filter((p) => p.access === 'GRANTED');
    this.denied = privileges.filter((p) => p.access === 'DENIED');
  }

  /** A database-wide privilege such as index or name_management (dbms_actions implies all). */
  may(action: Action): boolean {
    if (this.denied.some((p) => p.action === action)) return false;
    return this.granted.some((p) => p.action === action || p.action === 'dbms_actions');
  }

  /**
   * May the user do `question` to an element of `kind` carrying `names` (labels, or the one
   * type), optionally for one property key or label (`qualifier`)?
   */
  mayOn(question: ElementQuestion, kind: ElementKind, names: readonly string[],
    qualifier: string | null = null): boolean {
    const key = `${question}\u0000${kind}\u0000${qualifier ?? ''}\u0000${names.join('\u0000')}`;
    let answer = this.memo.get(key);
    if (answer === undefined) {
      answer = !this.matches(this.denied, GRANTING[question] ?? [], kind, names, qualifier, true) &&
        this.matches(this.granted, GRANTING[question] ?? [], kind, names, qualifier, false);
      this.memo.set(key, answer);
    }
    return answer;
  }

  private matches(list: readonly Privilege[], actions: readonly GraphAction[], kind: ElementKind,
    names: readonly string[], qualifier: string | null, denying: boolean): boolean {
    return list.some((p) => {
      if (!(actions as readonly string[]).includes(p.action) || p.segment?.kind !== kind) {
        return false;
      }
      // A DENY MATCH on some properties denies reading them, not traversing.
      const partialMatch = p.action === 'match' && p.qualifier !== '*';
      if (denying && partialMatch && qualifier === null) return false;
      const covers = p.segment.name === '*' || names.includes(p.segment.name);
      const qualified = qualifier === null || p.qualifier === null || p.qualifier === '*' ||
        p.qualifier === qualifier;
      return covers && qualified;
    });
  }

  /** True when no read is ever hidden: all elements and properties granted, nothing denied. */
  get readsEverything(): boolean {
    const readDenied = this.denied.some((p) => ['traverse', 'read', 'match'].includes(p.action));
    return !readDenied && (['NODE', 'RELATIONSHIP'] as const).every((kind) =>
      this.mayOn('traverse', kind, []) && this.mayOn('read', kind, [], '*'));
  }

  /** True when no write, name or schema change is ever refused. */
  get writesEverything(): boolean {
    const writes: readonly string[] = ['write', 'create_element', 'delete_element',
      'set_property', 'set_label', 'remove_label'];
    if (this.denied.some((p) => writes.includes(p.action))) return false;
    const elements = (['NODE', 'RELATIONSHIP'] as const).every((kind) => this.granted.some(
      (p) => p.action === 'write' && p.segment?.kind === kind && p.segment.name === '*'));
    return elements && this.may('name_management') && this.may('index') &&
      this.may('constraint');
  }
}

/** Privileges of `user` that apply to `database` (the default one when `isDefault`). */
export function privilegesOf(users: UserStore, user: string,
  database: { name: string; isDefault: boolean }): PrivilegeSet {
  const roles = [...new Set(['PUBLIC', ...(users.get(user)?.roles ?? [])])];
  const privileges = roles.flatMap((r) => users.roles.get(r)?.privileges ?? []).filter((p) =>
    p.graph === '*' || p.graph === database.name || (p.graph === 'DEFAULT' && database.isDefault));
  return new PrivilegeSet(privileges, roles);
}
