/**
 * TLS on the Bolt port, as drivers see it: `+ssc` against any certificate, CA-verified
 * connections against the test CA, `neo4j+s://` with the CA in the process's trust store,
 * plaintext refused when TLS is REQUIRED and accepted when OPTIONAL, and certificates that
 * change on disk taking over without a restart.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import neo4j, { type Config } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBoltServer, type BoltServer } from '../../src/bolt/server.js';
import { ReloadableTlsContext } from '../../src/security/tls-context.js';
import { FakeBackend } from '../bolt/fake-backend.js';
import { certificateSet, policyIn, SILENT, temporaryDir } from './fixtures.js';

const AUTH = neo4j.auth.basic('neo4j', 'secret');
let dir: string;
let otherDir: string;
let context: ReloadableTlsContext;
const events: string[] = [];
const servers: BoltServer[] = [];

async function start(level: 'REQUIRED' | 'OPTIONAL'): Promise<number> {
  const backend = new FakeBackend();
  const server = await startBoltServer({ host: '127.0.0.1', port: 0, backend,
    tls: { level, context: () => context.current(), clientAuth: 'NONE' },
    onSecurityEvent: (line) => events.push(line) });
  backend.selfAddress = `127.0.0.1:${server.port}`;
  servers.push(server);
  return server.port;
}

async function returnOne(url: string, config: Config = {}): Promise<number> {
  const driver = neo4j.driver(url, AUTH, { connectionTimeout: 5000, ...config });
  try {
    const { records } = await driver.executeQuery('RETURN 1 AS n');
    return Number(records[0]?.get('n'));
  } finally {
    await driver.close();
  }
}

/** No retries: a refused connection should fail at once. */
async function connect(url: string, config: Config = {}): Promise<void> {
  const driver = neo4j.driver(url, AUTH, { connectionTimeout: 5000, ...config });
  try {
    await driver.verifyConnectivity();
  } finally {
    await driver.close();
  }
}

function trusting(caFile: string): Config {
  return { encrypted: 'ENCRYPTION_ON', trust: 'TRUST_CUSTOM_CA_SIGNED_CERTIFICATES',
    trustedCertificates: [caFile] };
}

let requiredPort: number;
let optionalPort: number;

beforeAll(async () => {
  dir = temporaryDir('bolt-tls');
  otherDir = temporaryDir('bolt-tls-other');
  certificateSet(dir, 'Test CA one', ['bolt']);
  certificateSet(otherDir, 'Test CA two', ['bolt']);
  context = new ReloadableTlsContext(policyIn(dir, 'bolt'), SILENT);
  requiredPort = await start('REQUIRED');
  optionalPort = await start('OPTIONAL');
});

afterAll(async () => {
  context.close();
  await Promise.all(servers.map((s) => s.close()));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(otherDir, { recursive: true, force: true });
});

describe('tls_level REQUIRED', () => {
  it('serves bolt+ssc:// and neo4j+ssc:// drivers', async () => {
    expect(await returnOne(`bolt+ssc://127.0.0.1:${requiredPort}`)).toBe(1);
    expect(await returnOne(`neo4j+ssc://127.0.0.1:${requiredPort}`)).toBe(1);
  });

  it('verifies against the test CA, and fails against another CA', async () => {
    const url = `bolt://localhost:${requiredPort}`;
    expect(await returnOne(url, trusting(path.join(dir, 'ca', 'ca.crt')))).toBe(1);
    await expect(connect(url, trusting(path.join(otherDir, 'ca', 'ca.crt')))).rejects.toThrow();
  });

  it('refuses a plaintext driver and logs the refusal with the peer address', async () => {
    await expect(connect(`bolt://127.0.0.1:${requiredPort}`)).rejects.toMatchObject({
      code: 'ServiceUnavailable' });
    expect(events.some((e) => /refused: peer=127\.0\.0\.1:\d+ reason=plaintext/.test(e)))
      .toBe(true);
  });

  it('serves neo4j+s:// when the CA is in the trust store (NODE_EXTRA_CA_CERTS)', async () => {
    const script = "import neo4j from 'neo4j-driver';" +
      `const d = neo4j.driver('neo4j+s://localhost:${requiredPort}', ` +
      "neo4j.auth.basic('neo4j', 'secret'));" +
      "const r = await d.executeQuery('RETURN 1 AS n'); await d.close();" +
      "process.stdout.write(String(r.records[0].get('n')));";
    const output = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--input-type=module', '-e', script], {
        cwd: process.cwd(), timeout: 20_000,
        env: { ...process.env, NODE_EXTRA_CA_CERTS: path.join(dir, 'ca', 'ca.crt') },
      }, (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout)));
    });
    expect(output).toBe('1');
  });
});

describe('tls_level OPTIONAL', () => {
  it('serves plaintext and encrypted drivers on the same port', async () => {
    expect(await returnOne(`bolt://127.0.0.1:${optionalPort}`)).toBe(1);
    expect(await returnOne(`bolt+ssc://127.0.0.1:${optionalPort}`)).toBe(1);
  });
});

describe('certificate reload', () => {
  it('keeps the old pair, and says so, when the files on disk are broken', () => {
    const copy = temporaryDir('bolt-tls-copy');
    fs.cpSync(dir, copy, { recursive: true });
    const warnings: string[] = [];
    const ctx = new ReloadableTlsContext(policyIn(copy, 'bolt'),
      { info: () => undefined, warn: (line) => warnings.push(line) });
    const before = ctx.current();
    fs.writeFileSync(path.join(copy, 'bolt', 'private.key'), 'not a key');
    expect(ctx.reload()).toBe(false);
    expect(ctx.current()).toBe(before);
    expect(warnings[0]).toMatch(/SSL policy bolt: certificates not reloaded/);
    fs.rmSync(copy, { recursive: true, force: true });
  });

  it('serves a certificate replaced on disk to the next connection', async () => {
    const reloaded = new Promise<void>((resolve) => context.onReload(() => resolve()));
    context.watch(20);
    for (const file of ['private.key', 'public.crt']) {
      fs.copyFileSync(path.join(otherDir, 'bolt', file), path.join(dir, 'bolt', file));
    }
    await reloaded;
    const url = `bolt://localhost:${requiredPort}`;
    expect(await returnOne(url, trusting(path.join(otherDir, 'ca', 'ca.crt')))).toBe(1);
    await expect(connect(url, trusting(path.join(dir, 'ca', 'ca.crt')))).rejects.toThrow();
  });
});
