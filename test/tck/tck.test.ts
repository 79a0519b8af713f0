import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { PASSING_FILE, runTck, TCK_ROOT } from './run-tck.js';

describe('openCypher TCK', () => {
  it('keeps passing every scenario listed in test/tck/passing.txt', async () => {
    const listed = (await readFile(PASSING_FILE, 'utf8')).split('\n').filter((l) => l.length > 0);
    const outcomes = await runTck(TCK_ROOT);
    const byId = new Map(outcomes.map((o) => [o.id, o]));
    const regressions = listed.filter((id) => !byId.get(id)?.passed)
      .map((id) => `${id}: ${byId.get(id)?.reason ?? 'scenario not found'}`);
    expect(regressions).toEqual([]);
    expect(listed.length).toBeGreaterThan(0);
  }, 600_000);
});
