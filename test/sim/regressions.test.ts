/**
 * Seeds that once failed, replayed at the scale they failed at. Each names what it caught.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from './simulate.js';

const LONG_SEEDS: readonly { seed: number; caught: string }[] = [
  { seed: 1056, caught: 'liveness budget too small for a long uncommitted tail' },
];

describe('simulator regressions', () => {
  for (const { seed, caught } of LONG_SEEDS) {
    it(`seed ${seed}: ${caught}`, () => {
      const result = simulate(seed, 'long');
      expect(result.report.join('\n')).toBe('');
      expect(result.ok).toBe(true);
    });
  }
});
