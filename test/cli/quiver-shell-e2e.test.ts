import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as admin } from '../../src/cli/quiver-admin.js';
import { main as shell } from '../../src/cli/quiver-shell.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createSilentLogger } from '../../src/config/logger.js';
import { startServer } from '../../src/server/start.js';

let home: string;
let server: { boltPort: number; stop(): Promise<void> };

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'quiver-shell-e2e-'));
  fs.mkdirSync(path.join(home, 'conf'));
  fs.writeFileSync(path.join(home, 'conf', 'quiver.conf'),
    'dbms.connector.bolt.listen_address=127.0.0.1:0\n' +
    'dbms.connector.http.listen_address=127.0.0.1:0\n');
  expect(await admin(['set-initial-password', 'secret', '--home', home],
    { env: {}, stdout: () => undefined })).toBe(0);
  server = await startServer(loadConfig({ home, env: {} }), createSilentLogger());
});

afterAll(async () => {
  await server.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

async function run(input: string, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await shell(['-a', `bolt://127.0.0.1:${server.boltPort}`, '-u', 'neo4j',
    '-p', 'secret', ...args], {
    env: {}, stdin: Readable.from([input]), stdoutIsTTY: false,
    stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; },
  });
  return { code, stdout, stderr };
}

describe('quiver-shell against a real server', () => {
  it('runs piped statements and prints them in plain format', async () => {
    const result = await run("CREATE (:Person {name: 'Keanu Reeves', born: 1964});\n" +
      "CREATE (:Person {name: 'Carrie-Anne Moss', born: 1967});\n" +
      'MATCH (p:Person) RETURN p.name AS name, p.born AS born ORDER BY born;\n');
    expect(result).toEqual({ code: 0, stderr: '',
      stdout: 'name, born\n"Keanu Reeves", 1964\n"Carrie-Anne Moss", 1967\n' });
  });

  it('prints the verbose table with its footer and statistics', async () => {
    const result = await run("CREATE (n:Movie {title: 'The Matrix'}) RETURN n;", '--format',
      'verbose');
    expect(result.stdout)
      .toMatch(/^\+-+\+\n\| n +\|\n\+-+\+\n\| \(:Movie \{title: "The Matrix"\}\) \|\n/);
    expect(result.stdout).toMatch(new RegExp('\\n1 row\\nready to start consuming query after ' +
      '\\d+ ms, results consumed after another \\d+ ms\\n' +
      'Added 1 nodes, Set 1 properties, Added 1 labels\\n$'));
  });

  it('stops at a failing statement with the server message on stderr and exit code 1', async () => {
    const result = await run('RETURN 1 AS x;\nRETRUN 2;\nRETURN 3 AS y;\n');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('x\n1\n');
    expect(result.stderr).toMatch(/^Invalid input 'RETRUN'/);
  });

  it('uses parameters and explicit transactions', async () => {
    const result = await run(":param who => 'Keanu Reeves'\n:begin\n" +
      'MATCH (p:Person {name: $who}) SET p.rating = 5 RETURN p.rating AS rating;\n:rollback\n' +
      'MATCH (p:Person {name: $who}) RETURN p.rating AS rating;\n', '-P', 'unused => 1');
    expect(result).toEqual({ code: 0, stderr: '', stdout: 'rating\n5\nrating\nNULL\n' });
  });

  it('runs a statement given on the command line and fails on bad credentials', async () => {
    expect((await run('', "RETURN 'a' AS s")).stdout).toBe('s\n"a"\n');
    let stderr = '';
    const code = await shell(['-a', `bolt://127.0.0.1:${server.boltPort}`, '-u', 'neo4j',
      '-p', 'wrong', 'RETURN 1'], { env: {}, stderr: (text) => { stderr += text; } });
    expect(code).toBe(1);
    expect(stderr).toMatch(/unauthorized/i);
  });
});
