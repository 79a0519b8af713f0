import { describe, expect, it } from 'vitest';
import { matchAdminCommand } from '../../src/auth/admin-commands.js';
import { UserStore } from '../../src/auth/user-store.js';
import { GraphGuardCache } from '../../src/server/graph-guard-cache.js';

/** Runs a user-management command as neo4j and applies its records, as the log would. */
function admin(users: UserStore, query: string): void {
  const command = matchAdminCommand(query);
  if (!command) throw new Error(`not an admin command: ${query}`);
  const out = command({ user: 'neo4j', users, params: new Map(), databaseName: 'neo4j',
    transactions: () => [], servers: () => [], removeMember: () => false });
  users.apply(out.records);
}

function setUp(): { users: UserStore; guards: GraphGuardCache } {
  const users = new UserStore({ password: 'pw', changeRequired: false });
  const guards = new GraphGuardCache(users, 'neo4j');
  admin(users, "CREATE USER u SET PASSWORD 'password1'");
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
    admin(users, 'GRANT ROLE reader TO u');
    expect(guards.guardFor('u')).not.toBeNull();
    expect(guards.guardFor('u')).not.toBeNull();
  });

  it('guards a user whose admin role was revoked after it had been unrestricted', () => {
    const { users, guards } = setUp();
    admin(users, 'GRANT ROLE admin TO u');
    expect(guards.guardFor('u')).toBeNull();
    admin(users, 'REVOKE ROLE admin FROM u');
    admin(users, 'GRANT ROLE reader TO u');
    expect(guards.guardFor('u')).not.toBeNull();
  });

  it('follows a snapshot restore that takes the admin role away', () => {
    const { users, guards } = setUp();
    admin(users, 'GRANT ROLE admin TO u');
    const withAdmin = users.snapshot();
    expect(guards.guardFor('u')).toBeNull();
    const restricted = new UserStore({ password: 'pw', changeRequired: false });
    admin(restricted, "CREATE USER u SET PASSWORD 'password1'");
    admin(restricted, 'GRANT ROLE reader TO u');
    users.restore(restricted.snapshot());
    expect(guards.guardFor('u')).not.toBeNull();
    users.restore(withAdmin);
    expect(guards.guardFor('u')).toBeNull();
  });
});
