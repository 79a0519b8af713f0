import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.js';
import {
  admin, databaseDir, fingerprintOf, flipByte, newHome, removeHomes, writeSampleGraph,
} from './admin-helpers.js';

afterEach(removeHomes);

describe('quiver-admin dump and load', () => {
  it('round-trips a database through one archive file', async () => {
    const source = newHome();
    await writeSampleGraph(source);
    const archive = path.join(newHome(), 'neo4j.dump');
    const dumped = await admin('dump', '--database=neo4j', `--to=${archive}`, '--home', source);
    expect(dumped).toMatchObject({ code: 0, stderr: '' });
    const target = newHome();
    const loaded = await admin('load', `--from=${archive}`, '--database=neo4j', '--home', target);
    expect(loaded).toMatchObject({ code: 0, stderr: '' });
    expect(await fingerprintOf(databaseDir(target))).toBe(await fingerprintOf(databaseDir(source)));
    expect(fs.readFileSync(path.join(databaseDir(target), 'store-id'), 'utf8'))
      .toBe(fs.readFileSync(path.join(databaseDir(source), 'store-id'), 'utf8'));
  });

  it('leaves a loaded database that a server opens, queries and writes to', async () => {
    const source = newHome();
    await writeSampleGraph(source, 10);
    const folder = newHome();
    expect((await admin('dump', `--to=${folder}`, '--home', source)).code).toBe(0);
    const target = newHome();
    expect((await admin('load', `--from=${path.join(folder, 'neo4j.dump')}`, '--home', target))
      .code).toBe(0);
    const db = await Database.open(databaseDir(target));
    const before = await db.run('MATCH (p:Person) RETURN count(p) AS n');
    expect(before.rows()[0]?.['n']).toBe(9n);
    await db.run('CREATE (:Person {name: "new", age: 1})');
    await expect(db.run('CREATE (:Person {name: "p1"})')).rejects.toThrow(/already exists/);
    await db.close();
    const reopened = await Database.open(databaseDir(target));
    const after = await reopened.run('MATCH (p:Person) RETURN count(p) AS n');
    expect(after.rows()[0]?.['n']).toBe(10n);
    await reopened.close();
  });

  it('refuses to overwrite a database unless --force is given', async () => {
    const source = newHome();
    await writeSampleGraph(source, 5);
    const archive = path.join(newHome(), 'a.dump');
    await admin('dump', `--to=${archive}`, '--home', source);
    const target = newHome();
    await writeSampleGraph(target, 12);
    const refused = await admin('load', `--from=${archive}`, '--home', target);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^command failed: database already exists: neo4j/);
    expect(await fingerprintOf(databaseDir(target))).not.toBe(
      await fingerprintOf(databaseDir(source)));
    expect((await admin('load', `--from=${archive}`, '--force', '--home', target)).code).toBe(0);
    expect(await fingerprintOf(databaseDir(target))).toBe(await fingerprintOf(databaseDir(source)));
  });

  it('detects a damaged archive on load and on check, and keeps the old database', async () => {
    const source = newHome();
    await writeSampleGraph(source, 8);
    const archive = path.join(newHome(), 'a.dump');
    await admin('dump', `--to=${archive}`, '--home', source);
    flipByte(archive, 20);
    const target = newHome();
    await writeSampleGraph(target, 3);
    const before = await fingerprintOf(databaseDir(target));
    const refused = await admin('load', `--from=${archive}`, '--force', '--home', target);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Not a valid QuiverDB archive: .*data checksum mismatch/);
    expect(await fingerprintOf(databaseDir(target))).toBe(before);
    const checked = await admin('check-consistency', `--backup=${archive}`);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(/data checksum mismatch/);
    expect(checked.stderr).toMatch(/^command failed: Inconsistencies found: 1 problems\./);
  });

  it('refuses an existing archive, a missing database and a running server', async () => {
    const source = newHome();
    await writeSampleGraph(source, 2);
    const archive = path.join(newHome(), 'a.dump');
    fs.writeFileSync(archive, 'x');
    expect((await admin('dump', `--to=${archive}`, '--home', source)).stderr)
      .toMatch(/^command failed: archive already exists: /);
    expect((await admin('dump', '--database=other', `--to=${archive}2`, '--home', source)).stderr)
      .toMatch(/^command failed: database does not exist: other/);
    fs.mkdirSync(path.join(source, 'run'), { recursive: true });
    fs.writeFileSync(path.join(source, 'run', 'quiver.pid'), `${process.pid}\n`);
    const running = await admin('dump', `--to=${archive}3`, '--home', source);
    expect(running.stderr).toMatch(/^command failed: the database is in use -- stop QuiverDB/);
    expect(running.code).toBe(1);
  });
});
