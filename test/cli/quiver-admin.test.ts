import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readInitialPassword } from '../../src/cli/admin/set-initial-password.js';
import { main } from '../../src/cli/quiver-admin.js';

let home: string;
let out: string;
let err: string;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'quiver-admin-'));
  out = '';
  err = '';
});

afterEach(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

function admin(...argv: string[]): Promise<number> {
  return main(argv, { env: {}, stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
}

describe('quiver-admin set-initial-password', () => {
  it('writes the initial password file the server reads on first start', async () => {
    expect(await admin('set-initial-password', 's3cret', '--home', home)).toBe(0);
    expect(out).toBe("Changed password for user 'neo4j'.\n");
    const file = path.join(home, 'data', 'dbms', 'initial-password');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(readInitialPassword(path.join(home, 'data'))).toEqual(
      { user: 'neo4j', password: 's3cret', requirePasswordChange: false });
  });

  it('accepts the Neo4j 5 spelling and its --require-password-change', async () => {
    expect(await admin('dbms', 'set-initial-password', 'pw', '--require-password-change',
      '--home', home)).toBe(0);
    expect(readInitialPassword(path.join(home, 'data'))?.requirePasswordChange).toBe(true);
  });

  it('refuses once users exist', async () => {
    fs.mkdirSync(path.join(home, 'data', 'dbms'), { recursive: true });
    fs.writeFileSync(path.join(home, 'data', 'dbms', 'auth'), 'neo4j:hash\n');
    expect(await admin('set-initial-password', 'pw', '--home', home)).toBe(1);
    expect(err).toMatch(new RegExp('^command failed: the provided initial password was not ' +
      'set because existing users were detected at `.*data/dbms/auth`'));
  });

  it('fails on a missing password and an unknown command', async () => {
    expect(await admin('set-initial-password', '--home', home)).toBe(1);
    expect(err).toMatch(/missing required argument 'password'/);
    expect(await admin('frobnicate')).toBe(1);
  });
});
