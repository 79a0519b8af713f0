/**
 * Neo4j 5's privilege commands, read into Privilege values:
 *   GRANT | DENY | REVOKE [GRANT | DENY]  <privilege>  ON <target>  [<segment>]  TO | FROM roles
 * where a graph privilege is TRAVERSE, READ {props}, MATCH {props}, WRITE, CREATE, DELETE,
 * SET PROPERTY {props}, SET LABEL labels or REMOVE LABEL labels ON GRAPH(S) * | names
 * [NODES | RELATIONSHIPS | ELEMENTS  * | names], and a database privilege is ACCESS,
 * NAME [MANAGEMENT], INDEX [MANAGEMENT], CONSTRAINT [MANAGEMENT] or TRANSACTION [MANAGEMENT]
 * ON DATABASE(S) * | names, or ON DEFAULT / HOME DATABASE; a DBMS privilege (USER MANAGEMENT,
 * CREATE USER, ..., ALL DBMS PRIVILEGES, EXECUTE [BOOSTED | ADMIN] PROCEDURE(S) globs, EXECUTE
 * FUNCTION(S) globs) is ON DBMS.
 */
import { QuiverError } from '../errors/quiver-error.js';
import { name, re, splitNames } from './command-syntax.js';
import type {
  Access, Action, DbmsAction, ElementKind, ExecuteAction, Privilege, Segment,
} from './privileges.js';

export type PrivilegeVerb = 'GRANT' | 'DENY' | 'REVOKE';

export interface PrivilegeCommand {
  readonly verb: PrivilegeVerb;
  /** For REVOKE: only grants, only denials, or (null) both. */
  readonly revokes: Access | null;
  readonly privileges: readonly Privilege[];
  readonly roles: readonly string[];
}

const VERB = '(GRANT|DENY|REVOKE(?:\\s+(?:GRANT|DENY))?)';
const GRAPH_PRIVILEGE = '(TRAVERSE|(?:READ|MATCH|SET\\s+PROPERTY)\\s*\\{[^}]*\\}|WRITE|CREATE|' +
  'DELETE|(?:SET|REMOVE)\\s+LABELS?\\s+.+?)';
const GRAPH_TARGET = '(?:(DEFAULT|HOME)\\s+GRAPH|GRAPHS?\\s+(.+?))';
const SEGMENT = '(?:\\s+(NODES?|RELATIONSHIPS?|ELEMENTS?)\\s+(.+?))?';
const DB_PRIVILEGE = '(ACCESS|(?:NAME|INDEX|CONSTRAINT|TRANSACTION)(?:\\s+MANAGEMENT)?|' +
  'INDEXES|CONSTRAINTS)';
const DB_TARGET = '(?:(DEFAULT|HOME)\\s+DATABASE|DATABASES?\\s+(.+?))';

const GLOBS = '[^\\s,]+(?:\\s*,\\s*[^\\s,]+)*';
const DBMS_PRIVILEGE = '(ALL(?:\\s+DBMS)?\\s+PRIVILEGES|(?:USER|ROLE|PRIVILEGE)\\s+MANAGEMENT|' +
  '(?:CREATE|DROP|ALTER|SHOW)\\s+USERS?|SET\\s+PASSWORDS?|SET\\s+USER\\s+STATUS|' +
  '(?:CREATE|DROP|SHOW|ASSIGN|REMOVE)\\s+ROLES?|(?:SHOW|ASSIGN|REMOVE)\\s+PRIVILEGES?|' +
  'EXECUTE\\s+ADMIN(?:ISTRATOR)?\\s+PROCEDURES?|' +
  `EXECUTE\\s+(?:BOOSTED\\s+)?PROCEDURES?\\s+${GLOBS}|` +
  `EXECUTE\\s+(?:USER\\s+(?:DEFINED\\s+)?)?FUNCTIONS?\\s+${GLOBS})`;

export const GRAPH_PRIVILEGE_COMMAND = re(`${VERB}\\s+${GRAPH_PRIVILEGE}\\s+ON\\s+` +
  `${GRAPH_TARGET}${SEGMENT}\\s+(?:TO|FROM)\\s+(.+)`);
