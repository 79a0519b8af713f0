/**
 * Serializing the whole graph for a snapshot takes long on a large store. Done in one go on the
 * apply path it stalls the event loop: heartbeats stop, followers call elections, and clients
 * wait. So the chunks are drawn a time slice at a time, yielding to timers and sockets between
 * slices; the chunks come from a read view, which later commits do not change.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { assert } from '../assert.js';

/** Long enough to amortize the yield, short against a 50 ms raft tick. */
export const SNAPSHOT_SLICE_MS = 5;

export async function collectChunks(chunks: Iterable<Uint8Array>,
  sliceMs: number = SNAPSHOT_SLICE_MS): Promise<Buffer> {
  assert(sliceMs > 0, 'a slice must have some length');
  const parts: Uint8Array[] = [];
  let sliceStart = performance.now();
  for (const chunk of chunks) {
    parts.push(chunk);
    if (performance.now() - sliceStart < sliceMs) continue;
    await yieldToEventLoop();
    sliceStart = performance.now();
  }
  return Buffer.concat(parts);
}
