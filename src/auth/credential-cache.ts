/**
 * Credentials that verified recently, as Neo4j's auth cache keeps them
 * (`dbms.security.auth_cache_ttl`, `dbms.security.auth_cache_max_capacity`): a driver that opens
 * many connections then runs the slow KDF once per user and password, not once per connection,
 * and the KDF's thread-pool work no longer competes with the raft log's fsyncs.
 *
 * An entry is an HMAC of the password under a key made at start-up, never the password, and it
 * holds only while the user's stored hash is the one it was verified against: a changed password
 * or a dropped and re-created user misses the cache.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

interface Entry {
  readonly digest: Buffer;
  readonly storedHash: string;
  readonly expiresAtMs: number;
}

export class CredentialCache {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly capacity: number,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** True when `password` verified against `storedHash` for `user` within the ttl. */
  holds(user: string, password: string, storedHash: string): boolean {
    const entry = this.entries.get(user);
    if (entry === undefined) return false;
    if (entry.storedHash !== storedHash || entry.expiresAtMs <= this.nowMs()) {
      this.entries.delete(user);
      return false;
    }
    return timingSafeEqual(entry.digest, this.digest(user, password));
  }

  remember(user: string, password: string, storedHash: string): void {
    if (this.ttlMs <= 0 || this.capacity <= 0) return;
    this.entries.delete(user);
    if (this.entries.size >= this.capacity) {
      // Maps iterate in insertion order, so the first key is the one verified longest ago.
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(user, { digest: this.digest(user, password), storedHash,
      expiresAtMs: this.nowMs() + this.ttlMs });
  }

  forget(user: string): void {
    this.entries.delete(user);
  }

  private digest(user: string, password: string): Buffer {
    return createHmac('sha256', this.key).update(user).update('\0').update(password).digest();
  }
}
