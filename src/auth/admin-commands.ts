/**
 * User-management statements (Neo4j's system commands and procedures), recognised before Cypher
 * parsing. Each returns rows and, when it changes users, the system records to commit.
 */
import { QuiverError } from '../errors/quiver-error.js';
import { StatusCode } from '../errors/status-codes.js';
import type { Value } from '../graph/values.js';
import {
  AUDITED, managesTransactions, NAME, name, re, requirePrivilege, requireProcedure, splitNames,
  STR, text, type CommandSession,
} from './command-syntax.js';
import { hashPasswordSync, verifyPasswordSync } from './password.js';
import { privilegeChangeLine, privilegeRefusalLine } from './privilege-audit.js';
import { PRIVILEGE_COMMANDS } from './privilege-commands.js';
import type { DbmsAction } from './privileges.js';
import type { SystemRecord, UserRecord } from './user-store.js';

/** What SHOW / TERMINATE TRANSACTIONS need to know of a running transaction. */
export interface RunningTransaction {
  readonly id: string;
  readonly user: string;
  readonly startedAtMs: number;
  readonly currentQuery: string;
  readonly status: string;
  terminate(): void;
}

/** A cluster member as SHOW SERVERS lists it. */
export interface ServerRow {
  readonly id: string;
  readonly address: string;
  readonly role: string;
  readonly healthy: boolean;
  readonly groups: readonly string[];
  /** Replication progress (QuiverDB's addition to SHOW SERVERS); null where unknown. */
  readonly lastCommittedIndex: number | null;
  readonly lastAppliedIndex: number | null;
  readonly lagBehindLeader: number | null;
  /** A read replica's upstream member id; null for cores. */
  readonly upstream: string | null;
}

export interface AdminContext extends CommandSession {
  readonly transactions: () => Iterable<RunningTransaction>;
  readonly servers: () => readonly ServerRow[];
  /** Proposes removing a member from the voters; false when this member cannot (not leader). */
  readonly removeMember: (id: string) => boolean;
  /** The client's address, for the security log; absent where the protocol does not know it. */
  readonly peer?: string | undefined;
  /** The security log: a privilege change refused for want of a privilege is logged here. */
  readonly securityEvent?: ((line: string) => void) | undefined;
}

export interface AdminOutcome {
  readonly fields: string[];
  readonly rows: Value[][];
  readonly records: SystemRecord[];
  /**
   * The security-log line of a statement that changes users, roles or privileges; the caller
   * logs it once the records are committed (on this member only, not on every replica).
   */
  readonly audit?: string;
}

export type Handler = (m: RegExpMatchArray, ctx: AdminContext) => AdminOutcome;

export type Command = readonly [RegExp, Handler, typeof AUDITED?];

const CHANGE = '(?:\\s+CHANGE\\s+(NOT\\s+)?REQUIRED)?';
const STATUS = '(?:\\s+SET\\s+STATUS\\s+(ACTIVE|SUSPENDED))?';

/** A comma-separated list of names (so `GRANT ROLE MANAGEMENT ON DBMS` is not a role grant). */
const ONE_NAME = `(?:${NAME.slice(1)}`;
const NAMES = `(${ONE_NAME}(?:\\s*,\\s*${ONE_NAME})*)`;

const COMMANDS: Command[] = [
  [re(`ALTER\\s+CURRENT\\s+USER\\s+SET\\s+PASSWORD\\s+FROM\\s+${STR}\\s+TO\\s+${STR}`),
    alterCurrent, AUDITED],
  [re(`CALL\\s+dbms\\.(?:security\\.)?changePassword\\s*\\(\\s*${STR}\\s*\\)`), changeOwn,
    AUDITED],
  [re(`CREATE\\s+(OR\\s+REPLACE\\s+)?USER\\s+${NAME}(\\s+IF\\s+NOT\\s+EXISTS)?\\s+SET\\s+` +
    `(?:PLAINTEXT\\s+)?PASSWORD\\s+${STR}${CHANGE}${STATUS}`), createUser, AUDITED],
  [re(`CALL\\s+dbms\\.security\\.createUser\\s*\\(\\s*${STR}\\s*,\\s*${STR}` +
    '(?:\\s*,\\s*(true|false))?\\s*\\)'), createUserProc, AUDITED],
  [re(`DROP\\s+USER\\s+${NAME}(\\s+IF\\s+EXISTS)?`), dropUser, AUDITED],
  [re(`ALTER\\s+USER\\s+${NAME}(?:\\s+IF\\s+EXISTS)?(?:\\s+SET\\s+(?:PLAINTEXT\\s+)?PASSWORD\\s+` +
    `${STR})?(?:\\s+SET\\s+PASSWORD)?${CHANGE}${STATUS}`), alterUser, AUDITED],
  [re(`GRANT\\s+ROLES?\\s+${NAMES}\\s+TO\\s+${NAMES}`), grantRoles, AUDITED],
  [re(`REVOKE\\s+ROLES?\\s+${NAMES}\\s+FROM\\s+${NAMES}`), revokeRoles, AUDITED],
  [re('SHOW\\s+TRANSACTIONS?(?:\\s+YIELD\\s+\\*)?'), showTransactions],
  [re('CALL\\s+dbms\\.listTransactions\\s*\\(\\s*\\)'), listTransactions],
  [re(`TERMINATE\\s+TRANSACTIONS?\\s+(${STR}(?:\\s*,\\s*${STR})*)`), terminateTransactions],
  [re(`CALL\\s+dbms\\.killTransactions?\\s*\\(\\s*(.+?)\\s*\\)`), killTransactions],
  [re('SHOW\\s+SERVERS?(?:\\s+YIELD\\s+\\*)?'), showServers],
  ...PRIVILEGE_COMMANDS,
  [re(`CALL\\s+dbms\\.cluster\\.removeMember\\s*\\(\\s*${STR}\\s*\\)`), removeMember],
  [re('SHOW\\s+CURRENT\\s+USER'), showCurrentUser],
  [re('SHOW\\s+USERS?'), showUsers],
  [re('SHOW\\s+(?:DEFAULT\\s+|HOME\\s+)?DATABASES?(?:\\s+' + NAME + ')?'), showDatabases],
];

