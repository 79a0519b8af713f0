import { describe, expect, it } from 'vitest';
import { IdSpace } from '../../src/admin/import/id-space.js';

describe('an import id space', () => {
  it('finds the small, large, negative and string keys it was given, and only those', () => {
    const space = new IdSpace();
    const keys = [0, 5, 1023, 1024, 70_000, 2 ** 24, 2 ** 40, -3, 'alice', '7'];
    keys.forEach((key, i) => space.set(key, i * 10));
    keys.forEach((key, i) => expect(space.get(key)).toBe(i * 10));
    for (const absent of [1, 1025, 69_999, 2 ** 24 + 1, -4, 'bob', 7, 2 ** 23]) {
      expect(space.has(absent)).toBe(false);
    }
  });

  it('keeps node ids too large for the array under a small key', () => {
    const space = new IdSpace();
    space.set(3, 2 ** 40);
    expect(space.get(3)).toBe(2 ** 40);
    expect(space.get(4)).toBeUndefined();
  });
});
