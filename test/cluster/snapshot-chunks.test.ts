/**
 * Snapshots are serialized a time slice at a time, so timers (raft ticks, heartbeats) run
 * while a large graph is written out.
 */
import { describe, expect, it } from 'vitest';
import { collectChunks } from '../../src/cluster/snapshot-chunks.js';

function* slowChunks(count: number, busyMs: number): Generator<Uint8Array> {
  for (let i = 0; i < count; i += 1) {
    const until = Date.now() + busyMs;
    while (Date.now() < until) { /* a chunk that takes a while to serialize */ }
    yield new Uint8Array([i]);
  }
}

describe('collecting snapshot chunks', () => {
  it('keeps every chunk in order', async () => {
    expect([...await collectChunks(slowChunks(20, 0))]).toEqual([...Array(20).keys()]);
  });

  it('lets a due timer run before a long serialization ends', async () => {
    let timerRan = false;
    let timerRanBeforeTheEnd = false;
    setTimeout(() => {
      timerRan = true;
    }, 0);
    const chunks = (function* () {
      yield* slowChunks(20, 2);
      timerRanBeforeTheEnd = timerRan;
    })();
    await collectChunks(chunks, 5);
    expect(timerRanBeforeTheEnd).toBe(true);
  });
});
