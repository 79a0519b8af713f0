/**
 * A certificate set for development and tests, laid out the way the SSL policies read it:
 * `<certificates>/ca/{ca.key,ca.crt}` and, per scope, `<scope>/private.key`, `public.crt` (signed
 * by that CA, valid for the given host names, usable by servers and clients), `trusted/ca.crt`
 * and an empty `revoked/`. One CA for every scope means the cluster policy's mutual TLS works
 * out of the box. Keys are P-256. The X.509 work is done by the `openssl` command (node:crypto
 * cannot sign certificates); it must be on the PATH.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assert } from '../assert.js';
import type { SslScope } from '../config/quiver-config.js';

export interface CertificateSetOptions {
  readonly certificatesDir: string;
  readonly scopes: readonly SslScope[];
  /** DNS names and IP addresses the certificates are valid for. */
  readonly hostnames: readonly string[];
  readonly validDays: number;
  /** A different CA name makes a set that does not trust another (tests of refusal). */
  readonly caName?: string;
}

export interface CertificateSet {
  readonly caCertificate: string;
  readonly scopes: Readonly<Partial<Record<SslScope, { key: string; certificate: string }>>>;
}

const OPENSSL_OUTPUT_BYTES_MAX = 1024 * 1024;
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(args: readonly string[]): void {
  try {
    execFileSync('openssl', args, { stdio: 'pipe', maxBuffer: OPENSSL_OUTPUT_BYTES_MAX });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (failure.code === 'ENOENT') {
      throw new Error('creating certificates needs the openssl command on the PATH');
    }
    throw new Error(`openssl ${args[0] ?? ''} failed: ${failure.stderr?.toString().trim() ?? ''}`);
  }
}

function subjectAltNames(hostnames: readonly string[]): string {
  const isIp = (h: string): boolean => /^[\d.]+$/.test(h) || h.includes(':');
  return hostnames.map((h) => (isIp(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
}

function createCa(dir: string, options: CertificateSetOptions): { key: string; cert: string } {
  mkdirSync(dir, { recursive: true });
  const key = join(dir, 'ca.key');
  const cert = join(dir, 'ca.crt');
  openssl(['req', '-x509', ...EC_KEY, '-keyout', key, '-out', cert,
    '-days', String(options.validDays), '-subj', `/CN=${options.caName ?? 'QuiverDB dev CA'}`,
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  chmodSync(key, 0o600);
  return { key, cert };
}

function createLeaf(dir: string, ca: { key: string; cert: string },
  options: CertificateSetOptions): { key: string; certificate: string } {
  mkdirSync(join(dir, 'trusted'), { recursive: true });
  mkdirSync(join(dir, 'revoked'), { recursive: true });
  const key = join(dir, 'private.key');
  const certificate = join(dir, 'public.crt');
  const request = join(dir, 'request.csr');
  const extensions = join(dir, 'extensions.cnf');
  const commonName = options.hostnames[0] ?? 'localhost';
  openssl(['req', '-new', ...EC_KEY, '-keyout', key, '-out', request,
    '-subj', `/CN=${commonName}`]);
  chmodSync(key, 0o600);
  writeFileSync(extensions, `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n` +
    'extendedKeyUsage=serverAuth,clientAuth\n' +
    `subjectAltName=${subjectAltNames(options.hostnames)}\n`);
  try {
    openssl(['x509', '-req', '-in', request, '-CA', ca.cert, '-CAkey', ca.key,
      '-set_serial', `0x${randomBytes(16).toString('hex')}`, '-days', String(options.validDays),
      '-extfile', extensions, '-out', certificate]);
  } finally {
    rmSync(request, { force: true });
    rmSync(extensions, { force: true });
  }
  copyFileSync(ca.cert, join(dir, 'trusted', 'ca.crt'));
  return { key, certificate };
}

/** Writes (or overwrites) the set; returns where each file went. */
export function createCertificateSet(options: CertificateSetOptions): CertificateSet {
  assert(options.hostnames.length > 0, 'a certificate names at least one host');
  assert(options.validDays >= 1, 'a certificate is valid for at least a day');
  const ca = createCa(join(options.certificatesDir, 'ca'), options);
  const scopes: Partial<Record<SslScope, { key: string; certificate: string }>> = {};
  for (const scope of options.scopes) {
    scopes[scope] = createLeaf(join(options.certificatesDir, scope), ca, options);
  }
  return { caCertificate: ca.cert, scopes };
}
