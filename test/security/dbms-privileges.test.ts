/**
 * DBMS privileges, EXECUTE privileges on procedures and a restricted user's counts, through the
 * official driver against a real server process.
 */
import neo4j, { type Driver, type Record as DriverRecord } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useQuiverServer } from '../helpers/server-fixture.js';

const fixture = useQuiverServer();
const PASSWORD = 'user-password';
const FORBIDDEN = 'Neo.ClientError.Security.Forbidden';
const drivers: Driver[] = [];

async function run(driver: Driver, query: string): Promise<DriverRecord[]> {
  const session = driver.session({ database: 'neo4j' });
  try {
    return (await session.run(query)).records;
  } finally {
    await session.close();
  }
}

const admin = (query: string): Promise<DriverRecord[]> => run(fixture().driver, query);

async function failure(work: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error: unknown = await work.then(() => null, (e: unknown) => e);
  expect(error).not.toBeNull();
  return error as { code: string; message: string };
}

/** A user holding only PUBLIC and a new role of their own with `grants` (each `... TO role`). */
async function userWithRole(user: string, ...grants: string[]): Promise<Driver> {
  await admin(`CREATE USER ${user} SET PASSWORD '${PASSWORD}' CHANGE NOT REQUIRED`);
  await admin(`CREATE ROLE ${user}_role`);
  for (const g of grants) await admin(`${g} TO ${user}_role`);
  await admin(`GRANT ROLE ${user}_role TO ${user}`);
  const driver = neo4j.driver(fixture().server.boltUrl, neo4j.auth.basic(user, PASSWORD));
  drivers.push(driver);
  return driver;
}

let creator: Driver;
let roleAdmin: Driver;
let noCluster: Driver;
let operator: Driver;
let restricted: Driver;

beforeAll(async () => {
  await admin("CREATE (:Person {name: 'Ada'}), (:Person {name: 'Bob'}), " +
    "(:Person:Secret {name: 'Mole'}), (:Secret {name: 'codes'})");
  creator = await userWithRole('cathy', 'GRANT CREATE USER ON DBMS');
  roleAdmin = await userWithRole('rob', 'GRANT ROLE MANAGEMENT ON DBMS');
  noCluster = await userWithRole('nick', 'GRANT MATCH {*} ON GRAPH * ELEMENTS *',
    'DENY EXECUTE PROCEDURE dbms.cluster.* ON DBMS');
  operator = await userWithRole('olga', 'GRANT EXECUTE ADMIN PROCEDURES ON DBMS');
  restricted = await userWithRole('rita', 'GRANT MATCH {*} ON GRAPH * ELEMENTS *',
    'DENY TRAVERSE ON GRAPH * NODES Secret');
}, 120_000);

afterAll(async () => {
  await Promise.all(drivers.map((d) => d.close()));
});

describe('DBMS privileges', () => {
  it('lets CREATE USER create users, and refuses DROP USER with Neo4j\'s message', async () => {
    await run(creator, "CREATE USER newbie SET PASSWORD 'newbie-pass'");
    const users = await admin('SHOW USERS');
    expect(users.map((r) => r.get('user'))).toContain('newbie');
    const error = await failure(run(creator, 'DROP USER newbie'));
    expect(error.code).toBe(FORBIDDEN);
    expect(error.message).toMatch(/^Permission denied for DROP USER\. Try executing SHOW USER /);
  });

  it('lets ROLE MANAGEMENT manage roles but not privileges', async () => {
    await run(roleAdmin, 'CREATE ROLE helpers');
    await run(roleAdmin, 'GRANT ROLE helpers TO newbie');
    const roles = await run(roleAdmin, 'SHOW ROLES');
    expect(roles.map((r) => r.get('role'))).toContain('helpers');
    const error = await failure(run(roleAdmin, 'GRANT TRAVERSE ON GRAPH * TO helpers'));
    expect(error.code).toBe(FORBIDDEN);
    expect(error.message).toContain('Permission denied for ASSIGN PRIVILEGE.');
  });

  it('lists DBMS and EXECUTE privileges with the action names Neo4j prints', async () => {
    const rows = await admin('SHOW PRIVILEGES');
    const line = (r: DriverRecord): string => ['access', 'action', 'segment', 'role']
      .map((k) => String(r.get(k))).join(' ');
    const lines = rows.map(line);
    expect(lines).toContain('GRANTED create_user database cathy_role');
    expect(lines).toContain('GRANTED role_management database rob_role');
    expect(lines).toContain('DENIED execute PROCEDURE(dbms.cluster.*) nick_role');
    expect(lines).toContain('GRANTED execute PROCEDURE(*) PUBLIC');
    expect(lines).toContain('GRANTED execute FUNCTION(*) PUBLIC');
    expect(lines).toContain('GRANTED dbms_actions database admin');
  });
});

describe('EXECUTE privileges on procedures', () => {
  it('refuses procedures a DENY EXECUTE PROCEDURE names, and no others', async () => {
    const error = await failure(run(noCluster, 'CALL dbms.cluster.overview()'));
    expect(error.code).toBe(FORBIDDEN);
    expect(error.message).toBe("Executing procedure is not allowed for user 'nick' with roles " +
      '[PUBLIC, nick_role].');
    const profiled = await failure(run(noCluster, 'PROFILE CALL dbms.cluster.role()'));
    expect(profiled.code).toBe(FORBIDDEN);
    const labels = await run(noCluster, 'CALL db.labels() YIELD label RETURN label');
    expect(labels.map((r) => r.get('label'))).toContain('Person');
    expect(await admin('CALL dbms.cluster.overview()')).not.toHaveLength(0);
  });

  it('keeps admin procedures to admin and EXECUTE ADMIN PROCEDURES', async () => {
    const remove = "CALL dbms.cluster.removeMember('core-9')";
    const refused = await failure(run(roleAdmin, remove));
    expect(refused.code).toBe(FORBIDDEN);
    expect(refused.message).toContain('Executing admin procedure is not allowed');
    // Allowed to try: a standalone server has no member to remove.
    for (const driver of [operator, fixture().driver]) {
      const tried = await failure(run(driver, remove));
      expect(tried.code).toBe('Neo.ClientError.Statement.ArgumentError');
    }
  });
});

describe('counts for a user with a denied label', () => {
  it('count only the nodes the user may see', async () => {
    const count = async (driver: Driver, query: string): Promise<number> =>
      (await run(driver, query))[0]?.get('n').toNumber() as number;
    expect(await count(restricted, 'MATCH (n:Person) RETURN count(n) AS n')).toBe(2);
    expect(await count(restricted, 'MATCH (n) RETURN count(n) AS n')).toBe(2);
    expect(await count(restricted, 'MATCH (n:Secret) RETURN count(n) AS n')).toBe(0);
    expect(await count(fixture().driver, 'MATCH (n:Person) RETURN count(n) AS n')).toBe(3);
  });
});
