/**
 * Privileges through the official driver against a real server process: built-in roles,
 * custom roles with GRANT / DENY / REVOKE, invisible denied data, and SHOW PRIVILEGES.
 */
import neo4j, { type Driver, type Record as DriverRecord } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useQuiverServer } from '../helpers/server-fixture.js';

const fixture = useQuiverServer();
const PASSWORD = 'user-password';
const drivers: Driver[] = [];

async function run(driver: Driver, query: string, params: Record<string, unknown> = {}):
  Promise<DriverRecord[]> {
  const session = driver.session({ database: 'neo4j' });
  try {
    return (await session.run(query, params)).records;
  } finally {
    await session.close();
  }
}

const admin = (query: string): Promise<DriverRecord[]> => run(fixture().driver, query);

function driverFor(user: string): Driver {
  const driver = neo4j.driver(fixture().server.boltUrl, neo4j.auth.basic(user, PASSWORD));
  drivers.push(driver);
  return driver;
}

async function createUser(user: string, ...roles: string[]): Promise<Driver> {
  await admin(`CREATE USER ${user} SET PASSWORD '${PASSWORD}' CHANGE NOT REQUIRED`);
  if (roles.length > 0) await admin(`GRANT ROLE ${roles.join(', ')} TO ${user}`);
  return driverFor(user);
}

async function failure(work: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error: unknown = await work.then(() => null, (e: unknown) => e);
  expect(error).not.toBeNull();
  return error as { code: string; message: string };
}

let reader: Driver;
let editor: Driver;
let publisher: Driver;
let architect: Driver;
let spy: Driver;

beforeAll(async () => {
  await admin("CREATE (:Person {name: 'Ada'})-[:KNOWS]->(:Person {name: 'Bob'}), " +
    "(:Secret {name: 'launch codes', code: 1234}), (:Agent {name: 'Eve', alias: 'x'})");
  reader = await createUser('rita', 'reader');
  editor = await createUser('ed', 'editor');
  publisher = await createUser('pat', 'publisher');
  architect = await createUser('archie', 'architect');
  await admin('CREATE ROLE analyst AS COPY OF reader');
  await admin('DENY MATCH {*} ON GRAPH * NODES Secret TO analyst');
  await admin('DENY READ {alias} ON GRAPH * NODES Agent TO analyst');
  spy = await createUser('sam', 'analyst');
}, 60_000);

afterAll(async () => {
  await Promise.all(drivers.map((d) => d.close()));
});

describe('built-in roles', () => {
  it('lets a reader read but not write', async () => {
    const rows = await run(reader, 'MATCH (p:Person) RETURN p.name AS name ORDER BY name');
    expect(rows.map((r) => r.get('name'))).toEqual(['Ada', 'Bob']);
    const error = await failure(run(reader, "CREATE (:Person {name: 'Mallory'})"));
    expect(error.code).toBe('Neo.ClientError.Security.Forbidden');
    expect(error.message).toContain("Create node with labels 'Person'");
    expect(error.message).toContain("user 'rita' with roles [PUBLIC, reader]");
    const count = await admin("MATCH (p:Person {name: 'Mallory'}) RETURN count(p) AS n");
    expect(count[0]?.get('n').toNumber()).toBe(0);
  });

  it('lets an editor write with existing names but not invent new ones', async () => {
    await run(editor, "CREATE (:Person {name: 'Carol'})");
    await run(editor, "MATCH (p:Person {name: 'Carol'}) SET p.name = 'Caroline'");
    const label = await failure(run(editor, 'CREATE (:Planet)'));
    expect(label.code).toBe('Neo.ClientError.Security.Forbidden');
    expect(label.message).toContain("new node label 'Planet'");
    const key = await failure(run(editor, "MATCH (p:Person {name: 'Ada'}) SET p.born = 1815"));
    expect(key.message).toContain("new property key 'born'");
  });

  it('lets a publisher create new names but not indexes; an architect creates indexes',
    async () => {
      await run(publisher, 'CREATE (:Planet {mass: 1})');
      const createIndex = 'CREATE INDEX planet_mass FOR (p:Planet) ON (p.mass)';
      const index = await failure(run(publisher, createIndex));
      expect(index.code).toBe('Neo.ClientError.Security.Forbidden');
      await run(architect, createIndex);
      const indexes = await admin('SHOW INDEXES YIELD name RETURN name');
      expect(indexes.map((r) => r.get('name'))).toContain('planet_mass');
    });

  it('keeps user management to admins', async () => {
    for (const driver of [reader, editor, publisher, architect]) {
      const error = await failure(run(driver, "CREATE USER intruder SET PASSWORD 'whatever1'"));
      expect(error.code).toBe('Neo.ClientError.Security.Forbidden');
    }
    expect(await failure(run(editor, 'CREATE ROLE mine')))
      .toMatchObject({ code: 'Neo.ClientError.Security.Forbidden' });
    expect(await failure(run(editor, 'GRANT WRITE ON GRAPH * TO reader')))
      .toMatchObject({ code: 'Neo.ClientError.Security.Forbidden' });
    const users = await admin('SHOW USERS');
    expect(users.map((r) => r.get('user'))).not.toContain('intruder');
  });
});