export const DATABASE_PRIVILEGE_COMMAND = re(`${VERB}\\s+${DB_PRIVILEGE}\\s+ON\\s+` +
  `${DB_TARGET}\\s+(?:TO|FROM)\\s+(.+)`);

export const DBMS_PRIVILEGE_COMMAND = re(`${VERB}\\s+${DBMS_PRIVILEGE}\\s+ON\\s+DBMS` +
  '\\s+(?:TO|FROM)\\s+(.+)');

function verbOf(token: string | undefined): { verb: PrivilegeVerb; revokes: Access | null } {
  const words = (token ?? '').toUpperCase().split(/\s+/);
  const verb = words[0] === 'DENY' ? 'DENY' : words[0] === 'REVOKE' ? 'REVOKE' : 'GRANT';
  const revokes = words[1] === 'GRANT' ? 'GRANTED' : words[1] === 'DENY' ? 'DENIED' : null;
  return { verb, revokes };
}

function graphsOf(fixed: string | undefined, list: string | undefined): string[] {
  if (fixed !== undefined) return ['DEFAULT'];
  const graphs = splitNames(list);
  if (graphs.length === 0) throw new QuiverError('SyntaxError', 'Expected a graph name or *');
  return graphs;
}

function segmentsOf(kindToken: string | undefined, list: string | undefined): Segment[] {
  const names = kindToken === undefined ? ['*'] : splitNames(list);
  const word = (kindToken ?? 'ELEMENTS').toUpperCase();
  const kinds: ElementKind[] = word.startsWith('NODE') ? ['NODE']
    : word.startsWith('RELATIONSHIP') ? ['RELATIONSHIP'] : ['NODE', 'RELATIONSHIP'];
  return kinds.flatMap((kind) => names.map((n) => ({ kind, name: n })));
}

/** The action and the qualifiers (property keys or labels) of a graph privilege's words. */
function actionOf(words: string): { action: Action; qualifiers: (string | null)[] } {
  const braces = /\{([^}]*)\}/.exec(words);
  const props = braces ? splitNames(braces[1]) : [];
  const head = words.toUpperCase().replace(/\s+/g, ' ');
  if (head.startsWith('READ')) return { action: 'read', qualifiers: props };
  if (head.startsWith('MATCH')) return { action: 'match', qualifiers: props };
  if (head.startsWith('SET PROPERTY')) return { action: 'set_property', qualifiers: props };
  const labels = splitNames(words.replace(/^\s*(?:SET|REMOVE)\s+LABELS?\s+/i, ''));
  if (head.startsWith('SET LABEL')) return { action: 'set_label', qualifiers: labels };
  if (head.startsWith('REMOVE LABEL')) return { action: 'remove_label', qualifiers: labels };
  const plain: Record<string, Action> = { TRAVERSE: 'traverse', WRITE: 'write',
    CREATE: 'create_element', DELETE: 'delete_element' };
  const action = plain[head];
  if (action === undefined) throw new QuiverError('SyntaxError', `Unknown privilege: ${words}`);
  return { action, qualifiers: [null] };
}

function segmentsFor(action: Action, kindToken: string | undefined,
  list: string | undefined): Segment[] {
  const labelAction = action === 'set_label' || action === 'remove_label';
  if ((action === 'write' || labelAction) && kindToken !== undefined) {
    throw new QuiverError('SyntaxError', `${action.toUpperCase()} applies to the whole graph: ` +
      'it takes no NODES, RELATIONSHIPS or ELEMENTS part.');
  }
  return labelAction ? [{ kind: 'NODE', name: '*' }] : segmentsOf(kindToken, list);
}

export function parseGraphPrivilegeCommand(m: RegExpMatchArray): PrivilegeCommand {
  const { verb, revokes } = verbOf(m[1]);
  const { action, qualifiers } = actionOf(m[2] ?? '');
  if (qualifiers.length === 0) {
    throw new QuiverError('SyntaxError', 'Expected a name or * in braces');
  }
  const segments = segmentsFor(action, m[5], m[6]);
  const access: Access = verb === 'DENY' ? 'DENIED' : 'GRANTED';
  const privileges = graphsOf(m[3], m[4]).flatMap((graph) => segments.flatMap((segment) =>
    qualifiers.map((qualifier): Privilege => ({ access, action, graph, segment, qualifier }))));
  return { verb, revokes, privileges, roles: splitNames(m[7]) };
}

