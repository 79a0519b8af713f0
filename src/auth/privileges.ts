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
  'show_index' | 'show_constraint' | 'transaction_management' | 'execute' | 'execute_function' |
  'dbms_actions';

export type Action = GraphAction | DatabaseAction;
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
   *  remove_label; '*' for all of them; null for actions without one. */
  readonly qualifier: string | null;
}

export function isGraphAction(action: Action): action is GraphAction {
  return (GRAPH_ACTIONS as readonly string[]).includes(action);
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
  if (p.action === 'execute') return 'PROCEDURE(*)';
  if (p.action === 'execute_function') return 'FUNCTION(*)';
  return 'database';
}

export const PRIVILEGE_FIELDS = ['access', 'action', 'resource', 'graph', 'segment', 'role'];

export function privilegeRow(p: Privilege, role: string): string[] {
  return [p.access, p.action, resourceOf(p), p.graph, segmentOf(p), role];
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
  grant('execute', 'DEFAULT'), grant('execute_function', 'DEFAULT')];
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