/** Returns null when the statement is not an admin command (it is then ordinary Cypher). */
export function matchAdminCommand(query: string): ((ctx: AdminContext) => AdminOutcome) | null {
  const found = matchCache.get(query) ?? findCommand(query);
  if (query.length <= CACHED_QUERY_MAX_LENGTH) {
    if (matchCache.size >= MATCH_CACHE_SIZE) matchCache.clear();
    matchCache.set(query, found);
  }
  if (found === NOT_ADMIN) return null;
  const [m, handler, audited] = found;
  return audited === AUDITED ? (ctx) => audit(query, () => handler(m, ctx), ctx)
    : (ctx) => handler(m, ctx);
}

/**
 * Runs a command that changes users, roles or privileges: a refusal is logged at once; a
 * change is returned with its line, for the caller to log once it is committed.
 */
function audit(query: string, run: () => AdminOutcome, ctx: AdminContext): AdminOutcome {
  const change = { user: ctx.user, peer: ctx.peer, statement: query };
  try {
    return { ...run(), audit: privilegeChangeLine(change) };
  } catch (e) {
    if (e instanceof QuiverError && e.code === StatusCode.Forbidden) {
      ctx.securityEvent?.(privilegeRefusalLine(change, e.message));
    }
    throw e;
  }
}

/**
 * Every statement a server runs is first tried against all the patterns above; remembering the
 * outcome per query text keeps that off the round trip of the queries clients repeat.
 */
const MATCH_CACHE_SIZE = 1000;
const CACHED_QUERY_MAX_LENGTH = 4096;
const NOT_ADMIN = 'not-admin';
type Found = readonly [RegExpMatchArray, Handler, typeof AUDITED | undefined];
const matchCache = new Map<string, Found | typeof NOT_ADMIN>();

function findCommand(query: string): Found | typeof NOT_ADMIN {
  for (const [pattern, handler, audited] of COMMANDS) {
    const m = query.match(pattern);
    if (m) return [m, handler, audited];
  }
  return NOT_ADMIN;
}

/** Statements a user whose password has expired may still run. */
export function isPasswordChange(query: string): boolean {
  return COMMANDS.slice(0, 2).some(([pattern]) => pattern.test(query));
}

const done = (records: SystemRecord[]): AdminOutcome => ({ fields: [], rows: [], records });
const put = (user: UserRecord): SystemRecord => ({ kind: 'user.put', user });

function checkNewPassword(old: UserRecord, password: string): void {
  if (password.length === 0) throw new QuiverError('ArgumentError', 'A password cannot be empty.');
  if (verifyPasswordSync(password, old.passwordHash)) {
    throw new QuiverError('ArgumentError', 'Old password and new password cannot be the same.');
  }
}

function alterCurrent(m: RegExpMatchArray, ctx: AdminContext): AdminOutcome {
  const me = existing(ctx, ctx.user);
  if (!verifyPasswordSync(text(m[1], ctx), me.passwordHash)) {
    throw new QuiverError('Forbidden', `User '${ctx.user}' failed to alter their own password: ` +
      'Invalid principal or credentials.');
  }
  const password = text(m[2], ctx);
  checkNewPassword(me, password);
  return done([put({ ...me, passwordHash: hashPasswordSync(password),
    passwordChangeRequired: false })]);
}