describe('denied reads are invisible', () => {
  it('hides denied nodes from MATCH, counts and db.labels()', async () => {
    expect(await run(spy, 'MATCH (s:Secret) RETURN s')).toHaveLength(0);
    const all = await run(spy, 'MATCH (n) RETURN count(*) AS n');
    const everything = await admin('MATCH (n) RETURN count(*) AS n');
    expect(all[0]?.get('n').toNumber()).toBe(everything[0]?.get('n').toNumber() - 1);
    const labels = await run(spy, 'CALL db.labels() YIELD label RETURN label');
    expect(labels.map((r) => r.get('label'))).not.toContain('Secret');
    expect(labels.map((r) => r.get('label'))).toContain('Person');
    const names = await run(spy, 'MATCH (n) WHERE n.name IS NOT NULL RETURN n.name AS name');
    expect(names.map((r) => r.get('name'))).not.toContain('launch codes');
    const adminLabels = await admin('CALL db.labels() YIELD label RETURN label');
    expect(adminLabels.map((r) => r.get('label'))).toContain('Secret');
  });

  it('reads a denied property as null, and the rest of the node as usual', async () => {
    const rows = await run(spy, "MATCH (a:Agent) RETURN a.name AS name, a.alias AS alias, " +
      'keys(a) AS keys');
    expect(rows[0]?.get('name')).toBe('Eve');
    expect(rows[0]?.get('alias')).toBeNull();
    expect(rows[0]?.get('keys')).toEqual(['name']);
    const found = await run(spy, "MATCH (a:Agent {alias: 'x'}) RETURN a");
    expect(found).toHaveLength(0);
  });

  it('shows the data again once the denial is revoked', async () => {
    await admin('CREATE ROLE curious');
    await admin('GRANT MATCH {*} ON GRAPH * NODES Person TO curious');
    const nosy = await createUser('nora', 'curious');
    const before = await run(nosy, 'MATCH (n) RETURN labels(n) AS labels');
    expect(before.map((r) => r.get('labels'))).toEqual([['Person'], ['Person'], ['Person']]);
    await admin('DENY TRAVERSE ON GRAPH * NODES Person TO curious');
    expect(await run(nosy, 'MATCH (n) RETURN n')).toHaveLength(0);
    await admin('REVOKE DENY TRAVERSE ON GRAPH * NODES Person FROM curious');
    expect(await run(nosy, 'MATCH (n:Person) RETURN n')).toHaveLength(3);
  });
});

describe('SHOW PRIVILEGES', () => {
  it("lists Neo4j's columns for built-in and custom roles", async () => {
    const rows = await admin('SHOW PRIVILEGES');
    expect(rows[0]?.keys).toEqual(['access', 'action', 'resource', 'graph', 'segment', 'role']);
    const of = (role: string): string[] => rows.filter((r) => r.get('role') === role)
      .map((r) => ['access', 'action', 'resource', 'graph', 'segment']
        .map((k) => String(r.get(k))).join(' '));
    expect(of('editor')).toContain('GRANTED write graph * NODE(*)');
    expect(of('analyst')).toContain('DENIED match all_properties * NODE(Secret)');
    expect(of('analyst')).toContain('DENIED read property(alias) * NODE(Agent)');
  });

  it("shows a user's own privileges, and a role's", async () => {
    const mine = await run(spy, 'SHOW USER PRIVILEGES');
    expect(mine.every((r) => r.get('user') === 'sam')).toBe(true);
    expect(mine.map((r) => r.get('role'))).toEqual(expect.arrayContaining(['PUBLIC', 'analyst']));
    expect(await failure(run(spy, 'SHOW USER neo4j PRIVILEGES')))
      .toMatchObject({ code: 'Neo.ClientError.Security.Forbidden' });
    const role = await admin('SHOW ROLE reader PRIVILEGES');
    expect(role.map((r) => r.get('action'))).toEqual(expect.arrayContaining(['access', 'match']));
    const roles = await admin('SHOW ROLES');
    expect(roles.map((r) => r.get('role'))).toEqual(expect.arrayContaining(['analyst', 'admin']));
  });

  it('keeps roles and privileges across a restart (they are in the log)', async () => {
    await fixture().server.restart();
    expect(await run(spy, 'MATCH (s:Secret) RETURN s')).toHaveLength(0);
    expect(await run(spy, 'MATCH (p:Person) RETURN p')).not.toHaveLength(0);
    await admin('DROP ROLE analyst');
    const roles = await admin('SHOW ROLES');
    expect(roles.map((r) => r.get('role'))).not.toContain('analyst');
    expect(await run(spy, 'MATCH (p:Person) RETURN p')).toHaveLength(0);
  });
});
