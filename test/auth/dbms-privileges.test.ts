/**
 * DBMS privileges (user, role and privilege management), EXECUTE privileges on procedure names,
 * and the security-log lines of privilege changes, through the system commands themselves.
 */
import { describe, expect, it } from 'vitest';
import { matchAdminCommand, type AdminContext } from '../../src/auth/admin-commands.js';
import { maskPasswords } from '../../src/auth/privilege-audit.js';
import {
  DBMS_PRIVILEGE_COMMAND, parseDbmsPrivilegeCommand,
} from '../../src/auth/privilege-grammar.js';
import { globMatches, privilegesOf } from '../../src/auth/privilege-set.js';
import { UserStore } from '../../src/auth/user-store.js';

const DB = { name: 'neo4j', isDefault: true };

function run(query: string, users: UserStore, user = 'neo4j',
  extra: Partial<Pick<AdminContext, 'peer' | 'securityEvent'>> = {}) {
  const ctx: AdminContext = { user, users, params: new Map(), databaseName: 'neo4j',
    transactions: () => [], servers: () => [], removeMember: () => true, ...extra };
  const cmd = matchAdminCommand(query);
  if (!cmd) throw new Error(`not an admin command: ${query}`);
  const out = cmd(ctx);
  users.apply(out.records);
  return out;
}

/** A store with user `u` holding a fresh role `r` that has only what `grants` give it. */
function userWithRole(...grants: string[]): UserStore {
  const users = new UserStore({ password: 'pw', changeRequired: false });
  run("CREATE USER u SET PASSWORD 'password1' CHANGE NOT REQUIRED", users);
  run('CREATE ROLE r', users);
  run('GRANT ROLE r TO u', users);
  for (const g of grants) run(`${g} TO r`, users);
  return users;
}

function parse(query: string) {
  const m = query.match(DBMS_PRIVILEGE_COMMAND);
  if (!m) throw new Error(`not a DBMS privilege command: ${query}`);
  return parseDbmsPrivilegeCommand(m);
}

