/**
 * Privilege changes in logs/security.log, through the official driver against a real server:
 * who made them, from where, with passwords masked; refusals too.
 */
import fs from 'node:fs';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/cluster.js';
import { useQuiverServer } from '../helpers/server-fixture.js';

const fixture = useQuiverServer();

async function run(query: string, auth = fixture().auth): Promise<void> {
  const driver = neo4j.driver(fixture().server.boltUrl, auth);
  try {
    await driver.executeQuery(query, {}, { database: 'neo4j' });
  } finally {
    await driver.close();
  }
}

function securityLog(): string {
  const file = path.join(fixture().server.home, 'logs', 'security.log');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

/** The log's lines about privilege changes, once `count` of them are there. */
function privilegeLines(count: number): Promise<string[]> {
  return waitFor(`${count} privilege lines in security.log`, () => {
    const lines = securityLog().split('\n').filter((l) => l.includes('privilege change'));
    return Promise.resolve(lines.length >= count ? lines : null);
  }, 10_000);
}

describe('privilege changes in the security log', () => {
  it('records each change once, with the user, the peer and masked passwords', async () => {
    await run("CREATE USER auditee SET PASSWORD 'very-secret-1' CHANGE NOT REQUIRED");
    await run('CREATE ROLE audited');
    await run('GRANT TRAVERSE ON GRAPH * NODES Person TO audited');
    await run('GRANT ROLE audited TO auditee');
    await run("ALTER USER auditee SET PASSWORD 'very-secret-2' CHANGE NOT REQUIRED");
    const lines = await privilegeLines(5);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(new RegExp('privilege change: user=neo4j peer=127\\.0\\.0\\.1:\\d+ ' +
      "statement=CREATE USER auditee SET PASSWORD '\\*{6}' CHANGE NOT REQUIRED$"));
    expect(lines[2]).toContain('statement=GRANT TRAVERSE ON GRAPH * NODES Person TO audited');
    expect(securityLog()).not.toContain('very-secret');
  });

  it('records a change refused for want of a privilege', async () => {
    await run("ALTER CURRENT USER SET PASSWORD FROM 'very-secret-2' TO 'very-secret-3'",
      neo4j.auth.basic('auditee', 'very-secret-2'));
    const auth = neo4j.auth.basic('auditee', 'very-secret-3');
    await expect(run('DROP ROLE audited', auth)).rejects.toMatchObject({
      code: 'Neo.ClientError.Security.Forbidden' });
    const lines = await privilegeLines(7);
    expect(lines[5]).toMatch(new RegExp('privilege change: user=auditee .*statement=ALTER ' +
      "CURRENT USER SET PASSWORD FROM '\\*{6}' TO '\\*{6}'$"));
    expect(lines[6]).toMatch(new RegExp('privilege change refused: user=auditee peer=\\S+ ' +
      'statement=DROP ROLE audited reason=Permission denied for DROP ROLE\\.$'));
    expect(securityLog()).not.toContain('very-secret');
  });
});

describe('privilege changes over HTTP in the security log', () => {
  it('name the HTTP client the same way as a Bolt client', async () => {
    const { server } = fixture();
    const token = Buffer.from(`neo4j:${server.password}`).toString('base64');
    const response = await fetch(`http://127.0.0.1:${server.httpPort}/db/neo4j/query/v2`, {
      method: 'POST', body: JSON.stringify({ statement: 'CREATE ROLE audited_over_http' }),
      headers: { 'content-type': 'application/json', authorization: `Basic ${token}` },
    });
    expect(response.status).toBe(202);
    const lines = await privilegeLines(8);
    expect(lines[7]).toMatch(new RegExp('privilege change: user=neo4j peer=127\\.0\\.0\\.1:\\d+ ' +
      'statement=CREATE ROLE audited_over_http$'));
    expect(securityLog()).not.toMatch(/peer=http\b/);
  });
});
