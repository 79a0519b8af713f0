/**
 * Turns an SSL policy (dbms.ssl.policy.<scope>.*) into a TLS secure context, and keeps that
 * context current: the key and certificate files are watched, and a changed pair replaces the
 * context for new connections without a restart. A pair that fails to load (say, the key was
 * written before the certificate) leaves the previous context in place and is logged.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  createSecureContext, type SecureContext, type SecureContextOptions, type SecureVersion,
} from 'node:tls';
import { assert } from '../assert.js';
import type { SslPolicyConfig } from '../config/quiver-config.js';

/** Certificates in a trusted or revoked directory; bounded so a wrong path cannot flood memory. */
const DIRECTORY_FILES_MAX = 1000;
const WATCH_INTERVAL_MS = 1000;

function filesIn(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => !n.startsWith('.')).sort().slice(0, DIRECTORY_FILES_MAX)
    .map((n) => join(dir, n));
}

/** The lowest and highest of the versions the policy allows. */
function versionRange(versions: readonly string[]): { min: SecureVersion; max: SecureVersion } {
  assert(versions.length > 0, 'an SSL policy allows at least one TLS version');
  const has13 = versions.includes('TLSv1.3');
  const has12 = versions.includes('TLSv1.2');
  return { min: has12 ? 'TLSv1.2' : 'TLSv1.3', max: has13 ? 'TLSv1.3' : 'TLSv1.2' };
}

/** Reads the policy's files; throws with the file named when one is missing or unreadable. */
export function secureContextOptions(policy: SslPolicyConfig): SecureContextOptions {
  const read = (file: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new Error(`SSL policy ${policy.scope}: cannot read ${file}: ` +
        `${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  };
  const trusted = filesIn(policy.trustedDir).map(read);
  const revoked = filesIn(policy.revokedDir).map(read);
  const { min, max } = versionRange(policy.tlsVersions);
  const options: SecureContextOptions = {
    key: read(policy.privateKey), cert: read(policy.publicCertificate),
    minVersion: min, maxVersion: max,
  };
  if (policy.privateKeyPassword !== null) options.passphrase = policy.privateKeyPassword;
  if (trusted.length > 0) options.ca = trusted;
  if (revoked.length > 0) options.crl = revoked;
  if (policy.ciphers !== null) options.ciphers = policy.ciphers.join(':');
  return options;
}

export interface TlsLogger {
  info(line: string): void;
  warn(line: string): void;
}

/** A secure context that follows its files. `current()` is what each new connection uses. */
export class ReloadableTlsContext {
  private context: SecureContext;
  private options: SecureContextOptions;
  private readonly listeners: ((options: SecureContextOptions) => void)[] = [];
  private watcher: NodeJS.Timeout | null = null;

  constructor(readonly policy: SslPolicyConfig, private readonly logger: TlsLogger) {
    assert(policy.enabled, 'a TLS context is built only for an enabled SSL policy');
    this.options = secureContextOptions(policy);
    this.context = createSecureContext(this.options);
  }

  current(): SecureContext {
    return this.context;
  }

  currentOptions(): SecureContextOptions {
    return this.options;
  }

  /** Called with the new options after each successful reload (an https server re-keys). */
  onReload(listener: (options: SecureContextOptions) => void): void {
    this.listeners.push(listener);
  }

  /** Re-reads the files; true when the new pair is in use, false when the old one stays. */
  reload(): boolean {
    let options: SecureContextOptions;
    let context: SecureContext;
    try {
      options = secureContextOptions(this.policy);
      context = createSecureContext(options);
    } catch (error) {
      this.logger.warn(`SSL policy ${this.policy.scope}: certificates not reloaded, the ` +
        `previous ones stay in use: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
    this.options = options;
    this.context = context;
    for (const listener of this.listeners) listener(options);
    this.logger.info(`SSL policy ${this.policy.scope}: certificates reloaded`);
    return true;
  }

  /**
   * Polls the key and certificate (fs.watch misses atomic renames on some platforms). What
   * the files are now is read at once, so a change made right after this call is seen. A pair
   * that fails to load (the key written, the certificate not yet) is warned of once and tried
   * again when the files change again.
   */
  watch(intervalMs: number = WATCH_INTERVAL_MS): void {
    if (this.watcher !== null) return;
    let loaded = this.filesStamp();
    let refused: string | null = null;
    this.watcher = setInterval(() => {
      const now = this.filesStamp();
      if (now === loaded || now === refused) return;
      if (this.reload()) loaded = now;
      else refused = now;
    }, intervalMs);
    this.watcher.unref();
  }

  close(): void {
    if (this.watcher === null) return;
    clearInterval(this.watcher);
    this.watcher = null;
  }

  /** The key's and certificate's modification times and sizes, or why they cannot be read. */
  private filesStamp(): string {
    return [this.policy.privateKey, this.policy.publicCertificate].map((file) => {
      try {
        const stats = statSync(file);
        return `${stats.mtimeMs}/${stats.size}`;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    }).join(' ');
  }
}
