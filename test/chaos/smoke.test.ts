/**
 * Short chaos runs in `npm test`: each workload for 10 seconds against three real cores under
 * the mixed nemesis (kills, pauses, partitions, slow links, torn logs, a full disk when root),
 * the causal one with a read replica to read from. Any violation, or a cluster that does not
 * take writes again after the final heal, fails the test. About 2 to 3 minutes in all; longer
 * and nastier runs: `npm run chaos`, `npm run chaos:long` (docs/chaos.md).
 */
import { describe, expect, it } from 'vitest';
import { CHAOS_DEFAULTS, runChaos } from './chaos-run.js';
import { formatReport, verdictOf } from './report.js';

/** A quiet spell and a fault held last at most 8 election timeouts (8 s): one fault at least. */
const RUN_TIME_S = 10;
const RUN_TIMEOUT_MS = 150_000;

const RUNS = [
  { workload: 'set', seed: 20_240_801, replicas: 0 },
  { workload: 'bank', seed: 20_240_802, replicas: 0 },
  { workload: 'register', seed: 20_240_803, replicas: 0 },
  { workload: 'causal', seed: 20_240_804, replicas: 1 },
] as const;

describe('chaos smoke runs under the mixed nemesis', () => {
  for (const run of RUNS) {
    it(`${run.workload}: no violation, and the cluster recovers`, async () => {
      const log: string[] = [];
      const facts = await runChaos({ ...CHAOS_DEFAULTS, ...run, nemesis: 'mixed',
        timeS: RUN_TIME_S, cores: 3, log: (line) => log.push(line) });
      const report = formatReport(facts);
      expect(verdictOf(facts), `${report}\n${log.join('\n')}`).toBe('PASS');
      expect(facts.faults.length, report).toBeGreaterThan(0);
      expect(facts.ops.filter((op) => op.type === 'ok').length, report).toBeGreaterThan(0);
    }, RUN_TIMEOUT_MS);
  }
});