describe('the DBMS privilege grammar', () => {
  it.each([
    ['GRANT USER MANAGEMENT ON DBMS TO r', 'user_management'],
    ['GRANT CREATE USER ON DBMS TO r', 'create_user'],
    ['GRANT drop user ON DBMS TO r', 'drop_user'],
    ['GRANT ALTER USER ON DBMS TO r', 'alter_user'],
    ['GRANT SHOW USERS ON DBMS TO r', 'show_user'],
    ['GRANT SET PASSWORDS ON DBMS TO r', 'set_passwords'],
    ['GRANT SET USER STATUS ON DBMS TO r', 'set_user_status'],
    ['GRANT ROLE MANAGEMENT ON DBMS TO r', 'role_management'],
    ['GRANT CREATE ROLE ON DBMS TO r', 'create_role'],
    ['GRANT DROP ROLE ON DBMS TO r', 'drop_role'],
    ['GRANT SHOW ROLE ON DBMS TO r', 'show_role'],
    ['GRANT ASSIGN ROLE ON DBMS TO r', 'assign_role'],
    ['GRANT REMOVE ROLE ON DBMS TO r', 'remove_role'],
    ['GRANT PRIVILEGE MANAGEMENT ON DBMS TO r', 'privilege_management'],
    ['GRANT SHOW PRIVILEGE ON DBMS TO r', 'show_privilege'],
    ['GRANT ASSIGN PRIVILEGE ON DBMS TO r', 'assign_privilege'],
    ['GRANT REMOVE PRIVILEGE ON DBMS TO r', 'remove_privilege'],
    ['GRANT ALL DBMS PRIVILEGES ON DBMS TO r', 'dbms_actions'],
    ['GRANT ALL PRIVILEGES ON DBMS TO r', 'dbms_actions'],
    ['GRANT EXECUTE ADMIN PROCEDURES ON DBMS TO r', 'execute_admin'],
    ['GRANT EXECUTE ADMINISTRATOR PROCEDURES ON DBMS TO r', 'execute_admin'],
  ])('reads %s', (query, action) => {
    const cmd = parse(query);
    expect(cmd.privileges).toEqual([{ access: 'GRANTED', action, graph: '*', segment: null,
      qualifier: null }]);
    expect(cmd.roles).toEqual(['r']);
  });

  it('reads EXECUTE privileges with their name globs', () => {
    const deny = parse('DENY EXECUTE PROCEDURE dbms.cluster.*, db.labels ON DBMS TO a, b');
    expect(deny.verb).toBe('DENY');
    expect(deny.roles).toEqual(['a', 'b']);
    expect(deny.privileges.map((p) => [p.access, p.action, p.qualifier])).toEqual([
      ['DENIED', 'execute', 'dbms.cluster.*'], ['DENIED', 'execute', 'db.labels']]);
    expect(parse('GRANT EXECUTE BOOSTED PROCEDURES * ON DBMS TO r').privileges[0]?.action)
      .toBe('execute_boosted');
    expect(parse('REVOKE GRANT EXECUTE USER DEFINED FUNCTION apoc.* ON DBMS FROM r'))
      .toMatchObject({ verb: 'REVOKE', revokes: 'GRANTED',
        privileges: [{ action: 'execute_function', qualifier: 'apoc.*' }] });
  });

  it('does not take a DBMS privilege for a role grant', () => {
    const users = userWithRole('GRANT ROLE MANAGEMENT ON DBMS');
    expect(users.roles.get('r')?.privileges.map((p) => p.action)).toEqual(['role_management']);
    run('REVOKE ROLE MANAGEMENT ON DBMS FROM r', users);
    expect(users.roles.get('r')?.privileges).toEqual([]);
  });

  it('matches names by glob: * spans dots, ? one character', () => {
    expect(globMatches('dbms.cluster.*', 'dbms.cluster.overview')).toBe(true);
    expect(globMatches('dbms.*', 'dbms.cluster.overview')).toBe(true);
    expect(globMatches('db.*', 'dbms.components')).toBe(false);
    expect(globMatches('db.l?bels', 'db.labels')).toBe(true);
    expect(globMatches('db.labels', 'db_labels')).toBe(false);
  });
});

describe('DBMS privileges enforced on the commands', () => {
  it('lets CREATE USER create users and nothing more', () => {
    const users = userWithRole('GRANT CREATE USER ON DBMS');
    run("CREATE USER v SET PASSWORD 'password2'", users, 'u');
    expect(users.get('v')).toBeDefined();
    expect(() => run('DROP USER v', users, 'u')).toThrow(/Permission denied for DROP USER\./);
    expect(() => run('SHOW USERS', users, 'u')).toThrow(/Permission denied for SHOW USER\./);
    expect(() => run("CREATE OR REPLACE USER v SET PASSWORD 'x1'", users, 'u'))
      .toThrow(/Permission denied for CREATE USER and\/or DROP USER\./);
  });

  it('lets a management privilege cover its parts unless one is denied', () => {
    const users = userWithRole('GRANT USER MANAGEMENT ON DBMS', 'DENY DROP USER ON DBMS');
    run("CREATE USER v SET PASSWORD 'password2'", users, 'u');
    run("ALTER USER v SET PASSWORD 'password3' SET STATUS SUSPENDED", users, 'u');
    expect(users.get('v')?.suspended).toBe(true);
    expect(run('SHOW USERS', users, 'u').rows.length).toBe(3);
    expect(() => run('DROP USER v', users, 'u')).toThrow(/Permission denied for DROP USER/);
  });

  it('separates passwords from user status within ALTER USER', () => {
    const users = userWithRole('GRANT SET PASSWORDS ON DBMS');
    run("ALTER USER neo4j SET PASSWORD 'password9' CHANGE NOT REQUIRED", users, 'u');
    expect(() => run('ALTER USER neo4j SET STATUS SUSPENDED', users, 'u'))
      .toThrow(/Permission denied for SET USER STATUS/);
  });

  it('guards roles and privileges with their own privileges', () => {
    const users = userWithRole('GRANT ROLE MANAGEMENT ON DBMS', 'GRANT SHOW PRIVILEGE ON DBMS');
    run('CREATE ROLE other', users, 'u');
    run('GRANT ROLE other TO neo4j', users, 'u');
    expect(run('SHOW ROLES', users, 'u').rows).toContainEqual(['other']);
    expect(run('SHOW PRIVILEGES', users, 'u').rows.length).toBeGreaterThan(0);
    expect(() => run('GRANT TRAVERSE ON GRAPH * TO other', users, 'u'))
      .toThrow(/Permission denied for ASSIGN PRIVILEGE/);
    expect(() => run('SHOW ROLES WITH USERS', users, 'u'))
      .toThrow(/Permission denied for SHOW ROLE and\/or SHOW USER/);
    run('DROP ROLE other', users, 'u');
    expect(users.roles.get('other')).toBeUndefined();
  });

  it('gives ALL DBMS PRIVILEGES every DBMS action but no graph or schema privilege', () => {
    const users = userWithRole('GRANT ALL DBMS PRIVILEGES ON DBMS');
    const rules = privilegesOf(users, 'u', DB);
    for (const action of ['create_user', 'set_user_status', 'assign_role', 'remove_privilege',
      'execute_admin'] as const) expect(rules.may(action)).toBe(true);
    expect(rules.may('index')).toBe(false);
    expect(rules.readsEverything).toBe(false);
  });

  it('refuses a user with only PUBLIC everything but their own account', () => {
    const users = userWithRole();
    expect(() => run('SHOW ROLES', users, 'u')).toThrow(/Permission denied for SHOW ROLE\./);
    expect(run('SHOW USER PRIVILEGES', users, 'u').rows.length).toBeGreaterThan(0);
    run("ALTER CURRENT USER SET PASSWORD FROM 'password1' TO 'password2'", users, 'u');
  });
});

