/**
 * Role and privilege management (Neo4j 5's CREATE / DROP / SHOW ROLES, GRANT / DENY / REVOKE,
 * SHOW PRIVILEGES): each returns rows and, when it changes roles, the system records to commit,
 * which replicate through the log like user changes.
 */
import { QuiverError } from '../errors/quiver-error.js';
import type { Value } from '../graph/values.js';
import type { AdminContext, AdminOutcome, Command } from './admin-commands.js';
import { AUDITED, NAME, name, re, requirePrivilege, splitNames } from './command-syntax.js';
import {
  DATABASE_PRIVILEGE_COMMAND, DBMS_PRIVILEGE_COMMAND, GRAPH_PRIVILEGE_COMMAND,
  parseDatabasePrivilegeCommand, parseDbmsPrivilegeCommand, parseGraphPrivilegeCommand,
  type PrivilegeCommand,
} from './privilege-grammar.js';
import { PRIVILEGE_FIELDS, privilegeRow, samePrivilege, type Privilege } from './privileges.js';
import type { RoleRecord } from './role-store.js';
import type { SystemRecord } from './user-store.js';

const NAMES = '(.+?)';

export const PRIVILEGE_COMMANDS: Command[] = [
  [re(`CREATE\\s+(OR\\s+REPLACE\\s+)?ROLE\\s+${NAME}(\\s+IF\\s+NOT\\s+EXISTS)?` +
    `(?:\\s+AS\\s+COPY\\s+OF\\s+${NAME})?`), createRole, AUDITED],
  [re(`DROP\\s+ROLE\\s+${NAME}(\\s+IF\\s+EXISTS)?`), dropRole, AUDITED],
  [re('SHOW\\s+(ALL\\s+|POPULATED\\s+)?ROLES?(\\s+WITH\\s+USERS?)?'), showRoles],
  [re(`SHOW\\s+ROLES?\\s+${NAMES}\\s+PRIVILEGES?`), showRolePrivileges],
  [re(`SHOW\\s+USERS?(?:\\s+${NAMES})?\\s+PRIVILEGES?`), showUserPrivileges],
  [re('SHOW\\s+(?:ALL\\s+)?PRIVILEGES?'), showPrivileges],
  [GRAPH_PRIVILEGE_COMMAND, (m, ctx) => changePrivileges(parseGraphPrivilegeCommand(m), ctx),
    AUDITED],
  [DATABASE_PRIVILEGE_COMMAND,
    (m, ctx) => changePrivileges(parseDatabasePrivilegeCommand(m), ctx), AUDITED],
  [DBMS_PRIVILEGE_COMMAND, (m, ctx) => changePrivileges(parseDbmsPrivilegeCommand(m), ctx),
    AUDITED],
];

const done = (records: SystemRecord[]): AdminOutcome => ({ fields: [], rows: [], records });
const putRole = (role: RoleRecord): SystemRecord => ({ kind: 'role.put', role });

function existingRole(ctx: AdminContext, role: string): RoleRecord {
  const r = ctx.users.roles.get(role);
  if (!r) throw new QuiverError('InvalidArgumentsUser', `Role '${role}' does not exist.`);
  return r;
}

function createRole(m: RegExpMatchArray, ctx: AdminContext): AdminOutcome {
  if (m[1]) requirePrivilege(ctx, 'create_role', 'drop_role');
  else requirePrivilege(ctx, 'create_role');
  const role = name(m[2]);
  if (ctx.users.roles.get(role) && !m[1]) {
    if (m[3]) return done([]);
    throw new QuiverError('InvalidArgumentsUser',
      `Failed to create the specified role '${role}': Role already exists.`);
  }
  const privileges = m[4] === undefined ? [] : existingRole(ctx, name(m[4])).privileges;
  return done([putRole({ name: role, privileges })]);
}

