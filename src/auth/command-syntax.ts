/**
 * Pieces shared by the system commands recognised before Cypher parsing: the patterns for
 * names and string literals, reading them out of a match, and the admin check.
 */
import { QuiverError } from '../errors/quiver-error.js';
import type { Value } from '../graph/values.js';
import { privilegesOf } from './privilege-set.js';
import type { UserStore } from './user-store.js';

/** What every system command may need to know of the session that runs it. */
export interface CommandSession {
  readonly user: string;
  readonly users: UserStore;
  readonly params: ReadonlyMap<string, Value>;
  readonly databaseName: string;
}

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

export function isAdmin(ctx: CommandSession): boolean {
  return privilegesOf(ctx.users, ctx.user, { name: ctx.databaseName, isDefault: true })
    .may('dbms_actions');
}

export function requireAdmin(ctx: CommandSession): void {
  if (!isAdmin(ctx)) {
    throw new QuiverError('Forbidden',
      `Permission denied for user '${ctx.user}': this command needs the admin role.`);
  }
}
