/**
 * Security settings: the four SSL policies (`dbms.ssl.policy.{bolt,https,cluster,backup}.*`),
 * Bolt's tls_level, the cluster secret, the login lockout and the per-client connection limits.
 * docs/security.md says what each one protects.
 */
import path from 'node:path';
import type { ConfigDraft } from '../config-draft.js';
import { InvalidSettingValue } from '../config-error.js';
import {
  SSL_SCOPES, type ClientAuth, type SecurityConfig, type SslPolicyConfig, type SslScope,
  type TlsLevel,
} from '../quiver-config.js';
import {
  parseBoolean, parseDurationMs, parseEnum, parseInteger, parseList,
} from '../value-parsers.js';
import { setting, type Setting } from './define-setting.js';

interface SslPolicyDraft {
  enabled: boolean;
  baseDirectory: string | null;
  privateKey: string;
  privateKeyPassword: string | null;
  publicCertificate: string;
  trustedDir: string;
  revokedDir: string;
  clientAuth: ClientAuth;
  tlsVersions: string[];
  ciphers: string[] | null;
}

export interface SecurityDraft {
  ssl: Record<SslScope, SslPolicyDraft>;
  boltTlsLevel: TlsLevel;
  clusterSecret: string | null;
  authFailedAttemptsMax: number;
  authLockTimeMs: number;
  authCacheTtlMs: number;
  authCacheCapacity: number;
  boltConnectionsMax: number | null;
  boltIdleTimeoutMs: number | null;
}

/**
 * Neo4j defaults client_auth to REQUIRE everywhere; for bolt and https we default to NONE, as
 * Neo4j's shipped neo4j.conf does, because drivers and browsers rarely hold client certificates.
 */
function newPolicyDraft(scope: SslScope): SslPolicyDraft {
  const internal = scope === 'cluster' || scope === 'backup';
  return {
    enabled: false, baseDirectory: null, privateKey: 'private.key', privateKeyPassword: null,
    publicCertificate: 'public.crt', trustedDir: 'trusted', revokedDir: 'revoked',
    clientAuth: internal ? 'REQUIRE' : 'NONE', tlsVersions: ['TLSv1.2', 'TLSv1.3'], ciphers: null,
  };
}

export function newSecurityDraft(): SecurityDraft {
  return {
    ssl: { bolt: newPolicyDraft('bolt'), https: newPolicyDraft('https'),
      cluster: newPolicyDraft('cluster'), backup: newPolicyDraft('backup') },
    boltTlsLevel: 'DISABLED', clusterSecret: null,
    authFailedAttemptsMax: 3, authLockTimeMs: 5000, authCacheTtlMs: 600_000,
    authCacheCapacity: 10_000,
    boltConnectionsMax: null, boltIdleTimeoutMs: null,
  };
}

function resolvePolicy(scope: SslScope, draft: SslPolicyDraft, home: string,
  certificatesDir: string): SslPolicyConfig {
  const base = draft.baseDirectory === null ? path.join(certificatesDir, scope)
    : path.resolve(home, draft.baseDirectory);
  const inBase = (file: string): string => path.resolve(base, file);
  return {
    scope, enabled: draft.enabled, baseDirectory: base, privateKey: inBase(draft.privateKey),
    privateKeyPassword: draft.privateKeyPassword,
    publicCertificate: inBase(draft.publicCertificate), trustedDir: inBase(draft.trustedDir),
    revokedDir: inBase(draft.revokedDir), clientAuth: draft.clientAuth,
    tlsVersions: [...draft.tlsVersions],
    ciphers: draft.ciphers === null ? null : [...draft.ciphers],
  };
}

export function resolveSecurity(draft: SecurityDraft, home: string,
  certificatesDir: string): SecurityConfig {
  const ssl = {} as Record<SslScope, SslPolicyConfig>;
  for (const scope of SSL_SCOPES) {
    ssl[scope] = resolvePolicy(scope, draft.ssl[scope], home, certificatesDir);
  }
  return {
    ssl, boltTlsLevel: draft.boltTlsLevel, clusterSecret: draft.clusterSecret,
    authFailedAttemptsMax: draft.authFailedAttemptsMax, authLockTimeMs: draft.authLockTimeMs,
    authCacheTtlMs: draft.authCacheTtlMs, authCacheCapacity: draft.authCacheCapacity,
    boltConnectionsMax: draft.boltConnectionsMax, boltIdleTimeoutMs: draft.boltIdleTimeoutMs,
  };
}

const TLS_VERSIONS = ['TLSv1.2', 'TLSv1.3'] as const;

function parseTlsVersions(raw: string): string[] {
  const versions = parseList(raw);
  if (versions.length === 0) throw new InvalidSettingValue('name at least one TLS version');
  return versions.map((v) => parseEnum(v, TLS_VERSIONS));
}

