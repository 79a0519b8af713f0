/**
 * Random sequences of appends, truncations, compactions and reopens, mostly issued without
 * waiting for each other, checked against a plain array after every step.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SegmentedLog } from '../../src/log/index.js';
import type { LogEntry } from '../../src/log/index.js';
import { plain, tempDir } from './helpers.js';

type Op =
  | { kind: 'append'; count: number; termStep: number; bytes: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'compact'; at: number }
  | { kind: 'reopen' }
  | { kind: 'wait' };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({
    kind: fc.constant('append' as const),
    count: fc.integer({ min: 1, max: 12 }),
    termStep: fc.integer({ min: 0, max: 1 }),
    bytes: fc.integer({ min: 0, max: 300 }),
  }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.double({
    min: 0, max: 1, noNaN: true }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('compact' as const), at: fc.double({
    min: 0, max: 1.2, noNaN: true }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'wait' as const }) },
);

const OPTIONS = { segmentBytesMax: 700, cacheBytesMax: 400 };

class Model {
  base = 1;
  entries: LogEntry[] = [];
  get last(): number {
    return this.base + this.entries.length - 1;
  }
}

/** `wait` lets the writer finish the oldest call while later ones are still queued. */
async function apply(log: SegmentedLog, model: Model, op: Op, pending: Promise<void>[]) {
  if (op.kind === 'wait') {
    await pending.shift();
  } else if (op.kind === 'append') {
    const term = (model.entries[model.entries.length - 1]?.term ?? 1) + op.termStep;
    const batch = Array.from({ length: op.count }, (_, k): LogEntry => ({
      index: model.last + 1 + k, term, kind: 'normal',
      data: new Uint8Array(op.bytes).fill((model.last + k) & 0xff),
    }));
    pending.push(log.append(batch));
    model.entries.push(...batch);
  } else if (op.kind === 'truncate') {
    const at = model.base + Math.floor(op.at * (model.entries.length + 1));
    pending.push(log.truncateSuffix(Math.min(at, model.last + 1)));
    model.entries.length = Math.min(at, model.last + 1) - model.base;
  } else if (op.kind === 'compact') {
    const at = Math.max(1, model.base + Math.floor(op.at * (model.entries.length + 1)));
    await log.compactPrefix(at);
    if (at > model.last) {
      model.base = at;
      model.entries = [];
    } else {
      expect(log.firstIndex()).toBeLessThanOrEqual(Math.max(at, model.base));
      model.entries.splice(0, log.firstIndex() - model.base);
      model.base = log.firstIndex();
    }
  }
}

function check(log: SegmentedLog, model: Model): void {
  expect([log.firstIndex(), log.lastIndex()]).toEqual([model.base, model.last]);
  expect(plain(log.read(model.base, model.last + 1, 1e9))).toEqual(plain(model.entries));
  const last = model.entries[model.entries.length - 1];
  if (last !== undefined) expect(log.termAt(last.index)).toBe(last.term);
}

describe('SegmentedLog against a model', () => {
  it('matches an array through random operations and reopens', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArbitrary, { minLength: 1, maxLength: 30 }), async (ops) => {
        const dir = await tempDir();
        let log = await SegmentedLog.open(dir, OPTIONS);
        const model = new Model();
        const pending: Promise<void>[] = [];
        for (const op of ops) {
          if (op.kind === 'reopen') {
            await Promise.all(pending.splice(0));
            await log.close();
            log = await SegmentedLog.open(dir, OPTIONS);
          } else {
            await apply(log, model, op, pending);
          }
          check(log, model);
        }
        await Promise.all(pending.splice(0));
        await log.close();
        log = await SegmentedLog.open(dir, OPTIONS);
        check(log, model);
        await log.close();
      }),
      { numRuns: 60 },
    );
  });
});
