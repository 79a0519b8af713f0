/**
 * `npm run test:sim [-- --seeds N --from S]`: long simulated runs. QUIVER_SEED=<n> replays one
 * seed. Exits 1 on the first failing seed, after printing its report (first line: the replay).
 */
import { simulate } from './simulate.js';
import type { SimScale } from './sim-options.js';

function argument(name: string): string | undefined {
  const position = process.argv.indexOf(name);
  return position < 0 ? undefined : process.argv[position + 1];
}

function main(): number {
  const only = process.env['QUIVER_SEED'];
  const scale: SimScale = argument('--scale') === 'small' ? 'small' : 'long';
  const from = only === undefined ? Number(argument('--from') ?? '1') : Number(only);
  const count = only === undefined ? Number(argument('--seeds') ?? '200') : 1;
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(count) || count < 1) {
    process.stderr.write('usage: run-sim.ts [--seeds N] [--from S] [--scale small|long]\n');
    return 2;
  }
  const totals = { committed: 0, dropped: 0, restarts: 0, leaders: 0 };
  for (let seed = from; seed < from + count; seed += 1) {
    const result = simulate(seed, scale);
    if (!result.ok) {
      process.stdout.write(`${result.report.join('\n')}\n`);
      return 1;
    }
    totals.committed += result.stats.committed;
    totals.dropped += result.stats.dropped;
    totals.restarts += result.stats.restarts;
    totals.leaders += result.stats.leaders;
  }
  const summary = `${count} seeds from ${from} passed (${scale}): ${JSON.stringify(totals)}`;
  process.stdout.write(`${summary}\n`);
  return 0;
}

process.exitCode = main();