function changeOwn(m: RegExpMatchArray, ctx: AdminContext): AdminOutcome {
  requireProcedure(ctx, m);
  const me = existing(ctx, ctx.user);
  const password = text(m[1], ctx);
  checkNewPassword(me, password);
  return done([put({ ...me, passwordHash: hashPasswordSync(password),
    passwordChangeRequired: false })]);
}

function existing(ctx: AdminContext, user: string): UserRecord {
  const u = ctx.users.get(user);
  if (!u) throw new QuiverError('InvalidArgumentsUser', `User '${user}' does not exist.`);
  return u;
}

function createUser(m: RegExpMatchArray, ctx: AdminContext): AdminOutcome {
  if (m[1]) requirePrivilege(ctx, 'create_user', 'drop_user');
  else requirePrivilege(ctx, 'create_user');
  const user = name(m[2]);
  if (ctx.users.get(user) && !m[1]) {
    if (m[3]) return done([]);
    throw new QuiverError('InvalidArgumentsUser',
      `Failed to create the specified user '${user}': User already exists.`);
  }
  return done([put({ name: user, passwordHash: hashPasswordSync(text(m[4], ctx)),
    passwordChangeRequired: m[5] === undefined, // CHANGE REQUIRED is the default
    suspended: m[6]?.toUpperCase() === 'SUSPENDED', roles: ['PUBLIC'] })]);
}

function createUserProc(m: RegExpMatchArray, ctx: AdminContext): AdminOutcome {
  requireProcedure(ctx, m);
  requirePrivilege(ctx, 'create_user');
  const user = text(m[1], ctx);
  if (ctx.users.get(user)) {
    throw new QuiverError('InvalidArgumentsUser',
      `Failed to create the specified user '${user}': User already exists.`);
  }
  return done([put({ name: user, passwordHash: hashPasswordSync(text(m[2], ctx)),
    passwordChangeRequired: m[3] !== 'false', suspended: false, roles: ['PUBLIC'] })]);
}

function dropUser(m: RegExpMatchArray, ctx: AdminContext): AdminOutcome {
  requirePrivilege(ctx, 'drop_user');
  const user = name(m[1]);
  if (!ctx.users.get(user)) {
    if (m[2]) return done([]);
    throw new QuiverError('InvalidArgumentsUser',
      `Failed to delete the specified user '${user}': User does not exist.`);
  }
  if (user === ctx.user) {
    throw new QuiverError('InvalidArgumentsUser',
      `Failed to delete the specified user '${user}': Deleting yourself is not allowed.`);
  }
  return done([{ kind: 'user.drop', name: user }]);
}

function alterUser(m: RegExpMatchArray, ctx: AdminContext): AdminOutcome {
  const changesRequired = /CHANGE\s+(NOT\s+)?REQUIRED/i.test(m[0]);
  const needed: DbmsAction[] = [];
  if (m[2] !== undefined || changesRequired) needed.push('set_passwords');
  if (m[4] !== undefined) needed.push('set_user_status');
  requirePrivilege(ctx, ...(needed.length === 0 ? ['alter_user' as const] : needed));
  const old = existing(ctx, name(m[1]));
  let next: UserRecord = { ...old };
  if (m[2] !== undefined) {
    next = { ...next, passwordHash: hashPasswordSync(text(m[2], ctx)),
      passwordChangeRequired: true };
  }
  if (changesRequired) {
    next = { ...next, passwordChangeRequired: m[3] === undefined };
  }
  if (m[4] !== undefined) next = { ...next, suspended: m[4].toUpperCase() === 'SUSPENDED' };
  return done([put(next)]);
}

function changeRoles(m: RegExpMatchArray, ctx: AdminContext, grant: boolean): AdminOutcome {
  requirePrivilege(ctx, grant ? 'assign_role' : 'remove_role');
  const roles = splitNames(m[1]);
  for (const r of roles) {
    if (!ctx.users.roles.get(r)) {
      throw new QuiverError('InvalidArgumentsUser', `Role '${r}' does not exist.`);
    }
  }
  return done(splitNames(m[2]).map((u) => {
    const old = existing(ctx, u);
    const next = grant ? [...new Set([...old.roles, ...roles])]
      : old.roles.filter((r) => !roles.includes(r));
    return put({ ...old, roles: next });
  }));
}

function grantRoles(m: RegExpMatchArray, ctx: AdminContext): AdminOutcome {
  return changeRoles(m, ctx, true);
}

function revokeRoles(m: RegExpMatchArray, ctx: AdminContext): AdminOutcome {
  return changeRoles(m, ctx, false);
}

function userRow(u: UserRecord): Value[] {
  return [u.name, [...u.roles], u.passwordChangeRequired, u.suspended, null];
}

const USER_FIELDS = ['user', 'roles', 'passwordChangeRequired', 'suspended', 'home'];

