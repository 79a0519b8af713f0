/**
 * Crash safety with real processes and real files: a child appends from several concurrent
 * appenders and prints each index once append() resolved; the parent SIGKILLs it at a random
 * moment, reopens the log, and checks that nothing acknowledged was lost and the log is whole.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SegmentedLog } from '../../src/log/index.js';
import { CRASH_SEGMENT_BYTES_MAX, crashEntryData } from './fixtures/crash-data.js';
import { tempDir } from './helpers.js';

const RUNS = 24;
const ACKS_BEFORE_KILL_MAX = 400;
const CHILD = fileURLToPath(new URL('./fixtures/crash-appender.ts', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** mulberry32: a small seeded generator, so a failing run can be replayed with its seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

interface RunResult {
  readonly acknowledged: number[];
  readonly stderr: string;
}

/** Runs the child until it has acknowledged `acksBeforeKill` indexes, then SIGKILLs it. */
function runAndKill(dir: string, term: number, acksBeforeKill: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, String(term)], {
      cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acknowledged: number[] = [];
    let ready = false;
    let partial = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? ''; // a line cut by the kill was never fully acknowledged
      for (const line of lines) {
        if (line.startsWith('ready')) ready = true;
        else acknowledged.push(Number(line));
      }
      if (ready && acknowledged.length >= acksBeforeKill) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ acknowledged, stderr });
      else reject(new Error(`child exited with ${code}: ${stderr}`));
    });
  });
}

/** Every entry is readable, contiguous from 1, holds its data, and terms never decrease. */
function checkWhole(log: SegmentedLog): void {
  let previousTerm = 0;
  let index = 1;
  expect(log.firstIndex()).toBe(1);
  while (index <= log.lastIndex()) {
    for (const entry of log.read(index, log.lastIndex() + 1, 256 * 1024)) {
      expect(entry.index).toBe(index);
      expect(Buffer.from(entry.data).equals(Buffer.from(crashEntryData(index)))).toBe(true);
      expect(entry.term).toBeGreaterThanOrEqual(previousTerm);
      previousTerm = entry.term;
      index++;
    }
  }
}

describe('log under SIGKILL', () => {
  it('keeps every acknowledged entry across repeated kills at random moments', async () => {
    const seed = Number(process.env['QUIVER_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`QUIVER_SEED=${seed} npx vitest run test/log/crash.test.ts`);
    const random = seededRandom(seed);
    const dir = await tempDir();
    let tornTails = 0;
    let acknowledgedMax = 0;
    for (let run = 1; run <= RUNS; run++) {
      const acksBeforeKill = Math.floor(random() * (ACKS_BEFORE_KILL_MAX + 1));
      const { acknowledged, stderr } = await runAndKill(dir, run, acksBeforeKill);
      if (stderr.includes('Truncated torn log tail')) tornTails++;
      const log = await SegmentedLog.open(dir, { segmentBytesMax: CRASH_SEGMENT_BYTES_MAX });
      acknowledgedMax = Math.max(acknowledgedMax, ...acknowledged);
      expect(log.lastIndex(), `run ${run}`).toBeGreaterThanOrEqual(acknowledgedMax);
      checkWhole(log);
      await log.close();
    }
    console.log(`${RUNS} kills, ${acknowledgedMax} entries acknowledged, ` +
      `${tornTails} torn tails cut at reopen`);
  });
});
