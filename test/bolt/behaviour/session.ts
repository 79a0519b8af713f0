import { expect, it } from 'vitest';
import type { VersionTable } from '../../../src/bolt/versions/version-table.js';
import type { Live } from '../live.js';
import { BASIC_AUTH, connectRaw, hasLogon, openSession } from '../live.js';
import { message, msg } from '../wire.js';

/** Connection set-up, authentication and protocol violations: every version. */
export function sessionBehaviour(live: () => Live, table: VersionTable): void {
  it('answers HELLO with the server agent and a connection id', async () => {
    const { client, hello } = await openSession(live().server.port, table);
    expect(hello.meta.get('server')).toBe('Neo4j/5.26.0');
    expect(hello.meta.get('connection_id')).toMatch(/^bolt-\d+$/);
    expect(hello.meta.has('hints')).toBe(table.features.hints);
    client.close();
  });

  it('answers bad credentials with Unauthorized and closes', async () => {
    const client = await connectRaw(live().server.port, table);
    const auth = { ...BASIC_AUTH, credentials: 'wrong' };
    if (hasLogon(table)) {
      client.send([...msg.hello({ user_agent: 't' }), ...msg.logon(auth)]);
      expect((await client.next()).type).toBe('SUCCESS');
    } else {
      client.send(msg.hello({ user_agent: 't', ...auth }));
    }
    const failure = await client.next();
    expect(failure.type).toBe('FAILURE');
    expect(failure.meta.get('code')).toBe('Neo.ClientError.Security.Unauthorized');
    await client.waitClosed();
  });

  it('refuses anything but HELLO before authentication, and closes', async () => {
    const client = await connectRaw(live().server.port, table);
    client.send(msg.run('RETURN 1'));
    expect((await client.next()).meta.get('code')).toBe('Neo.ClientError.Request.Invalid');
    await client.waitClosed();
  });

  it('answers an unknown signature with Request.Invalid and closes', async () => {
    const { client } = await openSession(live().server.port, table);
    client.send(message(0x55, 'x'));
    const failure = await client.next();
    expect(failure.type).toBe('FAILURE');
    expect(failure.meta.get('code')).toBe('Neo.ClientError.Request.Invalid');
    await client.waitClosed();
  });

  it('answers a message in the wrong state with FAILURE, and RESET recovers', async () => {
    const { client } = await openSession(live().server.port, table);
    client.send([...msg.commit(), ...msg.run('RETURN 1')]);
    expect((await client.next()).meta.get('code')).toBe('Neo.ClientError.Request.Invalid');
    expect((await client.next()).type).toBe('IGNORED');
    client.send(msg.reset());
    expect((await client.next()).type).toBe('SUCCESS');
    client.close();
  });

  it('closes quietly on GOODBYE', async () => {
    const { client } = await openSession(live().server.port, table);
    client.send(msg.goodbye());
    await client.waitClosed();
    expect(client.closed).toBe(true);
  });

  it('reports FAILURE in the shape the version expects', async () => {
    const { client } = await openSession(live().server.port, table);
    client.send(msg.run('RETURN 1 +'));
    const failure = await client.next();
    expect(failure.meta.get('code')).toBe('Neo.ClientError.Statement.SyntaxError');
    expect(failure.meta.has('neo4j_code')).toBe(table.features.gqlErrors);
    if (table.features.gqlErrors) {
      expect(failure.meta.get('neo4j_code')).toBe('Neo.ClientError.Statement.SyntaxError');
      expect(failure.meta.get('gql_status')).toMatch(/^[0-9A-Z]{5}$/);
    }
    client.close();
  });
}

/** 5.1+: LOGOFF returns to AUTHENTICATION, LOGON authenticates again. */
export function logonBehaviour(live: () => Live, table: VersionTable): void {
  it('re-authenticates after LOGOFF', async () => {
    const { client } = await openSession(live().server.port, table);
    client.send([...msg.logoff(), ...msg.logon(BASIC_AUTH), ...msg.run('RETURN 1'),
      ...msg.pull(-1n)]);
    expect((await client.next()).type).toBe('SUCCESS');
    expect((await client.next()).type).toBe('SUCCESS');
    expect((await client.next()).type).toBe('SUCCESS');
    const { records } = await client.summary();
    expect(records).toEqual([[1n]]);
    client.close();
  });
}

/** Messages the version does not have are refused, naming the version that adds them. */
export function missingMessageBehaviour(live: () => Live, table: VersionTable): void {
  it('refuses ROUTE, naming Bolt 4.3', async () => {
    const { client } = await openSession(live().server.port, table);
    client.send(msg.route({}, [], null));
    const failure = await client.next();
    expect(failure.meta.get('code')).toBe('Neo.ClientError.Request.Invalid');
    expect(String(failure.meta.get('message'))).toContain('4.3');
    await client.waitClosed();
  });
}
