/**
 * Framing of the raft port: [u32 length][u32 crc32c][u8 version][payload], big-endian. `length`
 * counts version and payload; the checksum covers them too, so a torn or corrupted frame is
 * refused instead of decoded. The length is checked against a maximum before anything is
 * buffered, so one bad header cannot make a member allocate gigabytes.
 */
import { crc32c } from '../log/crc32c.js';

export const FRAME_VERSION = 1;
const HEADER_BYTES = 8;

export type FrameError =
  | { readonly kind: 'frame-too-large'; readonly bytes: number; readonly bytesMax: number }
  | { readonly kind: 'bad-checksum' }
  | { readonly kind: 'bad-version'; readonly version: number }
  | { readonly kind: 'empty-frame' };

export function describeFrameError(error: FrameError): string {
  switch (error.kind) {
    case 'frame-too-large':
      return `frame of ${error.bytes} bytes exceeds the limit of ${error.bytesMax}`;
    case 'bad-checksum':
      return 'frame checksum mismatch';
    case 'bad-version':
      return `unsupported frame version ${error.version}`;
    case 'empty-frame':
      return 'frame without a version byte';
  }
}

export function encodeFrame(payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(HEADER_BYTES + 1 + payload.length);
  const view = new DataView(frame.buffer);
  frame[HEADER_BYTES] = FRAME_VERSION;
  frame.set(payload, HEADER_BYTES + 1);
  const body = frame.subarray(HEADER_BYTES);
  view.setUint32(0, body.length);
  view.setUint32(4, crc32c(body));
  return frame;
}

/** The big-endian u32 at `offset` of `bytes`, which holds at least offset + 4 bytes. */
function u32At(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] ?? 0) * 0x1000000) + (((bytes[offset + 1] ?? 0) << 16) |
    ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0));
}

/**
 * Cuts a byte stream into payloads. Chunks are kept as they arrive; a frame that lies within
 * one chunk (the usual case: a read holds whole Appends) is handed out as a view of it, and
 * one spread over several chunks is copied out once, when complete, so a large frame arriving
 * in many chunks costs linear time. Views are safe: a socket never reuses a chunk it read into.
 */
export class FrameDecoder {
  private chunks: Uint8Array[] = [];
  private bufferedBytes = 0;

  constructor(private readonly frameBytesMax: number) {}

  /** Payloads of every frame completed by `chunk`, or the first error (then stop reading). */
  push(chunk: Uint8Array): { payloads: Uint8Array[] } | { error: FrameError } {
    this.chunks.push(chunk);
    this.bufferedBytes += chunk.length;
    const payloads: Uint8Array[] = [];
    while (this.bufferedBytes >= HEADER_BYTES) {
      const header = this.peek(HEADER_BYTES);
      const length = u32At(header, 0);
      if (length > this.frameBytesMax) {
        return { error: { kind: 'frame-too-large', bytes: length, bytesMax: this.frameBytesMax } };
      }
      if (length === 0) return { error: { kind: 'empty-frame' } };
      if (this.bufferedBytes < HEADER_BYTES + length) break;
      this.take(HEADER_BYTES);
      const body = this.take(length);
      if (crc32c(body) !== u32At(header, 4)) return { error: { kind: 'bad-checksum' } };
      const version = body[0] ?? 0;
      if (version !== FRAME_VERSION) return { error: { kind: 'bad-version', version } };
      payloads.push(body.subarray(1));
    }
    return { payloads };
  }

  /** The first `count` buffered bytes, left in place: a view when one chunk holds them. */
  private peek(count: number): Uint8Array {
    const first = this.chunks[0];
    if (first !== undefined && first.length >= count) return first.subarray(0, count);
    const out = new Uint8Array(count);
    let filled = 0;
    for (const chunk of this.chunks) {
      if (filled === count) break;
      const part = chunk.subarray(0, count - filled);
      out.set(part, filled);
      filled += part.length;
    }
    return out;
  }

  /** Removes and returns the first `count` buffered bytes (a view, or one new array). */
  private take(count: number): Uint8Array {
    const out = this.peek(count);
    let left = count;
    while (left > 0) {
      const first = this.chunks[0];
      if (first === undefined) break;
      if (first.length <= left) {
        this.chunks.shift();
        left -= first.length;
      } else {
        this.chunks[0] = first.subarray(left);
        left = 0;
      }
    }
    this.bufferedBytes -= count;
    return out;
  }
}
