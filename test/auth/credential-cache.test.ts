import { describe, expect, it } from 'vitest';
import { CredentialCache } from '../../src/auth/credential-cache.js';

describe('the credential cache', () => {
  it('holds a remembered password only, and only for its stored hash', () => {
    const cache = new CredentialCache(60_000, 10);
    cache.remember('ada', 'secret-1', 'hash-a');
    expect(cache.holds('ada', 'secret-1', 'hash-a')).toBe(true);
    expect(cache.holds('ada', 'secret-2', 'hash-a')).toBe(false);
    expect(cache.holds('bob', 'secret-1', 'hash-a')).toBe(false);
    // A changed password (a new stored hash) must be verified again.
    expect(cache.holds('ada', 'secret-1', 'hash-b')).toBe(false);
    expect(cache.holds('ada', 'secret-1', 'hash-a')).toBe(false);
  });

  it('forgets entries after the ttl and keeps at most its capacity', () => {
    let now = 0;
    const cache = new CredentialCache(1_000, 2, () => now);
    cache.remember('a', 'pw', 'h');
    cache.remember('b', 'pw', 'h');
    cache.remember('c', 'pw', 'h');
    expect(cache.holds('a', 'pw', 'h')).toBe(false);
    expect(cache.holds('b', 'pw', 'h')).toBe(true);
    now = 1_000;
    expect(cache.holds('c', 'pw', 'h')).toBe(false);
  });

  it('remembers nothing with a ttl of zero', () => {
    const cache = new CredentialCache(0, 10);
    cache.remember('a', 'pw', 'h');
    expect(cache.holds('a', 'pw', 'h')).toBe(false);
  });
});
