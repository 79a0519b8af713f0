import { describe, expect, it } from 'vitest';
import { matchAdminCommand, type AdminContext, type RunningTransaction } from '../../src/auth/admin-commands.js';
import { UserStore } from '../../src/auth/user-store.js';
import { verifyPasswordSync } from '../../src/auth/password.js';
import { QuiverError } from '../../src/errors/quiver-error.js';
import type { Value } from '../../src/graph/values.js';

function context(users: UserStore, user = 'neo4j', txs: RunningTransaction[] = [],
  params = new Map<string, Value>()): AdminContext {
  return { user, users, params, databaseName: 'neo4j', transactions: () => txs,
    servers: () => [{ id: 'core-1', address: 'localhost:7687', role: 'LEADER', healthy: true,
      groups: [], lastCommittedIndex: 12, lastAppliedIndex: 10, lagBehindLeader: 2,
      upstream: null }],
    removeMember: () => false };
}

function run(query: string, ctx: AdminContext) {
  const cmd = matchAdminCommand(query);
  if (!cmd) throw new Error(`not an admin command: ${query}`);
  const out = cmd(ctx);
  ctx.users.apply(out.records);
  return out;
}

describe('user management commands', () => {
  it('changes the default password and clears the forced change', () => {
    const users = new UserStore({ password: 'neo4j', changeRequired: true });
    run("ALTER CURRENT USER SET PASSWORD FROM 'neo4j' TO 'secret'", context(users));
    const me = users.get('neo4j')!;
    expect(me.passwordChangeRequired).toBe(false);
    expect(verifyPasswordSync('secret', me.passwordHash)).toBe(true);
  });

  it('refuses a wrong old password and an unchanged one', () => {
    const users = new UserStore({ password: 'neo4j', changeRequired: true });
    expect(() => run("ALTER CURRENT USER SET PASSWORD FROM 'nope' TO 'x'", context(users)))
      .toThrowError(/Invalid principal or credentials/);
    expect(() => run("ALTER CURRENT USER SET PASSWORD FROM 'neo4j' TO 'neo4j'", context(users)))
      .toThrowError(/cannot be the same/);
  });

  it('creates, lists, grants roles to and drops users; only admins may', () => {
    const users = new UserStore({ password: 'neo4j', changeRequired: false });
    run('CREATE USER alice SET PASSWORD $pw CHANGE NOT REQUIRED',
      context(users, 'neo4j', [], new Map([['pw', 'pa55']])));
    run('GRANT ROLE reader TO alice', context(users));
    const shown = run('SHOW USERS', context(users)).rows.map((r) => [r[0], r[1], r[2]]);
    expect(shown).toEqual([['alice', ['PUBLIC', 'reader'], false], ['neo4j', ['admin', 'PUBLIC'], false]]);
    let denied: unknown;
    try { run('DROP USER neo4j', context(users, 'alice')); } catch (e) { denied = e; }
    expect((denied as QuiverError).code).toBe('Neo.ClientError.Security.Forbidden');
    run('DROP USER alice', context(users));
    expect(users.get('alice')).toBeUndefined();
  });

  it('lists and terminates running transactions', () => {
    const users = new UserStore({ password: 'neo4j', changeRequired: false });
    let terminated = false;
    const tx: RunningTransaction = { id: 'neo4j-transaction-7', user: 'neo4j', startedAtMs: Date.now(),
      currentQuery: 'MATCH (n) RETURN n', status: 'Running', terminate: () => { terminated = true; } };
    const shown = run('SHOW TRANSACTIONS', context(users, 'neo4j', [tx]));
    expect(shown.rows.map((r) => r[1])).toEqual(['neo4j-transaction-7']);
    const out = run("TERMINATE TRANSACTIONS 'neo4j-transaction-7', 'neo4j-transaction-99'",
      context(users, 'neo4j', [tx]));
    expect(out.rows.map((r) => r[2])).toEqual(['Transaction terminated.', 'Transaction not found.']);
    expect(terminated).toBe(true);
  });

  it('lists the cluster members with SHOW SERVERS', () => {
    const users = new UserStore({ password: 'neo4j', changeRequired: false });
    const out = run('SHOW SERVERS', context(users));
    expect(out.rows.map((r) => [r[0], r[3], r[4], r[6]])).toEqual([['core-1', 'Enabled', 'Available', 'LEADER']]);
    expect(out.fields.slice(-4)).toEqual(['lastCommittedIndex', 'lastAppliedIndex',
      'lagBehindLeader', 'upstream']);
    expect(out.rows[0]?.slice(-4)).toEqual([12n, 10n, 2n, null]);
  });

  it('leaves ordinary Cypher alone', () => {
    expect(matchAdminCommand('MATCH (n) RETURN n')).toBeNull();
  });
});
