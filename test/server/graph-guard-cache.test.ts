import { describe, expect, it } from 'vitest';
import { matchAdminCommand } from '../../src/auth/admin-commands.js';
import { UserStore } from '../../src/auth/user-store.js';
import { GraphGuardCache } from '../../src/server/graph-guard-cache.js';

/** Runs a user-management command as neo4j and applies its records, as the log would. */
function admin(users: UserStore, guards: GraphGuardCache, query: string): void {
  const command = matchAdminCommand(query);
  if (!command) throw new Error(`not an admin command: ${query}`);
  const out = command({ user: 'neo4j', users, params: new Map(), databaseName: 'neo4j',
    transactions: () => [], servers: () => [], removeMember: () => false });
  users.apply(out.records);
  guards.usersChanged();
}

function setUp(): { users: UserStore; guards: GraphGuardCache } {
  const users = new UserStore({ password: 'pw', changeRequired: false });
  const guards = new GraphGuardCache(users, 'neo4j');
  admin(users, guards, "CREATE USER u SET PASSWORD 'password1'");
  return { users, guards };
}

describe('the graph guard cache', () => {
  it('puts no guard on an admin and none on the same admin again', () => {
    const { guards } = setUp();
    expect(guards.guardFor('neo4j')).toBeNull();
    expect(guards.guardFor('neo4j')).toBeNull();
  });

  it('guards a reader on every transaction', () => {
    const { users, guards } = setUp();
    admin(users, guards, 'GRANT ROLE reader TO u');
    expect(guards.guardFor('u')).not.toBeNull();
    expect(guards.guardFor('u')).not.toBeNull();
  });

  it('guards a user whose admin role was revoked after it had been unrestricted', () => {
    const { users, guards } = setUp();
    admin(users, guards, 'GRANT ROLE admin TO u');
    expect(guards.guardFor('u')).toBeNull();
    admin(users, guards, 'REVOKE ROLE admin FROM u');
    admin(users, guards, 'GRANT ROLE reader TO u');
    expect(guards.guardFor('u')).not.toBeNull();
  });

  it('follows a snapshot restore that takes the admin role away', () => {
    const { users, guards } = setUp();
    admin(users, guards, 'GRANT ROLE admin TO u');
    const withAdmin = users.snapshot();
    expect(guards.guardFor('u')).toBeNull();
    const restricted = new UserStore({ password: 'pw', changeRequired: false });
    admin(restricted, new GraphGuardCache(restricted, 'neo4j'),
      "CREATE USER u SET PASSWORD 'password1'");
    admin(restricted, new GraphGuardCache(restricted, 'neo4j'), 'GRANT ROLE reader TO u');
    users.restore(restricted.snapshot());
    guards.usersChanged();
    expect(guards.guardFor('u')).not.toBeNull();
    users.restore(withAdmin);
    guards.usersChanged();
    expect(guards.guardFor('u')).toBeNull();
  });
});
