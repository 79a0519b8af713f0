import { describe, expect, it } from 'vitest';
import { matchAdminCommand, type AdminContext } from '../../src/auth/admin-commands.js';
import { privilegesOf } from '../../src/auth/privilege-set.js';
import { UserStore } from '../../src/auth/user-store.js';

const DB = { name: 'neo4j', isDefault: true };

function run(query: string, users: UserStore, user = 'neo4j') {
  const ctx: AdminContext = { user, users, params: new Map(), databaseName: 'neo4j',
    transactions: () => [], servers: () => [], removeMember: () => false };
  const cmd = matchAdminCommand(query);
  if (!cmd) throw new Error(`not an admin command: ${query}`);
  const out = cmd(ctx);
  users.apply(out.records);
  return out;
}

function storeWithUser(...roles: string[]): UserStore {
  const users = new UserStore({ password: 'pw', changeRequired: false });
  run("CREATE USER u SET PASSWORD 'password1'", users);
  if (roles.length > 0) run(`GRANT ROLE ${roles.join(', ')} TO u`, users);
  return users;
}

describe('privileges of the built-in roles', () => {
  it('gives admins everything, so their transactions are not wrapped', () => {
    const rules = privilegesOf(storeWithUser('admin'), 'u', DB);
    expect(rules.readsEverything).toBe(true);
    expect(rules.writesEverything).toBe(true);
  });

  it('lets a reader read everything and write nothing', () => {
    const rules = privilegesOf(storeWithUser('reader'), 'u', DB);
    expect(rules.readsEverything).toBe(true);
    expect(rules.mayOn('create_element', 'NODE', ['Person'])).toBe(false);
  });

  it('gives editors element writes without name management, publishers with it', () => {
    const editor = privilegesOf(storeWithUser('editor'), 'u', DB);
    expect(editor.mayOn('set_property', 'NODE', ['A'], 'x')).toBe(true);
    expect(editor.may('name_management')).toBe(false);
    expect(privilegesOf(storeWithUser('publisher'), 'u', DB).may('name_management')).toBe(true);
    expect(privilegesOf(storeWithUser('publisher'), 'u', DB).may('index')).toBe(false);
    expect(privilegesOf(storeWithUser('architect'), 'u', DB).may('index')).toBe(true);
  });

  it('gives a user with only PUBLIC no reads at all', () => {
    const rules = privilegesOf(storeWithUser(), 'u', DB);
    expect(rules.readsEverything).toBe(false);
    expect(rules.mayOn('traverse', 'NODE', ['A'])).toBe(false);
  });
});

describe('GRANT, DENY and REVOKE', () => {
  it('lets a DENY on any label win over a GRANT on another', () => {
    const users = storeWithUser();
    run('CREATE ROLE r', users);
    run('GRANT TRAVERSE ON GRAPH * NODES A, B TO r', users);
    run('DENY TRAVERSE ON GRAPH * NODES B TO r', users);
    run('GRANT ROLE r TO u', users);
    const rules = privilegesOf(users, 'u', DB);
    expect(rules.mayOn('traverse', 'NODE', ['A'])).toBe(true);
    expect(rules.mayOn('traverse', 'NODE', ['A', 'B'])).toBe(false);
    expect(rules.mayOn('traverse', 'NODE', ['C'])).toBe(false);
  });

  it('denies reading named properties without hiding the node', () => {
    const users = storeWithUser('reader');
    run('CREATE ROLE r', users);
    run('DENY MATCH {secret} ON GRAPH neo4j NODES A TO r', users);
    run('GRANT ROLE r TO u', users);
    const rules = privilegesOf(users, 'u', DB);
    expect(rules.mayOn('traverse', 'NODE', ['A'])).toBe(true);
    expect(rules.mayOn('read', 'NODE', ['A'], 'secret')).toBe(false);
    expect(rules.mayOn('read', 'NODE', ['A'], 'name')).toBe(true);
    expect(privilegesOf(users, 'u', { name: 'other', isDefault: false })
      .mayOn('read', 'NODE', ['A'], 'secret')).toBe(true);
  });

  it('revokes only the kind asked for', () => {
    const users = storeWithUser();
    run('CREATE ROLE r', users);
    run('GRANT CREATE ON GRAPH * NODES A TO r', users);
    run('DENY CREATE ON GRAPH * NODES A TO r', users);
    run('REVOKE DENY CREATE ON GRAPH * NODES A FROM r', users);
    expect(users.roles.get('r')?.privileges.map((p) => p.access)).toEqual(['GRANTED']);
    run('REVOKE CREATE ON GRAPH * NODES A FROM r', users);
    expect(users.roles.get('r')?.privileges).toEqual([]);
  });

  it('refuses WRITE with a segment, and unknown roles', () => {
    const users = storeWithUser();
    expect(() => run('GRANT WRITE ON GRAPH * NODES A TO reader', users)).toThrow(/whole graph/);
    expect(() => run('GRANT TRAVERSE ON GRAPH * TO nobody', users)).toThrow(/does not exist/);
  });

  it('lets only admins change privileges', () => {
    const users = storeWithUser('architect');
    expect(() => run('GRANT TRAVERSE ON GRAPH * TO reader', users, 'u'))
      .toThrow(/Permission denied for ASSIGN PRIVILEGE/);
  });
});

describe('roles in snapshots', () => {
  it('restores custom roles and leaves the default user in place', () => {
    const users = new UserStore({ password: 'pw', changeRequired: false });
    run('CREATE ROLE r', users);
    run('GRANT READ {x} ON GRAPH * RELATIONSHIPS T TO r', users);
    const copy = new UserStore({ password: 'pw', changeRequired: false });
    copy.restore(users.snapshot());
    expect(copy.roles.get('r')?.privileges).toEqual(users.roles.get('r')?.privileges);
    expect(copy.get('neo4j')?.roles).toContain('admin');
    expect(copy.roles.get('reader')).toBeDefined();
  });

  it('takes nothing into a snapshot while roles never changed', () => {
    const users = new UserStore({ password: 'pw', changeRequired: false });
    expect(users.snapshot()).toEqual([]);
  });
});
