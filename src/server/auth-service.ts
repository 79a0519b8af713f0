/**
 * Checks credentials against the replicated users and slows down guessing: after
 * `failedAttemptsMax` failures in a row a user is locked for `lockTimeMs`, and every failure
 * waits a little before it is answered.
 */
import { QuiverError } from '../errors/quiver-error.js';
import { CredentialCache } from '../auth/credential-cache.js';
import { verifyPassword } from '../auth/password.js';
import type { UserStore } from '../auth/user-store.js';

export interface AuthLimits {
  readonly enabled: boolean;
  /** dbms.security.auth_max_failed_attempts; 0 never locks a user out. */
  readonly failedAttemptsMax: number;
  /** dbms.security.auth_lock_time. */
  readonly lockTimeMs: number;
  readonly failureDelayMs: number;
  /** dbms.security.auth_cache_ttl: how long a verified password is remembered; 0 = never. */
  readonly cacheTtlMs: number;
  /** dbms.security.auth_cache_max_capacity: users remembered at most. */
  readonly cacheCapacity: number;
}

export const DEFAULT_AUTH_LIMITS: AuthLimits = {
  enabled: true, failedAttemptsMax: 3, lockTimeMs: 5_000, failureDelayMs: 100,
  cacheTtlMs: 600_000, cacheCapacity: 10_000,
};

interface Failures {
  count: number;
  lockedUntilMs: number;
}

const TRACKED_USERS_MAX = 10_000;

export class AuthService {
  private readonly failures = new Map<string, Failures>();
  private readonly verified: CredentialCache;

  constructor(
    readonly users: UserStore,
    private readonly limits: AuthLimits,
    /** logs/security.log. */
    readonly securityEvent: (line: string) => void = () => undefined,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.verified = new CredentialCache(limits.cacheTtlMs, limits.cacheCapacity, nowMs);
  }

  get enabled(): boolean {
    return this.limits.enabled;
  }

  async authenticate(auth: { scheme: string; principal?: string; credentials?: string },
    peer: string): Promise<{ user: string; credentialsExpired: boolean }> {
    if (!this.limits.enabled) return { user: auth.principal ?? 'neo4j', credentialsExpired: false };
    if (auth.scheme !== 'basic' || auth.principal === undefined || auth.credentials === undefined) {
      throw new QuiverError('Unauthorized', 'Unsupported authentication token, scheme ' +
        `'${auth.scheme}' is not supported (use basic with principal and credentials).`);
    }
    const name = auth.principal;
    const f = this.failures.get(name);
    if (f && f.lockedUntilMs > this.nowMs()) {
      this.securityEvent(`login locked out: user=${name} peer=${peer}`);
      throw new QuiverError('AuthenticationRateLimit',
        'The client has provided incorrect authentication details too many times in a row.');
    }
    const user = this.users.get(name);
    const ok = user !== undefined && !user.suspended &&
      await this.verify(name, auth.credentials, user.passwordHash);
    if (!ok || !user) return this.fail(name, peer);
    this.failures.delete(name);
    this.securityEvent(`login: user=${name} peer=${peer}`);
    return { user: name, credentialsExpired: user.passwordChangeRequired };
  }

  private async verify(name: string, password: string, storedHash: string): Promise<boolean> {
    if (this.verified.holds(name, password, storedHash)) return true;
    const ok = await verifyPassword(password, storedHash);
    if (ok) this.verified.remember(name, password, storedHash);
    else this.verified.forget(name);
    return ok;
  }

  private async fail(name: string, peer: string): Promise<never> {
    if (this.failures.size >= TRACKED_USERS_MAX) this.failures.clear();
    const f = this.failures.get(name) ?? { count: 0, lockedUntilMs: 0 };
    f.count++;
    if (this.limits.failedAttemptsMax > 0 && f.count >= this.limits.failedAttemptsMax) {
      f.lockedUntilMs = this.nowMs() + this.limits.lockTimeMs;
      f.count = 0;
    }
    this.failures.set(name, f);
    this.securityEvent(`login failed: user=${name} peer=${peer}`);
    if (this.limits.failureDelayMs > 0) {
      await new Promise((r) => setTimeout(r, this.limits.failureDelayMs));
    }
    throw new QuiverError('Unauthorized', 'The client is unauthorized due to authentication failure.');
  }
}