function nonEmpty(raw: string): string {
  const text = raw.trim();
  if (text === '') throw new InvalidSettingValue('a path cannot be empty');
  return text;
}

/** Parses one field's value into the change it makes to a policy draft. */
type PolicyField = (raw: string) => (draft: SslPolicyDraft) => void;

function parseCiphers(raw: string): string[] | null {
  const list = parseList(raw);
  return list.length === 0 ? null : list;
}

const POLICY_FIELDS: Readonly<Record<string, PolicyField>> = {
  enabled: (raw) => { const on = parseBoolean(raw); return (d) => { d.enabled = on; }; },
  base_directory: (raw) => { const p = nonEmpty(raw); return (d) => { d.baseDirectory = p; }; },
  private_key: (raw) => { const p = nonEmpty(raw); return (d) => { d.privateKey = p; }; },
  private_key_password: (raw) => (d) => { d.privateKeyPassword = raw; },
  public_certificate: (raw) => {
    const p = nonEmpty(raw);
    return (d) => { d.publicCertificate = p; };
  },
  trusted_dir: (raw) => { const p = nonEmpty(raw); return (d) => { d.trustedDir = p; }; },
  revoked_dir: (raw) => { const p = nonEmpty(raw); return (d) => { d.revokedDir = p; }; },
  client_auth: (raw) => {
    const auth = parseEnum(raw, ['NONE', 'OPTIONAL', 'REQUIRE'] as const);
    return (d) => { d.clientAuth = auth; };
  },
  tls_versions: (raw) => { const v = parseTlsVersions(raw); return (d) => { d.tlsVersions = v; }; },
  ciphers: (raw) => { const c = parseCiphers(raw); return (d) => { d.ciphers = c; }; },
};

/** One row per `dbms.ssl.policy.<scope>.<field>`; the value is checked when it is read. */
function policySettings(): Setting[] {
  const rows: Setting[] = [];
  for (const scope of SSL_SCOPES) {
    for (const [field, parse] of Object.entries(POLICY_FIELDS)) {
      rows.push(setting([`dbms.ssl.policy.${scope}.${field}`], parse,
        (draft: ConfigDraft, change) => change(draft.security.ssl[scope])));
    }
    rows.push(setting([`dbms.ssl.policy.${scope}.verify_hostname`], parseBoolean,
      (draft, on) => {
        if (on) draft.warnings.push(`dbms.ssl.policy.${scope}.verify_hostname: peers are ` +
          'checked against the trusted CAs, not against their host names');
      }));
  }
  return rows;
}

/** Zero switches the limit off, as Neo4j's durations do. */
function optionalMs(raw: string): number | null {
  const ms = parseDurationMs(raw);
  return ms === 0 ? null : ms;
}

const LIMIT_SETTINGS: readonly Setting[] = [
  setting(['dbms.connector.bolt.tls_level', 'server.bolt.tls_level'],
    (raw) => parseEnum(raw, ['REQUIRED', 'OPTIONAL', 'DISABLED'] as const), (draft, level) => {
      draft.security.boltTlsLevel = level;
    }),
  setting(['dbms.cluster.secret', 'causal_clustering.cluster_secret'], (raw) => {
    if (raw.length < 16) {
      throw new InvalidSettingValue('a cluster secret needs at least 16 characters');
    }
    return raw;
  }, (draft, secret) => {
    draft.security.clusterSecret = secret;
  }),
  setting(['dbms.security.auth_max_failed_attempts'],
    (raw) => parseInteger(raw, { min: 0, max: 1_000_000 }), (draft, count) => {
      draft.security.authFailedAttemptsMax = count;
    }),
  setting(['dbms.security.auth_lock_time'], parseDurationMs, (draft, ms) => {
    draft.security.authLockTimeMs = ms;
  }),
  setting(['dbms.security.auth_cache_ttl'], parseDurationMs, (draft, ms) => {
    draft.security.authCacheTtlMs = ms;
  }),
  setting(['dbms.security.auth_cache_max_capacity'],
    (raw) => parseInteger(raw, { min: 0, max: 10_000_000 }), (draft, count) => {
      draft.security.authCacheCapacity = count;
    }),
  setting(['server.bolt.thread_pool_max_size', 'dbms.connector.bolt.thread_pool_max_size'],
    (raw) => parseInteger(raw, { min: 1, max: 100_000 }), (draft, count) => {
      draft.security.boltConnectionsMax = count;
    }),
  setting(['server.bolt.connection_idle_timeout', 'dbms.connector.bolt.connection_idle_timeout'],
    optionalMs, (draft, ms) => {
      draft.security.boltIdleTimeoutMs = ms;
    }),
];

export const SECURITY_SETTINGS: readonly Setting[] = [...policySettings(), ...LIMIT_SETTINGS];
