/**
 * Lines of logs/security.log for statements that change users, roles or privileges: who ran
 * what, from where, with every password masked as Neo4j masks it ('******'). One line per
 * statement, in the key=value form of the log's other lines.
 */
const MASK = "'******'";
/** A statement longer than this is cut, so one line cannot flood the log. */
const STATEMENT_CHARS_MAX = 2000;

/** A quoted string (a $parameter names no secret and stays as written). */
const LITERAL = `(?:'(?:[^'\\\\]|\\\\.)*'|"(?:[^"\\\\]|\\\\.)*")`;
const AFTER_PASSWORD = new RegExp(`(\\bPASSWORD\\s+(?:FROM\\s+)?)${LITERAL}`, 'gi');
const NEW_OWN_PASSWORD = new RegExp(`^(\\s*ALTER\\s+CURRENT\\s+USER\\b.*\\bTO\\s+)${LITERAL}`,
  'is');
const CHANGE_PASSWORD_CALL = new RegExp(`(changePassword\\s*\\(\\s*)${LITERAL}`, 'gi');
const CREATE_USER_CALL = new RegExp(`(createUser\\s*\\(\\s*${LITERAL}\\s*,\\s*)${LITERAL}`, 'gi');

/** The statement on one line, with each password literal replaced. */
export function maskPasswords(statement: string): string {
  const masked = statement.replace(AFTER_PASSWORD, `$1${MASK}`)
    .replace(NEW_OWN_PASSWORD, `$1${MASK}`)
    .replace(CHANGE_PASSWORD_CALL, `$1${MASK}`)
    .replace(CREATE_USER_CALL, `$1${MASK}`);
  return masked.replace(/\s+/g, ' ').trim();
}

export interface PrivilegeChange {
  /** Who ran the statement. */
  readonly user: string;
  /** The client's address, when the protocol layer knows it. */
  readonly peer: string | undefined;
  readonly statement: string;
}

function fields(change: PrivilegeChange): string {
  const masked = maskPasswords(change.statement);
  const statement = masked.length <= STATEMENT_CHARS_MAX ? masked
    : `${masked.slice(0, STATEMENT_CHARS_MAX)}...`;
  const peer = change.peer === undefined ? '' : ` peer=${change.peer}`;
  return `user=${change.user}${peer} statement=${statement}`;
}

/** The line for a privilege change that was made. */
export function privilegeChangeLine(change: PrivilegeChange): string {
  return `privilege change: ${fields(change)}`;
}

/** The line for a privilege change refused for want of a privilege. */
export function privilegeRefusalLine(change: PrivilegeChange, reason: string): string {
  const firstSentence = /^[^.]*\.?/.exec(reason)?.[0] ?? reason;
  return `privilege change refused: ${fields(change)} reason=${firstSentence}`;
}
