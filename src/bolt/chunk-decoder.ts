import { assert } from '../assert.js';

/** What one push of inbound bytes produced, in arrival order. */
export type DechunkEvent =
  | { readonly kind: 'message'; readonly bytes: Uint8Array }
  | { readonly kind: 'too-large'; readonly bytesMax: number };

/**
 * The dechunker's states. A chunk header can be split across reads, so `header-half` keeps its
 * high byte; `closed` is terminal after a message grew past the limit.
 */
type DechunkState =
  | { readonly name: 'awaiting-header' }
  | { readonly name: 'header-half'; readonly high: number }
  | { readonly name: 'in-chunk'; readonly bytesLeft: number }
  | { readonly name: 'closed' };

const AWAITING_HEADER: DechunkState = { name: 'awaiting-header' };

/**
 * Turns the Bolt byte stream into whole messages: `[u16 size][bytes]…` ended by `00 00`.
 * A message spread over chunks is kept as a list of views and joined once at its end; the size
 * cap counts every chunk of the message and is checked on each header, before buffering.
 */
export class ChunkDecoder {
  private state: DechunkState = AWAITING_HEADER;
  private parts: Uint8Array[] = [];
  private messageBytes = 0;
  /** Empty chunks seen between messages (NOOP keep-alives); for tests and metrics. */
  noopCount = 0;

  constructor(private readonly boltMessageBytesMax: number) {
    assert(boltMessageBytesMax > 0, 'boltMessageBytesMax must be positive');
  }

  get closed(): boolean {
    return this.state.name === 'closed';
  }

  push(data: Uint8Array): DechunkEvent[] {
    const events: DechunkEvent[] = [];
    let offset = 0;
    while (offset < data.byteLength && this.state.name !== 'closed') {
      offset = this.step(data, offset, events);
    }
    return events;
  }

  /** Consumes bytes for the current state and returns the new offset. */
  private step(data: Uint8Array, offset: number, events: DechunkEvent[]): number {
    const state = this.state;
    switch (state.name) {
      case 'awaiting-header': {
        const high = data[offset] ?? 0;
        if (offset + 1 >= data.byteLength) {
          this.state = { name: 'header-half', high };
          return offset + 1;
        }
        this.onHeader((high << 8) | (data[offset + 1] ?? 0), events);
        return offset + 2;
      }
      case 'header-half':
        this.onHeader((state.high << 8) | (data[offset] ?? 0), events);
        return offset + 1;
      case 'in-chunk': {
        const end = Math.min(data.byteLength, offset + state.bytesLeft);
        this.parts.push(data.subarray(offset, end));
        const bytesLeft = state.bytesLeft - (end - offset);
        this.state = bytesLeft === 0 ? AWAITING_HEADER : { name: 'in-chunk', bytesLeft };
        return end;
      }
      case 'closed':
        return data.byteLength;
    }
  }

  private onHeader(size: number, events: DechunkEvent[]): void {
    if (size === 0) {
      this.endMessage(events);
      return;
    }
    this.messageBytes += size;
    if (this.messageBytes > this.boltMessageBytesMax) {
      this.state = { name: 'closed' };
      this.parts = [];
      events.push({ kind: 'too-large', bytesMax: this.boltMessageBytesMax });
      return;
    }
    this.state = { name: 'in-chunk', bytesLeft: size };
  }

  private endMessage(events: DechunkEvent[]): void {
    this.state = AWAITING_HEADER;
    if (this.parts.length === 0) {
      this.noopCount += 1;
      return;
    }
    const bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
    assert(bytes !== undefined, 'a message has at least one part');
    this.parts = [];
    this.messageBytes = 0;
    events.push({ kind: 'message', bytes });
  }
}
