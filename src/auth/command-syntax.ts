/**
 * Pieces shared by the system commands recognised before Cypher parsing: the patterns for
 * names and string literals, reading them out of a match, and the admin check.
 */
import { QuiverError } from '../errors/quiver-error.js';
import type { Value } from '../graph/values.js';
import { checkProcedureAccess } from './procedure-access.js';
import type { DbmsAction } from './privileges.js';
import { privilegesOf, type PrivilegeSet } from './privilege-set.js';
import type { UserStore } from './user-store.js';

/** What every system command may need to know of the session that runs it. */
export interface CommandSession {
  readonly user: string;
  readonly users: UserStore;
  readonly params: ReadonlyMap<string, Value>;
  readonly databaseName: string;
}

/** Marks the commands that change users, roles or privileges: they go to the security log. */
export const AUDITED = true;

export const NAME = '(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)';
export const STR = "('(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"|\\$[A-Za-z_][A-Za-z0-9_]*)";

/** A whole statement: optional spaces and semicolon around `body`, any case. */
export function re(body: string): RegExp {
  return new RegExp(`^\\s*${body}\\s*;?\\s*$`, 'is');
}

export function text(token: string | undefined, ctx: CommandSession): string {
  if (token === undefined) throw new QuiverError('SyntaxError', 'Missing value');
  if (token.startsWith('$')) {
    const v = ctx.params.get(token.slice(1));
    if (v === undefined) {
      throw new QuiverError('ParameterMissing', `Expected parameter(s): ${token.slice(1)}`);
    }
    if (typeof v !== 'string') {
      throw new QuiverError('TypeError', `Expected ${token} to be a string`);
    }
    return v;
  }
  return token.slice(1, -1).replace(/\\(.)/g, '$1');
}

export function name(token: string | undefined): string {
  return (token ?? '').trim().replace(/^`|`$/g, '');
}

export function splitNames(list: string | undefined): string[] {
  return (list ?? '').split(',').map((s) => name(s)).filter((s) => s.length > 0);
}

export function privilegesOfSession(ctx: CommandSession): PrivilegeSet {
  return privilegesOf(ctx.users, ctx.user, { name: ctx.databaseName, isDefault: true });
}

/** Whether the user may see and terminate every user's transactions, not only their own. */
export function managesTransactions(ctx: CommandSession): boolean {
  return privilegesOfSession(ctx).may('transaction_management');
}

/**
 * Refuses, with Neo4j's message, unless the user holds every one of `actions` (CREATE OR
 * REPLACE needs both the create and the drop privilege, for example).
 */
export function requirePrivilege(ctx: CommandSession, ...actions: DbmsAction[]): void {
  const rules = privilegesOfSession(ctx);
  if (actions.every((a) => rules.may(a))) return;
  const names = actions.map((a) => a.toUpperCase().replace(/_/g, ' ')).join(' and/or ');
  throw new QuiverError('Forbidden', `Permission denied for ${names}. Try executing SHOW USER ` +
    'PRIVILEGES to determine the missing or denied privileges. In case of missing privileges, ' +
    'they need to be granted (See GRANT). In case of denied privileges, they need to be ' +
    'revoked (See REVOKE) and granted.');
}

/** A system command spelled as a procedure call obeys the EXECUTE privileges on its name. */
export function requireProcedure(ctx: CommandSession, call: RegExpMatchArray): void {
  const called = /CALL\s+([\w.]+)/i.exec(call[0])?.[1] ?? '';
  checkProcedureAccess(privilegesOfSession(ctx), ctx.user, called);
}
