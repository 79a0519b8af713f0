/**
 * Privileges as Neo4j 5 names them: what a role may do, on which graph, to which elements.
 * A privilege is one row of SHOW PRIVILEGES; the built-in roles hold Neo4j's default rows.
 */

export type Access = 'GRANTED' | 'DENIED';

/** Actions on the elements of a graph, each scoped to a segment (NODE(L) or RELATIONSHIP(T)). */
export const GRAPH_ACTIONS = ['traverse', 'read', 'match', 'write', 'create_element',
  'delete_element', 'set_property', 'set_label', 'remove_label'] as const;
export type GraphAction = (typeof GRAPH_ACTIONS)[number];

/** Actions on a database as a whole. */
export type DatabaseAction = 'access' | 'name_management' | 'index' | 'constraint' |
  'show_index' | 'show_constraint' | 'transaction_management';

/**
 * Actions on the DBMS (users, roles, privileges), as SHOW PRIVILEGES names them. Each but
 * `dbms_actions` (ALL DBMS PRIVILEGES) has one parent that grants or denies it too.
 */
export const DBMS_ACTION_PARENT = {
  dbms_actions: null,
  user_management: 'dbms_actions', create_user: 'user_management',
  drop_user: 'user_management', show_user: 'user_management', alter_user: 'user_management',
  set_passwords: 'alter_user', set_user_status: 'alter_user',
  role_management: 'dbms_actions', create_role: 'role_management', drop_role: 'role_management',
  show_role: 'role_management', assign_role: 'role_management', remove_role: 'role_management',
  privilege_management: 'dbms_actions', show_privilege: 'privilege_management',
  assign_privilege: 'privilege_management', remove_privilege: 'privilege_management',
  execute_admin: 'dbms_actions',
} as const;
export type DbmsAction = keyof typeof DBMS_ACTION_PARENT;

/**
 * Executing procedures and functions whose names match the privilege's glob (its qualifier).
 * `execute_boosted` lets a matching admin procedure run; `execute_function` is printed as
 * Neo4j prints it, `execute` on a FUNCTION segment.
 */
export type ExecuteAction = 'execute' | 'execute_boosted' | 'execute_function';

export type Action = GraphAction | DatabaseAction | DbmsAction | ExecuteAction;
export type ElementKind = 'NODE' | 'RELATIONSHIP';

export interface Segment {
  readonly kind: ElementKind;
  /** A label or relationship type; '*' for all. */
  readonly name: string;
}

export interface Privilege {
  readonly access: Access;
  readonly action: Action;
  /** A database name, '*' for all, or 'DEFAULT' for the default database. */
  readonly graph: string;
  /** Set for graph actions, null for database actions. */
  readonly segment: Segment | null;
  /** A property key for read, match and set_property; a label for set_label and
   *  remove_label; a name glob for execute actions; '*' for all of them; null for actions
   *  without one. */
  readonly qualifier: string | null;
}

export function isGraphAction(action: Action): action is GraphAction {
  return (GRAPH_ACTIONS as readonly string[]).includes(action);
}

export function isDbmsAction(action: Action): action is DbmsAction {
  return Object.hasOwn(DBMS_ACTION_PARENT, action);
}

export function isExecuteAction(action: Action): action is ExecuteAction {
  return action === 'execute' || action === 'execute_boosted' || action === 'execute_function';
}

/** Neo4j's `resource` column. */
function resourceOf(p: Privilege): string {
  switch (p.action) {
    case 'read': case 'match': case 'set_property':
      return p.qualifier === '*' ? 'all_properties' : `property(${p.qualifier ?? ''})`;
    case 'set_label': case 'remove_label':
      return p.qualifier === '*' ? 'all_labels' : `label(${p.qualifier ?? ''})`;
    default:
      return isGraphAction(p.action) ? 'graph' : 'database';
  }
}

/** Neo4j's `segment` column. */
function segmentOf(p: Privilege): string {
  if (p.segment) return `${p.segment.kind}(${p.segment.name})`;
  if (p.action === 'transaction_management') return 'USER(*)';
  // Records written before execute privileges had globs hold null: all names.
  if (p.action === 'execute_function') return `FUNCTION(${p.qualifier ?? '*'})`;
  if (isExecuteAction(p.action)) return `PROCEDURE(${p.qualifier ?? '*'})`;
  return 'database';
}

export const PRIVILEGE_FIELDS = ['access', 'action', 'resource', 'graph', 'segment', 'role'];

export function privilegeRow(p: Privilege, role: string): string[] {
  const action = p.action === 'execute_function' ? 'execute' : p.action;
  return [p.access, action, resourceOf(p), p.graph, segmentOf(p), role];
}

export function samePrivilege(a: Privilege, b: Privilege): boolean {
  return a.access === b.access && a.action === b.action && a.graph === b.graph &&
    a.qualifier === b.qualifier && a.segment?.kind === b.segment?.kind &&
    a.segment?.name === b.segment?.name;
}

const grant = (action: Action, graph = '*', segment: Segment | null = null,
  qualifier: string | null = null): Privilege =>
  ({ access: 'GRANTED', action, graph, segment, qualifier });

const ALL_NODES: Segment = { kind: 'NODE', name: '*' };
const ALL_RELS: Segment = { kind: 'RELATIONSHIP', name: '*' };

const PUBLIC_PRIVILEGES: Privilege[] = [grant('access', 'DEFAULT'),
  grant('execute', '*', null, '*'), grant('execute_function', '*', null, '*')];
const READER: Privilege[] = [grant('access'), grant('match', '*', ALL_NODES, '*'),
  grant('match', '*', ALL_RELS, '*'), grant('show_index'), grant('show_constraint')];
const EDITOR: Privilege[] = [...READER, grant('write', '*', ALL_NODES),
  grant('write', '*', ALL_RELS)];
const PUBLISHER: Privilege[] = [...EDITOR, grant('name_management')];
const ARCHITECT: Privilege[] = [...PUBLISHER, grant('index'), grant('constraint')];
const ADMIN: Privilege[] = [...ARCHITECT, grant('transaction_management'),
  grant('dbms_actions')];

/** The built-in roles with Neo4j 5's default privileges, weakest first. */
export const BUILTIN_ROLE_PRIVILEGES: ReadonlyMap<string, readonly Privilege[]> = new Map([
  ['PUBLIC', PUBLIC_PRIVILEGES], ['reader', READER], ['editor', EDITOR],
  ['publisher', PUBLISHER], ['architect', ARCHITECT], ['admin', ADMIN],
]);
