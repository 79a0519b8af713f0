/**
 * Neo4j 5's privilege commands, read into Privilege values:
 *   GRANT | DENY | REVOKE [GRANT | DENY]  <privilege>  ON <target>  [<segment>]  TO | FROM roles
 * where a graph privilege is TRAVERSE, READ {props}, MATCH {props}, WRITE, CREATE, DELETE,
 * SET PROPERTY {props}, SET LABEL labels or REMOVE LABEL labels ON GRAPH(S) * | names
 * [NODES | RELATIONSHIPS | ELEMENTS  * | names], and a database privilege is ACCESS,
 * NAME [MANAGEMENT], INDEX [MANAGEMENT], CONSTRAINT [MANAGEMENT] or TRANSACTION [MANAGEMENT]
 * ON DATABASE(S) * | names, or ON DEFAULT / HOME DATABASE.
 */
import { QuiverError } from '../errors/quiver-error.js';
import { name, re, splitNames } from './command-syntax.js';
import type { Access, Action, ElementKind, Privilege, Segment } from './privileges.js';

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

export const GRAPH_PRIVILEGE_COMMAND = re(`${VERB}\\s+${GRAPH_PRIVILEGE}\\s+ON\\s+` +
  `${GRAPH_TARGET}${SEGMENT}\\s+(?:TO|FROM)\\s+(.+)`);
export const DATABASE_PRIVILEGE_COMMAND = re(`${VERB}\\s+${DB_PRIVILEGE}\\s+ON\\s+` +
  `${DB_TARGET}\\s+(?:TO|FROM)\\s+(.+)`);

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
