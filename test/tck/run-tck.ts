/**
 * `npm run tck -- [folder] [--update]`: runs the openCypher TCK scenarios under `folder`
 * (default: all of ../shared/tck/features), prints one line per failing scenario and ends with
 * `N passed, M failed`. `--update` rewrites test/tck/passing.txt and docs/tck-status.md.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Database } from '../../src/db/database.js';
import { SHARED_DIR } from '../shared-dir.js';
import { loadScenarios, runScenario, type Outcome } from './tck-runner.js';
import { renderStatus } from './tck-status.js';

export const TCK_ROOT = resolve(SHARED_DIR, 'tck/features');
export const TCK_GRAPHS = resolve(SHARED_DIR, 'tck/graphs');
export const PASSING_FILE = resolve(import.meta.dirname, 'passing.txt');

export async function runTck(folder: string): Promise<Outcome[]> {
  const scenarios = await loadScenarios(TCK_ROOT, folder);
  const scratch = await Database.open(null);
  const outcomes: Outcome[] = [];
  for (const s of scenarios) outcomes.push(await runScenario(s, scratch, TCK_GRAPHS));
  await scratch.close();
  return outcomes;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const update = args.includes('--update');
  const verbose = args.includes('--verbose');
  const folder = resolve(args.find((a) => !a.startsWith('--')) ?? TCK_ROOT);
  const outcomes = await runTck(folder);
  for (const o of outcomes) {
    if (!o.passed) console.log(`FAIL ${o.id}${verbose ? `\n      ${o.reason}` : `: ${o.reason.split('\n')[0]}`}`);
  }
  const passed = outcomes.filter((o) => o.passed).length;
  if (update) {
    await writeFile(PASSING_FILE, outcomes.filter((o) => o.passed).map((o) => o.id).join('\n') + '\n');
    await writeFile(resolve(import.meta.dirname, '../../docs/tck-status.md'), renderStatus(outcomes));
  }
  console.log(`${passed} passed, ${outcomes.length - passed} failed`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main().catch((e: unknown) => { console.error(e); process.exit(1); });
}
