/**
 * Cuts the byte stream of a cluster port (raft or discovery) into whole frames, header
 * included, without checking them: the fault proxy forwards, delays or drops whole frames so
 * that what reaches a member is always well framed. The layout is the one of
 * src/cluster/frame-codec.ts: [u32 length][u32 crc32c][length bytes], big-endian.
 */
const HEADER_BYTES = 8;

export class FrameTooLarge extends Error {
  constructor(readonly bytes: number, readonly bytesMax: number) {
    super(`frame of ${bytes} bytes exceeds the proxy's limit of ${bytesMax}`);
  }
}

export class FrameSplitter {
  private buffered: Buffer = Buffer.alloc(0);

  constructor(private readonly frameBytesMax: number) {}

  /** Every frame `chunk` completes; throws FrameTooLarge on a header over the limit. */
  push(chunk: Buffer): Buffer[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const frames: Buffer[] = [];
    let offset = 0;
    while (this.buffered.length - offset >= HEADER_BYTES) {
      const length = this.buffered.readUInt32BE(offset);
      if (length > this.frameBytesMax) throw new FrameTooLarge(length, this.frameBytesMax);
      const end = offset + HEADER_BYTES + length;
      if (end > this.buffered.length) break;
      frames.push(this.buffered.subarray(offset, end));
      offset = end;
    }
    this.buffered = this.buffered.subarray(offset);
    return frames;
  }
}

/** The JSON payload of a frame (after its version byte), or null if it is not JSON. */
export function frameJson(frame: Buffer): unknown {
  try {
    return JSON.parse(frame.subarray(HEADER_BYTES + 1).toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

/**
 * The member id a connection's first frame announces: the raft handshake carries it at the
 * top level, a discovery request inside `hello`.
 */
export function announcedMemberId(firstFrame: Buffer): string | null {
  const json = frameJson(firstFrame);
  if (typeof json !== 'object' || json === null) return null;
  const top = (json as { memberId?: unknown }).memberId;
  if (typeof top === 'string') return top;
  const hello = (json as { hello?: unknown }).hello;
  if (typeof hello !== 'object' || hello === null) return null;
  const nested = (hello as { memberId?: unknown }).memberId;
  return typeof nested === 'string' ? nested : null;
}
