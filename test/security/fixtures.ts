/** Certificate sets in a temporary directory and SSL policies that point at them. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SslPolicyConfig, SslScope } from '../../src/config/quiver-config.js';
import { createCertificateSet, type CertificateSet } from '../../src/security/dev-certificates.js';

export function temporaryDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `quiver-${prefix}-`));
}

export function certificateSet(dir: string, caName: string,
  scopes: readonly SslScope[] = ['bolt', 'https', 'cluster']): CertificateSet {
  return createCertificateSet({ certificatesDir: dir, scopes, caName,
    hostnames: ['localhost', '127.0.0.1'], validDays: 2 });
}

export function policyIn(certificatesDir: string, scope: SslScope,
  overrides: Partial<SslPolicyConfig> = {}): SslPolicyConfig {
  const base = path.join(certificatesDir, scope);
  return {
    scope, enabled: true, baseDirectory: base, privateKey: path.join(base, 'private.key'),
    privateKeyPassword: null, publicCertificate: path.join(base, 'public.crt'),
    trustedDir: path.join(base, 'trusted'), revokedDir: path.join(base, 'revoked'),
    clientAuth: 'NONE', tlsVersions: ['TLSv1.2', 'TLSv1.3'], ciphers: null, ...overrides,
  };
}

export const SILENT = { info: (): void => undefined, warn: (): void => undefined };
