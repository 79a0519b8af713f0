import { assert } from '../assert.js';
import type { PackStreamWriter } from './packstream/writer.js';

export const CHUNK_BYTES_MAX = 0xffff;

/**
 * Starts an outbound message in the writer: reserves the first chunk's two-byte header.
 * Returns where the message starts, for `endChunkedMessage`.
 */
export function beginChunkedMessage(writer: PackStreamWriter): number {
  const start = writer.length;
  writer.ensure(2);
  writer.setLength(start + 2);
  return start;
}

/**
 * Closes the message begun at `start`: backfills the chunk header, splits a body longer than
 * one chunk by inserting further headers (rare: only values above 64 KiB), then appends `00 00`.
 */
export function endChunkedMessage(writer: PackStreamWriter, start: number): void {
  const bodyStart = start + 2;
  const bodyBytes = writer.length - bodyStart;
  assert(bodyBytes > 0, 'a Bolt message is never empty');
  if (bodyBytes <= CHUNK_BYTES_MAX) {
    // Nearly every message fits one chunk (a RECORD of a streamed result is one of these):
    // backfill its header and end it, byte by byte rather than through Buffer's checked writers.
    writer.ensure(2);
    const bytes = writer.buffer;
    const end = writer.length;
    bytes[start] = bodyBytes >> 8;
    bytes[start + 1] = bodyBytes & 0xff;
    bytes[end] = 0;
    bytes[end + 1] = 0;
    writer.setLength(end + 2);
    return;
  }
  const chunkCount = Math.ceil(bodyBytes / CHUNK_BYTES_MAX);
  const extraHeaders = (chunkCount - 1) * 2;
  writer.ensure(extraHeaders + 2);
  const bytes = writer.buffer;
  // Walk the chunks from the last one back, moving each to its final place, so no byte is
  // overwritten before it has moved.
  for (let chunk = chunkCount - 1; chunk >= 1; chunk--) {
    const from = bodyStart + chunk * CHUNK_BYTES_MAX;
    const size = Math.min(CHUNK_BYTES_MAX, bodyBytes - chunk * CHUNK_BYTES_MAX);
    const headerAt = from + (chunk - 1) * 2;
    bytes.copyWithin(headerAt + 2, from, from + size);
    bytes.writeUInt16BE(size, headerAt);
  }
  bytes.writeUInt16BE(Math.min(CHUNK_BYTES_MAX, bodyBytes), start);
  const end = writer.length + extraHeaders;
  bytes.writeUInt16BE(0, end);
  writer.setLength(end + 2);
}