function showCurrentUser(_m: RegExpMatchArray, ctx: AdminContext): AdminOutcome {
  return { fields: USER_FIELDS, rows: [userRow(existing(ctx, ctx.user))], records: [] };
}

function showUsers(_m: RegExpMatchArray, ctx: AdminContext): AdminOutcome {
  requirePrivilege(ctx, 'show_user');
  return { fields: USER_FIELDS, rows: ctx.users.all().map(userRow), records: [] };
}

function showDatabases(m: RegExpMatchArray, ctx: AdminContext): AdminOutcome {
  const fields = ['name', 'type', 'aliases', 'access', 'address', 'role', 'writer',
    'requestedStatus', 'currentStatus', 'statusMessage', 'default', 'home', 'constituents'];
  const row = (db: string, isDefault: boolean): Value[] => [db,
    db === 'system' ? 'system' : 'standard',
    [], 'read-write', '', 'primary', true, 'online', 'online', '', isDefault, isDefault, []];
  const rows = [row(ctx.databaseName, true), row('system', false)];
  const only = m[1] === undefined ? null : name(m[1]);
  return { fields, rows: only === null ? rows : rows.filter((r) => r[0] === only), records: [] };
}

function visibleTransactions(ctx: AdminContext): RunningTransaction[] {
  const all = managesTransactions(ctx);
  return [...ctx.transactions()].filter((t) => all || t.user === ctx.user);
}

function showTransactions(_m: RegExpMatchArray, ctx: AdminContext): AdminOutcome {
  const now = Date.now();
  return {
    fields: ['database', 'transactionId', 'currentQueryId', 'connectionId', 'clientAddress',
      'username', 'currentQuery', 'startTime', 'status', 'elapsedTime'],
    rows: visibleTransactions(ctx).map((t): Value[] => [ctx.databaseName, t.id, `query-${t.id}`,
      '', '', t.user, t.currentQuery, new Date(t.startedAtMs).toISOString(), t.status,
      `PT${((now - t.startedAtMs) / 1000).toFixed(3)}S`]),
    records: [],
  };
}

function listTransactions(m: RegExpMatchArray, ctx: AdminContext): AdminOutcome {
  requireProcedure(ctx, m);
  const now = Date.now();
  return {
    fields: ['transactionId', 'username', 'currentQuery', 'startTime', 'status',
      'elapsedTimeMillis'],
    rows: visibleTransactions(ctx).map((t): Value[] => [t.id, t.user, t.currentQuery,
      new Date(t.startedAtMs).toISOString(), t.status, BigInt(now - t.startedAtMs)]),
    records: [],
  };
}

function terminateTransactions(m: RegExpMatchArray, ctx: AdminContext): AdminOutcome {
  const ids = [...(m[1] ?? '').matchAll(new RegExp(STR, 'g'))].map((x) => text(x[0], ctx));
  const mine = new Map(visibleTransactions(ctx).map((t) => [t.id, t]));
  const rows = ids.map((id): Value[] => {
    const t = mine.get(id);
    if (!t) return [id, ctx.user, 'Transaction not found.'];
    t.terminate();
    return [id, t.user, 'Transaction terminated.'];
  });
  return { fields: ['transactionId', 'username', 'message'], rows, records: [] };
}

function killTransactions(m: RegExpMatchArray, ctx: AdminContext): AdminOutcome {
  requireProcedure(ctx, m);
  return terminateTransactions(m, ctx);
}

function showServers(_m: RegExpMatchArray, ctx: AdminContext): AdminOutcome {
  return {
    fields: ['serverId', 'name', 'address', 'state', 'health', 'hosting', 'role', 'groups',
      'lastCommittedIndex', 'lastAppliedIndex', 'lagBehindLeader', 'upstream'],
    rows: ctx.servers().map((m): Value[] => [m.id, m.id, m.address, 'Enabled',
      m.healthy ? 'Available' : 'Unavailable', [ctx.databaseName, 'system'], m.role,
      [...m.groups], optionalInt(m.lastCommittedIndex), optionalInt(m.lastAppliedIndex),
      optionalInt(m.lagBehindLeader), m.upstream]),
    records: [],
  };
}

function optionalInt(n: number | null): Value {
  return n === null ? null : BigInt(n);
}

/** An administrator removes a core that is gone for good, so it no longer counts for quorum. */
function removeMember(m: RegExpMatchArray, ctx: AdminContext): AdminOutcome {
  requireProcedure(ctx, m);
  const id = text(m[1], ctx);
  if (!ctx.removeMember(id)) {
    throw new QuiverError('ArgumentError', `Member ${id} could not be removed here: run the ` +
      'command on the leader, with a voting member id from SHOW SERVERS or the status endpoint, ' +
      'one change at a time.');
  }
  return { fields: ['memberId', 'removed'], rows: [[id, true]], records: [] };
}
