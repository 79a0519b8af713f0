/** A Bolt client over a raw socket for protocol tests: sends bytes, reads framed responses. */
import { connect, type Socket } from 'node:net';
import { ChunkDecoder } from '../../src/bolt/chunk-decoder.js';
import { PackStreamReader } from '../../src/bolt/packstream/reader.js';
import { structureHydrator } from '../../src/bolt/packstream/structures.js';
import type { Value } from '../../src/graph/values.js';

export interface Response {
  readonly type: 'SUCCESS' | 'RECORD' | 'IGNORED' | 'FAILURE';
  readonly fields: Value[];
  /** SUCCESS/FAILURE metadata (empty otherwise). */
  readonly meta: Map<string, Value>;
}

const TYPES: Record<number, Response['type']> = {
  0x70: 'SUCCESS', 0x71: 'RECORD', 0x7e: 'IGNORED', 0x7f: 'FAILURE',
};

export class RawClient {
  private buffered = Buffer.alloc(0);
  private readonly responses: Response[] = [];
  private waiters: (() => void)[] = [];
  private decoder: ChunkDecoder | null = null;
  closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  send(bytes: number[] | Uint8Array): void {
    this.socket.write(Uint8Array.from(bytes));
  }

  /** Reads `count` raw bytes (handshake replies). */
  async readBytes(count: number): Promise<number[]> {
    await this.until(() => this.buffered.length >= count);
    if (this.buffered.length < count) throw new Error(`closed after ${this.buffered.length} bytes`);
    const out = [...this.buffered.subarray(0, count)];
    this.buffered = this.buffered.subarray(count);
    return out;
  }

  /** Switches to reading framed Bolt messages (after the handshake reply). */
  startMessages(utc = true): void {
    this.decoder = new ChunkDecoder(64 * 1024 * 1024);
    this.utc = utc;
    const rest = this.buffered;
    this.buffered = Buffer.alloc(0);
    if (rest.length > 0) this.onData(rest);
  }

  private utc = true;

  async next(): Promise<Response> {
    await this.until(() => this.responses.length > 0);
    const response = this.responses.shift();
    if (response === undefined) throw new Error('connection closed before a response');
    return response;
  }

  /** Reads responses up to and including the next summary (SUCCESS/FAILURE/IGNORED). */
  async summary(): Promise<{ records: Value[][]; summary: Response }> {
    const records: Value[][] = [];
    for (;;) {
      const response = await this.next();
      if (response.type !== 'RECORD') return { records, summary: response };
      records.push(response.fields[0] as Value[]);
    }
  }

  async waitClosed(): Promise<void> {
    await this.until(() => this.closed);
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(data: Buffer): void {
    if (this.decoder === null) {
      this.buffered = Buffer.concat([this.buffered, data]);
    } else {
      const hydrate = structureHydrator({ elementIds: true, utcDateTime: this.utc });
      for (const event of this.decoder.push(data)) {
        if (event.kind !== 'message') throw new Error('response too large');
        const reader = new PackStreamReader(event.bytes, { depthMax: 100, hydrate:
          (tag, fields) => (tag === 0x4e || tag === 0x52 || tag === 0x50 || tag === 0x72)
            ? new Map<string, Value>([['tag', BigInt(tag)], ['fields', fields]])
            : hydrate(tag, fields) });
        const { size, tag } = reader.readStructHeader();
        const fields: Value[] = [];
        for (let i = 0; i < size; i++) fields.push(reader.readValue(1));
        const first = fields[0];
        const type = TYPES[tag];
        if (type === undefined) throw new Error(`unknown response 0x${tag.toString(16)}`);
        this.responses.push({ type, fields,
          meta: type !== 'RECORD' && first instanceof Map ? first : new Map() });
      }
    }
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private async until(condition: () => boolean): Promise<void> {
    while (!condition() && !this.closed) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

/** Magic + proposals for one exact version (`00 00 minor major`). */
export function handshakeFor(major: number, minor: number): number[] {
  return [0x60, 0x60, 0xb0, 0x17, 0, 0, minor, major, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
}