function dropRole(m: RegExpMatchArray, ctx: AdminContext): AdminOutcome {
  requirePrivilege(ctx, 'drop_role');
  const role = name(m[1]);
  if (!ctx.users.roles.get(role)) {
    if (m[2]) return done([]);
    throw new QuiverError('InvalidArgumentsUser',
      `Failed to delete the specified role '${role}': Role does not exist.`);
  }
  if (role === 'PUBLIC') {
    throw new QuiverError('InvalidArgumentsUser', "Failed to delete the specified role 'PUBLIC': " +
      'Dropping the PUBLIC role is not allowed.');
  }
  // Users lose the role with it, so a role created later under the same name grants nothing.
  const holders = ctx.users.all().filter((u) => u.roles.includes(role));
  return done([{ kind: 'role.drop', name: role }, ...holders.map((u): SystemRecord =>
    ({ kind: 'user.put', user: { ...u, roles: u.roles.filter((r) => r !== role) } }))]);
}

function membersOf(ctx: AdminContext, role: string): string[] {
  if (role === 'PUBLIC') return ctx.users.all().map((u) => u.name);
  return ctx.users.all().filter((u) => u.roles.includes(role)).map((u) => u.name);
}

function showRoles(m: RegExpMatchArray, ctx: AdminContext): AdminOutcome {
  // Who holds which role is also a question about users.
  if (m[2] === undefined) requirePrivilege(ctx, 'show_role');
  else requirePrivilege(ctx, 'show_role', 'show_user');
  const populated = /POPULATED/i.test(m[1] ?? '');
  const roles = ctx.users.roles.all().map((r) => r.name)
    .filter((r) => !populated || membersOf(ctx, r).length > 0);
  if (m[2] === undefined) return { fields: ['role'], rows: roles.map((r) => [r]), records: [] };
  const rows = roles.flatMap((r): Value[][] => {
    const members = membersOf(ctx, r);
    return members.length === 0 ? [[r, null]] : members.map((u) => [r, u]);
  });
  return { fields: ['role', 'member'], rows, records: [] };
}

function rowsOf(ctx: AdminContext, roles: readonly string[]): Value[][] {
  return roles.flatMap((r) => existingRole(ctx, r).privileges.map((p) => privilegeRow(p, r)));
}

function showPrivileges(_m: RegExpMatchArray, ctx: AdminContext): AdminOutcome {
  requirePrivilege(ctx, 'show_privilege');
  const roles = ctx.users.roles.all().map((r) => r.name);
  return { fields: PRIVILEGE_FIELDS, rows: rowsOf(ctx, roles), records: [] };
}

function showRolePrivileges(m: RegExpMatchArray, ctx: AdminContext): AdminOutcome {
  requirePrivilege(ctx, 'show_privilege');
  return { fields: PRIVILEGE_FIELDS, rows: rowsOf(ctx, splitNames(m[1])), records: [] };
}

/** Anyone may see their own privileges; SHOW PRIVILEGE and SHOW USER, anyone's. */
function showUserPrivileges(m: RegExpMatchArray, ctx: AdminContext): AdminOutcome {
  const users = m[1] === undefined ? [ctx.user] : splitNames(m[1]);
  if (users.some((u) => u !== ctx.user)) requirePrivilege(ctx, 'show_privilege', 'show_user');
  const rows = users.flatMap((u) => {
    const user = ctx.users.get(u);
    if (!user) throw new QuiverError('InvalidArgumentsUser', `User '${u}' does not exist.`);
    const roles = [...new Set(['PUBLIC', ...user.roles])];
    return rowsOf(ctx, roles.filter((r) => ctx.users.roles.get(r))).map((row) => [...row, u]);
  });
  return { fields: [...PRIVILEGE_FIELDS, 'user'], rows, records: [] };
}

function revoked(held: Privilege, wanted: Privilege, revokes: PrivilegeCommand['revokes']):
  boolean {
  if (revokes !== null && held.access !== revokes) return false;
  return samePrivilege({ ...held, access: wanted.access }, wanted);
}

function changePrivileges(cmd: PrivilegeCommand, ctx: AdminContext): AdminOutcome {
  requirePrivilege(ctx, cmd.verb === 'REVOKE' ? 'remove_privilege' : 'assign_privilege');
  const records = cmd.roles.map((roleName) => {
    const role = existingRole(ctx, roleName);
    const privileges = cmd.verb === 'REVOKE'
      ? role.privileges.filter((p) => !cmd.privileges.some((w) => revoked(p, w, cmd.revokes)))
      : [...role.privileges, ...cmd.privileges.filter((w) =>
        !role.privileges.some((p) => samePrivilege(p, w)))];
    return putRole({ name: role.name, privileges });
  });
  return done(records);
}
