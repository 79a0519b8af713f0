/**
 * A whole server configured through quiver.conf the way an operator would: certificates made
 * by `quiver-admin certificates create`, Bolt with tls_level=REQUIRED, HTTPS answering the
 * Query API, the brute-force lockout from dbms.security.*, and logs/security.log recording it.
 */
import fs from 'node:fs';
import { request } from 'node:https';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runQuery } from './query-client.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createSilentLogger } from '../../src/config/logger.js';
import type { QuiverConfig } from '../../src/config/quiver-config.js';
import { runProgram } from '../../src/cli/run-commander.js';
import { certificatesCommand } from '../../src/security/certificates-command.js';
import { securityLogFile } from '../../src/security/server-security.js';
import { startServer, type RunningServer } from '../../src/server/start.js';
import { temporaryDir } from './fixtures.js';

const PASSWORD = 'a-good-password';
let home: string;
let config: QuiverConfig;
let server: RunningServer;
const printed: string[] = [];

beforeAll(async () => {
  home = temporaryDir('server-security');
  fs.mkdirSync(path.join(home, 'conf'));
  fs.writeFileSync(path.join(home, 'conf', 'quiver.conf'), [
    'server.bolt.listen_address=127.0.0.1:0', 'server.http.enabled=false',
    'server.https.enabled=true', 'server.https.listen_address=127.0.0.1:0',
    'server.backup.enabled=false', 'dbms.connector.bolt.tls_level=REQUIRED',
    'dbms.ssl.policy.bolt.enabled=true', 'dbms.ssl.policy.https.enabled=true',
    'dbms.security.auth_max_failed_attempts=2', 'dbms.security.auth_lock_time=1h',
  ].join('\n'));
  const output = { stdout: (t: string) => printed.push(t), stderr: (t: string) => printed.push(t) };
  const code = await runProgram((setExitCode) => certificatesCommand({}, output, setExitCode),
    ['create', '--home', home, '--scope', 'bolt', '--scope', 'https'], output);
  expect(code).toBe(0);
  config = loadConfig({ home, env: { NEO4J_AUTH: `neo4j/${PASSWORD}` }, cwd: home });
  server = await startServer(config, createSilentLogger());
});

afterAll(async () => {
  await server?.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

function securityLog(): string {
  return fs.readFileSync(securityLogFile(config), 'utf8');
}

async function verify(url: string, password: string): Promise<void> {
  const driver = neo4j.driver(url, neo4j.auth.basic('neo4j', password),
    { connectionTimeout: 5000 });
  try {
    await driver.verifyConnectivity();
  } finally {
    await driver.close();
  }
}

describe('quiver-admin certificates create', () => {
  it('writes a key readable only by its owner, and says which settings enable TLS', () => {
    const key = path.join(config.directories.certificates, 'bolt', 'private.key');
    expect(fs.statSync(key).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(path.join(config.directories.certificates, 'https', 'trusted',
      'ca.crt'))).toBe(true);
    expect(printed.join('')).toContain('dbms.ssl.policy.bolt.enabled=true');
  });

  it('refuses an unknown scope', async () => {
    const errors: string[] = [];
    const output = { stdout: () => undefined, stderr: (t: string) => errors.push(t) };
    const code = await runProgram((set) => certificatesCommand({}, output, set),
      ['create', '--home', home, '--scope', 'ftp'], output);
    expect(code).toBe(1);
    expect(errors.join('')).toContain("unknown scope 'ftp'");
  });
});

describe('a server with TLS required', () => {
  it('serves bolt+ssc:// and refuses plaintext, logging the refusal', async () => {
    await verify(`bolt+ssc://127.0.0.1:${server.boltPort}`, PASSWORD);
    await expect(verify(`bolt://127.0.0.1:${server.boltPort}`, PASSWORD)).rejects.toMatchObject({
      code: 'ServiceUnavailable' });
    expect(securityLog())
      .toMatch(/bolt connection refused: peer=127\.0\.0\.1:\d+ reason=plaintext/);
  });

  it('answers the Query API over HTTPS, verified against the development CA', async () => {
    const ca = fs.readFileSync(path.join(config.directories.certificates, 'ca', 'ca.crt'));
    const port = server.httpsPort;
    expect(port).not.toBeNull();
    const answer = await runQuery({ port: port ?? 0, ca, user: 'neo4j', password: PASSWORD,
      statement: 'RETURN 40 + 2 AS answer', request });
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ data: { fields: ['answer'], values: [[42]] } });
  });
});

describe('the login lockout', () => {
  it('locks a user out after auth_max_failed_attempts, and logs every step', async () => {
    const url = `bolt+ssc://127.0.0.1:${server.boltPort}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(verify(url, 'wrong')).rejects.toMatchObject({
        code: 'Neo.ClientError.Security.Unauthorized' });
    }
    await expect(verify(url, PASSWORD)).rejects.toMatchObject({
      code: 'Neo.ClientError.Security.AuthenticationRateLimit' });
    const log = securityLog();
    expect(log).toMatch(/login: user=neo4j peer=/);
    expect(log).toMatch(/login failed: user=neo4j peer=/);
    expect(log).toMatch(/login locked out: user=neo4j peer=/);
  });
});