describe('EXECUTE privileges', () => {
  it('lets PUBLIC execute every procedure but not admin ones', () => {
    const rules = privilegesOf(userWithRole(), 'u', DB);
    expect(rules.executesEveryProcedure).toBe(true);
    expect(rules.mayExecuteProcedure('dbms.cluster.overview', false)).toBe(true);
    expect(rules.mayExecuteProcedure('dbms.cluster.removeMember', true)).toBe(false);
    expect(rules.mayExecuteFunction('apoc.text.join')).toBe(true);
  });

  it('refuses procedures a DENY names, and admin procedures without admin privileges', () => {
    const users = userWithRole('DENY EXECUTE PROCEDURE dbms.cluster.* ON DBMS');
    const rules = privilegesOf(users, 'u', DB);
    expect(rules.executesEveryProcedure).toBe(false);
    expect(rules.mayExecuteProcedure('dbms.cluster.overview', false)).toBe(false);
    expect(rules.mayExecuteProcedure('db.labels', false)).toBe(true);
    expect(() => run("CALL dbms.cluster.removeMember('core-2')", users, 'u'))
      .toThrow(/Executing admin procedure is not allowed for user 'u' with roles \[PUBLIC, r\]/);
  });

  it('limits a user to the namespaces granted once PUBLIC no longer executes everything', () => {
    const users = userWithRole('GRANT EXECUTE PROCEDURE db.* ON DBMS');
    run('REVOKE EXECUTE PROCEDURE * ON DBMS FROM PUBLIC', users);
    const rules = privilegesOf(users, 'u', DB);
    expect(rules.executesEveryProcedure).toBe(false);
    expect(rules.mayExecuteProcedure('db.labels', false)).toBe(true);
    expect(rules.mayExecuteProcedure('dbms.components', false)).toBe(false);
    expect(() => run("CALL dbms.changePassword('password2')", users, 'u'))
      .toThrow(/Executing procedure is not allowed for user 'u'/);
  });

  it('lets EXECUTE ADMIN PROCEDURES or a boosted grant run admin procedures', () => {
    const admin = userWithRole('GRANT EXECUTE ADMIN PROCEDURES ON DBMS');
    expect(run("CALL dbms.cluster.removeMember('core-2')", admin, 'u').rows)
      .toEqual([['core-2', true]]);
    const boosted = privilegesOf(userWithRole(
      'GRANT EXECUTE BOOSTED PROCEDURE dbms.cluster.removeMember ON DBMS'), 'u', DB);
    expect(boosted.mayExecuteProcedure('dbms.cluster.removeMember', true)).toBe(true);
    expect(boosted.mayExecuteProcedure('dbms.listConfig', true)).toBe(false);
  });

  it('lists execute privileges as Neo4j prints them', () => {
    const users = userWithRole('DENY EXECUTE PROCEDURE dbms.cluster.* ON DBMS',
      'GRANT EXECUTE FUNCTION apoc.* ON DBMS', 'GRANT CREATE USER ON DBMS');
    const rows = run('SHOW ROLE r, PUBLIC PRIVILEGES', users).rows;
    expect(rows).toContainEqual(['DENIED', 'execute', 'database', '*',
      'PROCEDURE(dbms.cluster.*)', 'r']);
    expect(rows).toContainEqual(['GRANTED', 'execute', 'database', '*', 'FUNCTION(apoc.*)', 'r']);
    expect(rows).toContainEqual(['GRANTED', 'create_user', 'database', '*', 'database', 'r']);
    expect(rows).toContainEqual(['GRANTED', 'execute', 'database', '*', 'PROCEDURE(*)',
      'PUBLIC']);
    expect(rows).toContainEqual(['GRANTED', 'execute', 'database', '*', 'FUNCTION(*)', 'PUBLIC']);
  });
});