export function parseDatabasePrivilegeCommand(m: RegExpMatchArray): PrivilegeCommand {
  const { verb, revokes } = verbOf(m[1]);
  const word = (m[2] ?? '').toUpperCase().split(/\s+/)[0] ?? '';
  const byWord: Record<string, Action> = { ACCESS: 'access', NAME: 'name_management',
    INDEX: 'index', INDEXES: 'index', CONSTRAINT: 'constraint', CONSTRAINTS: 'constraint',
    TRANSACTION: 'transaction_management' };
  const action = byWord[word];
  if (action === undefined) {
    throw new QuiverError('SyntaxError', `Unknown privilege: ${m[2] ?? ''}`);
  }
  const access: Access = verb === 'DENY' ? 'DENIED' : 'GRANTED';
  const privileges = graphsOf(m[3], m[4]).map((graph): Privilege =>
    ({ access, action, graph, segment: null, qualifier: null }));
  return { verb, revokes, privileges, roles: splitNames(m[5]).map((r) => name(r)) };
}

/** DBMS privilege words (first two, singular) and the action SHOW PRIVILEGES names. */
const DBMS_ACTION_BY_WORDS: Readonly<Record<string, DbmsAction>> = {
  'USER MANAGEMENT': 'user_management', 'CREATE USER': 'create_user', 'DROP USER': 'drop_user',
  'ALTER USER': 'alter_user', 'SHOW USER': 'show_user', 'SET PASSWORD': 'set_passwords',
  'SET USER': 'set_user_status', 'ROLE MANAGEMENT': 'role_management',
  'CREATE ROLE': 'create_role', 'DROP ROLE': 'drop_role', 'SHOW ROLE': 'show_role',
  'ASSIGN ROLE': 'assign_role', 'REMOVE ROLE': 'remove_role',
  'PRIVILEGE MANAGEMENT': 'privilege_management', 'SHOW PRIVILEGE': 'show_privilege',
  'ASSIGN PRIVILEGE': 'assign_privilege', 'REMOVE PRIVILEGE': 'remove_privilege',
  'ALL DBMS': 'dbms_actions', 'ALL PRIVILEGE': 'dbms_actions',
  'EXECUTE ADMIN': 'execute_admin', 'EXECUTE ADMINISTRATOR': 'execute_admin',
};

/** An EXECUTE privilege on named procedures or functions: its action and name globs. */
function executeOf(words: string): { action: ExecuteAction; globs: string[] } | null {
  const m = /^EXECUTE\s+(BOOSTED\s+)?(?:USER\s+(?:DEFINED\s+)?)?(PROCEDURE|FUNCTION)S?\s+(.+)$/is
    .exec(words.trim());
  if (m === null) return null;
  const isFunction = (m[2] ?? '').toUpperCase() === 'FUNCTION';
  const action: ExecuteAction = isFunction ? 'execute_function'
    : m[1] === undefined ? 'execute' : 'execute_boosted';
  return { action, globs: splitNames(m[3]) };
}

export function parseDbmsPrivilegeCommand(m: RegExpMatchArray): PrivilegeCommand {
  const { verb, revokes } = verbOf(m[1]);
  const access: Access = verb === 'DENY' ? 'DENIED' : 'GRANTED';
  const roles = splitNames(m[3]).map((r) => name(r));
  const execute = executeOf(m[2] ?? '');
  if (execute !== null) {
    const privileges = execute.globs.map((glob): Privilege => ({ access,
      action: execute.action, graph: '*', segment: null, qualifier: glob }));
    return { verb, revokes, privileges, roles };
  }
  const words = (m[2] ?? '').toUpperCase().split(/\s+/).slice(0, 2)
    .map((w) => (w === 'DBMS' ? w : w.replace(/S$/, ''))).join(' ');
  const action = DBMS_ACTION_BY_WORDS[words];
  if (action === undefined) {
    throw new QuiverError('SyntaxError', `Unknown privilege: ${m[2] ?? ''}`);
  }
  return { verb, revokes, roles,
    privileges: [{ access, action, graph: '*', segment: null, qualifier: null }] };
}
