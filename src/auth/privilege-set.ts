/**
 * The privileges one user holds on one database, resolved from all their roles (PUBLIC always
 * included), and the questions the executor asks of them. As in Neo4j, a DENY anywhere wins over
 * any GRANT, and an element is covered when a privilege names any of its labels (or `*`).
 */
import {
  DBMS_ACTION_PARENT, isDbmsAction, type DatabaseAction, type DbmsAction, type ElementKind,
  type ExecuteAction, type GraphAction, type Privilege,
} from './privileges.js';
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

/** The action and every action above it (ALL DBMS PRIVILEGES above USER MANAGEMENT above …). */
function coveringActions(action: DatabaseAction | DbmsAction): string[] {
  if (!isDbmsAction(action)) return [action];
  const chain: string[] = [];
  for (let a: DbmsAction | null = action; a !== null; a = DBMS_ACTION_PARENT[a]) chain.push(a);
  return chain;
}

/** Neo4j's name globs: `*` any run of characters (dots included), `?` any one character. */
export function globMatches(glob: string, name: string): boolean {
  const pattern = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${pattern}$`).test(name);
}

export class PrivilegeSet {
  private readonly granted: Privilege[];
  private readonly denied: Privilege[];
  private readonly memo = new Map<string, boolean>();

  constructor(privileges: readonly Privilege[], readonly roles: readonly string[],
    readonly user: string) {
    this.granted = privileges.filter((p) => p.access === 'GRANTED');
    this.denied = privileges.filter((p) => p.access === 'DENIED');
  }

  /** A database-wide privilege such as index, or a DBMS one such as create_user. */
  may(action: DatabaseAction | DbmsAction): boolean {
    const covering = coveringActions(action);
    if (this.denied.some((p) => covering.includes(p.action))) return false;
    return this.granted.some((p) => covering.includes(p.action));
  }

  private executes(list: readonly Privilege[], action: ExecuteAction, name: string): boolean {
    // Records written before execute privileges had globs hold null: all names.
    return list.some((p) => p.action === action && globMatches(p.qualifier ?? '*', name));
  }

  /**
   * May the user call procedure `name`? EXECUTE PROCEDURE must cover it and no DENY; an admin
   * procedure also needs EXECUTE ADMIN PROCEDURES or EXECUTE BOOSTED PROCEDURE on it.
   */
  mayExecuteProcedure(name: string, admin: boolean): boolean {
    const key = `execute\u0000${admin ? 'admin' : ''}\u0000${name}`;
    let answer = this.memo.get(key);
    if (answer === undefined) {
      answer = !this.executes(this.denied, 'execute', name) &&
        this.executes(this.granted, 'execute', name) && (!admin || this.mayBoost(name));
      this.memo.set(key, answer);
    }
    return answer;
  }

  private mayBoost(name: string): boolean {
    // A DENY of EXECUTE ADMIN PROCEDURES (or of ALL DBMS PRIVILEGES) also beats a boosted grant.
    const covering = coveringActions('execute_admin');
    if (this.denied.some((p) => covering.includes(p.action))) return false;
    if (this.granted.some((p) => covering.includes(p.action))) return true;
    return !this.executes(this.denied, 'execute_boosted', name) &&
      this.executes(this.granted, 'execute_boosted', name);
  }

  /** May the user call the user-defined function `name`? */
  mayExecuteFunction(name: string): boolean {
    return !this.executes(this.denied, 'execute_function', name) &&
      this.executes(this.granted, 'execute_function', name);
  }

  /** True when every procedure that is not an admin one may be called. */
  get executesEveryProcedure(): boolean {
    const all = (p: Privilege): boolean => p.action === 'execute' && (p.qualifier ?? '*') === '*';
    return !this.denied.some((p) => p.action === 'execute') && this.granted.some(all);
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

  /**
   * Labels (or relationship types) whose elements a DENY hides whatever else they carry, as
   * `mayOn('traverse', …)` decides; '*' among them hides every element of the kind.
   */
  hiddenNames(kind: ElementKind): string[] {
    return this.denied.flatMap((p) => p.segment?.kind === kind && (p.action === 'traverse' ||
      (p.action === 'match' && p.qualifier === '*')) ? [p.segment.name] : []);
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
  return new PrivilegeSet(privileges, roles, user);
}