describe('privilege changes for the security log', () => {
  it('masks every password as Neo4j does', () => {
    expect(maskPasswords("CREATE USER a SET PASSWORD 'it''s' CHANGE NOT REQUIRED"))
      .toBe("CREATE USER a SET PASSWORD '******''s' CHANGE NOT REQUIRED");
    expect(maskPasswords("ALTER CURRENT USER SET PASSWORD FROM 'old1' TO \"new1\""))
      .toBe("ALTER CURRENT USER SET PASSWORD FROM '******' TO '******'");
    expect(maskPasswords("CALL dbms.security.createUser('bob', 'pw\\'x', false)"))
      .toBe("CALL dbms.security.createUser('bob', '******', false)");
    expect(maskPasswords("CALL dbms.changePassword('secret')"))
      .toBe("CALL dbms.changePassword('******')");
    expect(maskPasswords('ALTER USER a SET PLAINTEXT PASSWORD $pw'))
      .toBe('ALTER USER a SET PLAINTEXT PASSWORD $pw');
    expect(maskPasswords('GRANT ROLE r\n   TO a')).toBe('GRANT ROLE r TO a');
  });

  it('returns the line of a change for the caller to log after the commit', () => {
    const users = userWithRole();
    const out = run("CREATE USER v SET PASSWORD 'hunter22'", users, 'neo4j',
      { peer: '10.0.0.9:51234' });
    expect(out.audit).toBe('privilege change: user=neo4j peer=10.0.0.9:51234 ' +
      "statement=CREATE USER v SET PASSWORD '******'");
    expect(run('GRANT ROLE reader TO v', users).audit)
      .toBe('privilege change: user=neo4j statement=GRANT ROLE reader TO v');
    expect(run('SHOW USERS', users).audit).toBeUndefined();
  });

  it('logs a refused change at once, naming the missing privilege', () => {
    const users = userWithRole();
    const lines: string[] = [];
    expect(() => run('DENY EXECUTE PROCEDURE * ON DBMS TO r', users, 'u',
      { peer: '10.0.0.7:40000', securityEvent: (l) => lines.push(l) })).toThrow(/ASSIGN/);
    expect(lines).toEqual(['privilege change refused: user=u peer=10.0.0.7:40000 ' +
      'statement=DENY EXECUTE PROCEDURE * ON DBMS TO r ' +
      'reason=Permission denied for ASSIGN PRIVILEGE.']);
  });
});
