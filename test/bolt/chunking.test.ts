import { describe, expect, it } from 'vitest';
import { ChunkDecoder, type DechunkEvent } from '../../src/bolt/chunk-decoder.js';
import { beginChunkedMessage, endChunkedMessage } from '../../src/bolt/chunk-encoder.js';
import { PackStreamWriter } from '../../src/bolt/packstream/writer.js';
import { hex } from './wire.js';

// Fixtures from the protocol reference, written out by hand.
const RESET = hex('00 02 B0 0F 00 00');
const PULL_1000 = hex('00 08 B1 3F A1 81 6E C9 03 E8 00 00');
const RUN_RETURN_1 = hex('00 0D B3 10 88 52 45 54 55 52 4E 20 31 A0 A0 00 00');
/** The same RUN split into three chunks of 5, 5 and 3 bytes. */
const RUN_IN_THREE_CHUNKS = hex(
  '00 05 B3 10 88 52 45  00 05 54 55 52 4E 20  00 03 31 A0 A0  00 00');

function feed(parts: number[][], bytesMax = 1024): DechunkEvent[] {
  const decoder = new ChunkDecoder(bytesMax);
  return parts.flatMap((part) => decoder.push(Uint8Array.from(part)));
}

function messages(events: DechunkEvent[]): number[][] {
  return events.map((event) => (event.kind === 'message' ? [...event.bytes] : []));
}

const FIXTURES: [string, number[], number[]][] = [
  ['RESET', RESET, hex('B0 0F')],
  ['PULL {n: 1000}', PULL_1000, hex('B1 3F A1 81 6E C9 03 E8')],
  ['RUN "RETURN 1"', RUN_RETURN_1, hex('B3 10 88 52 45 54 55 52 4E 20 31 A0 A0')],
  ['RUN in three chunks', RUN_IN_THREE_CHUNKS, hex('B3 10 88 52 45 54 55 52 4E 20 31 A0 A0')],
];

describe('ChunkDecoder', () => {
  describe.each(FIXTURES)('%s', (_name, wire, body) => {
    it('decodes the message fed whole', () => {
      expect(messages(feed([wire]))).toEqual([body]);
    });

    it('decodes the message split at every offset', () => {
      for (let cut = 1; cut < wire.length; cut++) {
        expect(messages(feed([wire.slice(0, cut), wire.slice(cut)]))).toEqual([body]);
      }
    });

    it('decodes the message fed one byte at a time', () => {
      expect(messages(feed(wire.map((byte) => [byte])))).toEqual([body]);
    });

    it('decodes the message after another one, split at every offset', () => {
      const both = [...PULL_1000, ...wire];
      for (let cut = 0; cut <= both.length; cut++) {
        expect(messages(feed([both.slice(0, cut), both.slice(cut)])))
          .toEqual([hex('B1 3F A1 81 6E C9 03 E8'), body]);
      }
    });
  });

  it('skips NOOP chunks between messages', () => {
    const decoder = new ChunkDecoder(1024);
    const events = decoder.push(Uint8Array.from([0, 0, ...RESET, 0, 0, 0, 0, ...RESET]));
    expect(messages(events)).toEqual([hex('B0 0F'), hex('B0 0F')]);
    expect(decoder.noopCount).toBe(3);
  });

  it('refuses a message whose chunks together exceed the limit, before buffering them', () => {
    const decoder = new ChunkDecoder(10);
    const first = decoder.push(Uint8Array.from(hex('00 06 01 02 03 04 05 06')));
    expect(first).toEqual([]);
    // The second header pushes the total to 12 bytes; its body never needs to arrive.
    expect(decoder.push(Uint8Array.from(hex('00 06'))))
      .toEqual([{ kind: 'too-large', bytesMax: 10 }]);
    expect(decoder.closed).toBe(true);
    expect(decoder.push(Uint8Array.from(RESET))).toEqual([]);
  });
});

describe('chunk encoder', () => {
  function framed(body: Uint8Array): Buffer {
    const writer = new PackStreamWriter(() => undefined);
    const start = beginChunkedMessage(writer);
    writer.ensure(body.length);
    writer.buffer.set(body, writer.length);
    writer.setLength(writer.length + body.length);
    endChunkedMessage(writer, start);
    return writer.take();
  }

  it('backfills the header of a one-chunk message', () => {
    expect([...framed(Uint8Array.from(hex('B0 0F')))]).toEqual(RESET);
  });

  it('splits a body above 65535 bytes into full chunks and a tail', () => {
    const body = Uint8Array.from({ length: 0xffff * 2 + 10 }, (_, i) => i % 251);
    const out = framed(body);
    expect(out.readUInt16BE(0)).toBe(0xffff);
    expect(out.readUInt16BE(2 + 0xffff)).toBe(0xffff);
    expect(out.readUInt16BE(4 + 0xffff * 2)).toBe(10);
    expect(out.readUInt16BE(out.length - 2)).toBe(0);
    expect(out.length).toBe(body.length + 8);
    const events = new ChunkDecoder(1 << 20).push(out);
    expect(events).toHaveLength(1);
    expect(Buffer.from((events[0] as { bytes: Uint8Array }).bytes).equals(body)).toBe(true);
  });
});
