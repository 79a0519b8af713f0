/**
 * Durability of the embedded engine under SIGKILL, with real processes and real files. A child
 * commits two-statement transactions on a few chains and prints each one once commit() resolved;
 * the parent kills it at a random moment (often mid-commit, sometimes during recovery or a
 * snapshot), reopens the folder and checks that every acknowledged transaction is there and no
 * transaction is there in part (a node without its link to the previous one).
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.js';
import { Prng } from '../sim/prng.js';
import { tempDbDir } from './helpers.js';

const RUNS = 20;
const CHAINS = 3;
const ACKS_BEFORE_KILL_MAX = 200;
/** Share of runs killed after a random delay instead, which may land during recovery. */
const EARLY_KILL_CHANCE = 0.25;
const EARLY_KILL_DELAY_MS_MAX = 900;
const CHILD = fileURLToPath(new URL('./fixtures/crash-committer.ts', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

type KillPlan = { readonly afterAcks: number } | { readonly afterMs: number };

/** Highest acknowledged sequence number per chain. */
type Acknowledged = number[];

/** A child that has loaded its modules and waits for the word to open the database. */
function prestart(dir: string): ChildProcessByStdio<Writable, Readable, Readable> {
  return spawn(process.execPath, ['--import', 'tsx', CHILD, dir, String(CHAINS)], {
    cwd: PROJECT_ROOT, stdio: ['pipe', 'pipe', 'pipe'],
  });
}

function runAndKill(child: ChildProcessByStdio<Writable, Readable, Readable>, plan: KillPlan):
  Promise<Acknowledged> {
  return new Promise((resolve, reject) => {
    const acked: Acknowledged = Array.from({ length: CHAINS }, () => 0);
    let count = 0;
    let ready = false;
    let partial = '';
    let stderr = '';
    const kill = (): boolean => child.kill('SIGKILL');
    child.stdin.write('go\n');
    if ('afterMs' in plan) setTimeout(kill, plan.afterMs);
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? ''; // a line cut by the kill was never fully acknowledged
      for (const line of lines) {
        if (line === 'ready') { ready = true; continue; }
        const [chain, seq] = line.split(' ').map(Number);
        if (chain === undefined || seq === undefined) continue;
        acked[chain] = Math.max(acked[chain] ?? 0, seq);
        count++;
      }
      if ('afterAcks' in plan && ready && count >= plan.afterAcks) kill();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`child exited with ${code}: ${stderr}`));
    });
  });
}

interface SeqRow {
  readonly chain: number;
  readonly seq: number;
  /** Sequence numbers of the nodes this one links to, and chains of those nodes. */
  readonly links: readonly { chain: number; seq: number }[];
}

async function readChains(db: Database): Promise<SeqRow[]> {
  const { records } = await db.run('MATCH (n:Seq) OPTIONAL MATCH (n)-[:AFTER]->(p:Seq) ' +
    'RETURN n.chain, n.seq, collect([p.chain, p.seq])');
  // OPTIONAL MATCH without a link collects [null, null].
  return records.map(([chain, seq, links]) => ({
    chain: Number(chain), seq: Number(seq),
    links: (links as (bigint | null)[][]).filter(([c]) => c !== null)
      .map(([c, s]) => ({ chain: Number(c), seq: Number(s) })),
  }));
}

/** Each chain is 1..n without gaps; every node but the first links to exactly its predecessor. */
function checkChains(rows: readonly SeqRow[], acked: Acknowledged, label: string): number[] {
  const stored: number[] = [];
  for (let chain = 0; chain < CHAINS; chain++) {
    const own = rows.filter((r) => r.chain === chain).sort((a, b) => a.seq - b.seq);
    expect(own.map((r) => r.seq), `${label}: chain ${chain} has gaps or duplicates`)
      .toEqual(own.map((_, i) => i + 1));
    for (const row of own) {
      const want = row.seq === 1 ? [] : [{ chain, seq: row.seq - 1 }];
      expect(row.links, `${label}: links of ${chain}/${row.seq}`).toEqual(want);
    }
    expect(own.length, `${label}: chain ${chain} lost acknowledged commits`)
      .toBeGreaterThanOrEqual(acked[chain] ?? 0);
    stored.push(own.length);
  }
  return stored;
}

function drawPlan(random: Prng): KillPlan {
  return random.chance(EARLY_KILL_CHANCE)
    ? { afterMs: random.int(EARLY_KILL_DELAY_MS_MAX + 1) }
    : { afterAcks: random.int(ACKS_BEFORE_KILL_MAX + 1) };
}

/** Kills a child RUNS times, checking the folder after each; returns what was acknowledged. */
async function killRepeatedly(dir: string, random: Prng):
  Promise<{ acked: Acknowledged; stored: number[] }> {
  const acked: Acknowledged = Array.from({ length: CHAINS }, () => 0);
  let stored: number[] = [];
  let next = prestart(dir);
  try {
    for (let run = 1; run <= RUNS; run++) {
      const plan = drawPlan(random);
      const running = next;
      next = prestart(dir); // loads its modules while this one runs and is checked
      const ackedNow = await runAndKill(running, plan);
      ackedNow.forEach((seq, chain) => { acked[chain] = Math.max(acked[chain] ?? 0, seq); });
      const db = await Database.open(dir);
      try {
        stored = checkChains(await readChains(db), acked, `run ${run} ${JSON.stringify(plan)}`);
      } finally {
        await db.close();
      }
    }
  } finally {
    next.kill('SIGKILL');
  }
  return { acked, stored };
}

describe('embedded engine under SIGKILL', () => {
  it('keeps every acknowledged transaction and no partial one across repeated kills', async () => {
    const seed = Number(process.env['QUIVER_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`QUIVER_SEED=${seed} npx vitest run test/engine/crash.test.ts`);
    const { acked, stored } = await killRepeatedly(await tempDbDir(), new Prng(seed));
    console.log(`${RUNS} kills; acknowledged per chain ${acked.join('/')}, ` +
      `stored ${stored.join('/')}`);
    // The runs must have committed something, or the checks above proved nothing.
    expect(Math.min(...acked)).toBeGreaterThan(0);
  });
});
