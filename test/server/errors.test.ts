/**
 * Failures a client sees from a real server, with Neo4j's status codes, and that the session
 * (or raw connection, after RESET) stays usable after each of them.
 */
import neo4j, { type Integer } from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { V5X4 } from '../../src/bolt/versions/v5.js';
import { connectRaw } from '../bolt/live.js';
import { msg } from '../bolt/wire.js';
import { useQuiverServer } from '../helpers/server-fixture.js';

const fixture = useQuiverServer();

async function expectCode(query: string, code: string, params: Record<string, unknown> = {}):
  Promise<void> {
  await expect(fixture().driver.executeQuery(query, params)).rejects.toMatchObject({ code });
}

describe('status codes', () => {
  it('reports a syntax error with its position', async () => {
    const failure = fixture().driver.executeQuery('RETURN 1 +');
    await expect(failure).rejects.toMatchObject({
      code: 'Neo.ClientError.Statement.SyntaxError' });
    await expect(failure).rejects.toThrow(/line 1, column 11/);
  });

  it('reports a missing parameter by name', async () => {
    const failure = fixture().driver.executeQuery('RETURN $given + $absent AS x', { given: 1 });
    await expect(failure).rejects.toMatchObject({
      code: 'Neo.ClientError.Statement.ParameterMissing' });
    await expect(failure).rejects.toThrow(/absent/);
  });

  it('reports a type error', async () => {
    await expectCode("RETURN 1 - 'a' AS x", 'Neo.ClientError.Statement.TypeError');
    await expectCode('RETURN $m.x AS x', 'Neo.ClientError.Statement.TypeError', { m: 3 });
  });

  it('reports integer division by zero as an arithmetic error', async () => {
    await expectCode('RETURN 1 / 0 AS x', 'Neo.ClientError.Statement.ArithmeticError');
  });

  it('reports an unknown procedure', async () => {
    await expectCode('CALL db.noSuchProcedure()', 'Neo.ClientError.Procedure.ProcedureNotFound');
  });

  it('reports a uniqueness violation and keeps only the first node', async () => {
    const { driver } = fixture();
    await driver.executeQuery('CREATE CONSTRAINT person_id FOR (p:Person) REQUIRE p.id IS UNIQUE');
    await driver.executeQuery('CREATE (:Person {id: 1, name: "first"})');
    await expectCode('CREATE (:Person {id: 1, name: "second"})',
      'Neo.ClientError.Schema.ConstraintValidationFailed');
    const { records } = await driver.executeQuery(
      'MATCH (p:Person {id: 1}) RETURN collect(p.name) AS names');
    expect(records[0]?.get('names')).toEqual(['first']);
  });

  it('reports deleting a node that still has relationships', async () => {
    const { driver } = fixture();
    await driver.executeQuery('CREATE (:Holder {k: 1})-[:HOLDS]->(:Held)');
    await expectCode('MATCH (h:Holder {k: 1}) DELETE h',
      'Neo.ClientError.Schema.ConstraintValidationFailed');
  });

  it('reports an unknown database', async () => {
    const session = fixture().driver.session({ database: 'nosuchdb' });
    try {
      await expect(session.run('RETURN 1')).rejects.toMatchObject({
        code: 'Neo.ClientError.Database.DatabaseNotFound' });
    } finally {
      await session.close();
    }
  });
});

describe('after a failure', () => {
  it('keeps the session usable for the next query (the driver sends RESET)', async () => {
    const session = fixture().driver.session();
    try {
      await expect(session.run('RETURN 1 +')).rejects.toMatchObject({
        code: 'Neo.ClientError.Statement.SyntaxError' });
      const again = await session.run('RETURN 2 AS n');
      expect(again.records[0]?.get('n')).toEqual(neo4j.int(2));
    } finally {
      await session.close();
    }
  });

  it('rolls back the whole explicit transaction in which a statement failed', async () => {
    const session = fixture().driver.session();
    try {
      const tx = session.beginTransaction();
      await tx.run('CREATE (:HalfDone)');
      await expect(tx.run('RETURN 1 / 0')).rejects.toMatchObject({
        code: 'Neo.ClientError.Statement.ArithmeticError' });
      await expect(tx.commit()).rejects.toThrow();
      const count = await session.run('MATCH (h:HalfDone) RETURN count(h) AS n');
      expect((count.records[0]?.get('n') as Integer).toNumber()).toBe(0);
    } finally {
      await session.close();
    }
  });

  it('ignores pipelined requests after FAILURE until RESET, then serves again', async () => {
    const { server } = fixture();
    const client = await connectRaw(server.boltPort, V5X4);
    try {
      client.send([...msg.hello({ user_agent: 'quiver-test/1' }),
        ...msg.logon({ scheme: 'basic', principal: 'neo4j', credentials: server.password })]);
      expect((await client.next()).type).toBe('SUCCESS');
      expect((await client.next()).type).toBe('SUCCESS');
      client.send([...msg.run('RETURN 1 +'), ...msg.pull(-1n), ...msg.run('RETURN 1')]);
      const failure = await client.next();
      expect(failure.type).toBe('FAILURE');
      expect(failure.meta.get('code')).toBe('Neo.ClientError.Statement.SyntaxError');
      expect((await client.next()).type).toBe('IGNORED');
      expect((await client.next()).type).toBe('IGNORED');
      client.send([...msg.reset(), ...msg.run('RETURN 5 AS n'), ...msg.pull(-1n)]);
      expect((await client.next()).type).toBe('SUCCESS');
      expect((await client.next()).type).toBe('SUCCESS');
      expect((await client.summary()).records).toEqual([[5n]]);
    } finally {
      client.close();
    }
  });
});
