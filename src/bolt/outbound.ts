import type { Value } from '../graph/values.js';
import { beginChunkedMessage, endChunkedMessage } from './chunk-encoder.js';
import { Signature } from './messages.js';
import { PackStreamWriter, type StructureWriter } from './packstream/writer.js';
import type { BoltTransport } from './transport.js';

const EMPTY_META: ReadonlyMap<string, Value> = new Map();

/** A point in the outbound stream to which replies not yet written out can be taken back. */
export interface OutboundMark {
  readonly pendingBytes: number;
  readonly writes: number;
}

/**
 * Encodes responses into one buffer and hands it to the transport in batches: records of a
 * PULL go out together, and pipelined replies share a write. Streaming code asks
 * `mustWaitForDrain()` so a slow reader slows the producer instead of growing memory.
 */
export class Outbound {
  private readonly writer: PackStreamWriter;
  private structures: StructureWriter;
  /** Batches handed to the transport so far. */
  private writes = 0;

  constructor(
    private readonly transport: BoltTransport,
    structures: StructureWriter,
    private readonly limits: { outboundFlushBytes: number; outboundBytesHighWater: number },
  ) {
    this.structures = structures;
    this.writer = new PackStreamWriter((w, v) => this.structures(w, v));
  }

  /** After HELLO settles element ids and the DateTime form for this connection. */
  useStructures(structures: StructureWriter): void {
    this.structures = structures;
  }

  success(metadata: ReadonlyMap<string, Value> = EMPTY_META): void {
    this.message(Signature.Success, metadata);
  }

  failure(metadata: ReadonlyMap<string, Value>): void {
    this.message(Signature.Failure, metadata);
  }

  ignored(): void {
    const start = beginChunkedMessage(this.writer);
    this.writer.writeStructHeader(0, Signature.Ignored);
    endChunkedMessage(this.writer, start);
  }

  /** Encodes one RECORD; if a value cannot be encoded, nothing of the record is kept. */
  record(values: readonly Value[]): void {
    const start = beginChunkedMessage(this.writer);
    try {
      this.writer.writeStructHeader(1, Signature.Record);
      this.writer.writeListHeader(values.length);
      for (const value of values) this.writer.writeValue(value);
    } catch (error) {
      this.writer.setLength(start);
      throw error;
    }
    endChunkedMessage(this.writer, start);
  }

  pendingBytes(): number {
    return this.writer.length;
  }

  /** Writes out what is pending once a batch is big enough. */
  flushIfFull(): void {
    if (this.writer.length >= this.limits.outboundFlushBytes) this.flush();
  }

  flush(): void {
    if (this.writer.length === 0) return;
    this.writes += 1;
    this.transport.write(this.writer.take());
  }

  mark(): OutboundMark {
    return { pendingBytes: this.writer.length, writes: this.writes };
  }

  /**
   * Drops what was encoded after `mark`, if none of it has been written out yet; returns
   * whether it could. The client then never learns those replies existed.
   */
  rewindTo(mark: OutboundMark): boolean {
    if (this.writes !== mark.writes || this.writer.length < mark.pendingBytes) return false;
    this.writer.setLength(mark.pendingBytes);
    return true;
  }

  mustWaitForDrain(): boolean {
    return this.transport.bufferedBytes() > this.limits.outboundBytesHighWater;
  }

  waitForDrain(): Promise<void> {
    return new Promise((resolve) => this.transport.onceDrained(resolve));
  }

  private message(signature: Signature, metadata: ReadonlyMap<string, Value>): void {
    const start = beginChunkedMessage(this.writer);
    try {
      this.writer.writeStructHeader(1, signature);
      this.writer.writeMap(metadata);
    } catch (error) {
      this.writer.setLength(start);
      throw error;
    }
    endChunkedMessage(this.writer, start);
  }
}
