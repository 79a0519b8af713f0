/**
 * One short chaos run in `npm test`: three real cores, the set workload, members SIGKILLed and
 * restarted for 15 seconds. Every acknowledged add must survive and every member must end up
 * with the same set. Longer and nastier runs: `npm run chaos` (docs/chaos.md).
 */
import { describe, expect, it } from 'vitest';
import { CHAOS_DEFAULTS, runChaos } from './chaos-run.js';
import { formatReport, verdictOf } from './report.js';

const SMOKE_SEED = 20_240_801;
const RUN_TIMEOUT_MS = 150_000;

describe('chaos smoke run', () => {
  it('loses no acknowledged add while members are killed and restarted', async () => {
    const log: string[] = [];
    const facts = await runChaos({ ...CHAOS_DEFAULTS, workload: 'set', nemesis: 'kill',
      timeS: 15, seed: SMOKE_SEED, cores: 3, log: (line) => log.push(line) });
    const report = formatReport(facts);
    expect(verdictOf(facts), `${report}\n${log.join('\n')}`).toBe('PASS');
    expect(facts.faults.length).toBeGreaterThan(0);
    expect(facts.ops.filter((op) => op.type === 'ok').length).toBeGreaterThan(0);
  }, RUN_TIMEOUT_MS);
});
