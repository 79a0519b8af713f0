import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PackStreamDecodeError, PackStreamReader } from '../../src/bolt/packstream/reader.js';
import {
  structureHydrator, structureWriter, type StructureOptions,
} from '../../src/bolt/packstream/structures.js';
import { PackStreamWriter } from '../../src/bolt/packstream/writer.js';
import {
  CypherDate, DateTime, Duration, LocalDateTime, LocalTime, Node, Path, Point, Relationship, Time,
  type Value,
} from '../../src/graph/values.js';
import { hex, pack, WireStruct } from './wire.js';

const V5: StructureOptions = { elementIds: true, utcDateTime: true };
const V4: StructureOptions = { elementIds: false, utcDateTime: false };

function encode(value: Value, options = V5): number[] {
  const writer = new PackStreamWriter(structureWriter(options));
  writer.writeValue(value);
  return [...writer.take()];
}

function decode(bytes: number[], options = V5, depthMax = 64): Value {
  const reader = new PackStreamReader(Uint8Array.from(bytes),
    { depthMax, hydrate: structureHydrator(options) });
  const value = reader.readValue(0);
  expect(reader.remaining).toBe(0);
  return value;
}

function decodeError(bytes: number[], options = V5, depthMax = 64): PackStreamDecodeError {
  try {
    decode(bytes, options, depthMax);
  } catch (error) {
    if (error instanceof PackStreamDecodeError) return error;
    throw error;
  }
  throw new Error('decoded without error');
}

describe('PackStream integers', () => {
  const cases: [bigint, string][] = [
    [0n, '00'], [127n, '7F'], [-16n, 'F0'], [-1n, 'FF'], [-17n, 'C8 EF'], [-128n, 'C8 80'],
    [128n, 'C9 00 80'], [-129n, 'C9 FF 7F'], [32767n, 'C9 7F FF'], [32768n, 'CA 00 00 80 00'],
    [-2147483648n, 'CA 80 00 00 00'], [2147483648n, 'CB 00 00 00 00 80 00 00 00'],
    [-(2n ** 63n), 'CB 80 00 00 00 00 00 00 00'], [2n ** 63n - 1n, 'CB 7F FF FF FF FF FF FF FF'],
  ];
  it.each(cases)('encodes %s in the smallest form', (value, bytes) => {
    expect(encode(value)).toEqual(hex(bytes));
    expect(decode(hex(bytes))).toBe(value);
  });

  it('accepts wider encodings than necessary', () => {
    const forms = ['2A', 'C8 2A', 'C9 00 2A', 'CA 00 00 00 2A', 'CB 00 00 00 00 00 00 00 2A'];
    for (const form of forms) {
      expect(decode(hex(form))).toBe(42n);
    }
  });
});

describe('PackStream scalars and collections', () => {
  it('encodes floats as 64-bit, never as integers', () => {
    expect(encode(1)).toEqual(hex('C1 3F F0 00 00 00 00 00 00'));
    expect(decode(hex('C1 BF F8 00 00 00 00 00 00'))).toBe(-1.5);
  });

  it('counts UTF-8 bytes in string sizes', () => {
    expect(encode('Größe')).toEqual([0x87, ...Buffer.from('Größe')]);
    expect(encode('a'.repeat(16))).toEqual([0xd0, 16, ...Buffer.from('a'.repeat(16))]);
    expect(decode([0xd1, 0x01, 0x00, ...Buffer.from('b'.repeat(256))])).toBe('b'.repeat(256));
  });

  it('encodes null, booleans, bytes, lists and maps', () => {
    expect(encode(null)).toEqual([0xc0]);
    expect(encode([true, false])).toEqual(hex('92 C3 C2'));
    expect(encode(Uint8Array.of(1, 2))).toEqual(hex('CC 02 01 02'));
    expect(encode(new Map([['a', 1n]]))).toEqual(hex('A1 81 61 01'));
    expect(encode(Array.from({ length: 16 }, () => 0n))).toEqual([0xd4, 16, ...Array(16).fill(0)]);
  });

  it('lets the last of duplicate map keys win', () => {
    expect(decode(hex('A2 81 61 01 81 61 02'))).toEqual(new Map([['a', 2n]]));
  });

  it('round-trips any plain value', () => {
    const plain = fc.letrec<{ value: Value }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constant(null), fc.boolean(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        fc.double({ noNaN: true }), fc.string({ unit: 'grapheme' }), fc.uint8Array(),
        fc.array(tie('value'), { maxLength: 20 }),
        fc.array(fc.tuple(fc.string(), tie('value')), { maxLength: 20 })
          .map((entries) => new Map(entries)),
      ),
    })).value;
    fc.assert(fc.property(plain, (value) => {
      expect(decode(encode(value))).toEqual(value);
    }));
  });
});

describe('PackStream graph structures', () => {
  const node = new Node(1, ['P'], new Map(), '1');
  it('writes Node with an element id from Bolt 5.0 and without before', () => {
    expect(encode(node)).toEqual(hex('B4 4E 01 91 81 50 A0 81 31'));
    expect(encode(node, V4)).toEqual(hex('B3 4E 01 91 81 50 A0'));
  });

  it('writes Relationship with its three element ids', () => {
    const rel = new Relationship(9, 'K', 1, 2, new Map(), 'r', 'a', 'b');
    expect(encode(rel)).toEqual(hex('B8 52 09 01 02 81 4B A0 81 72 81 61 81 62'));
    expect(encode(rel, V4)).toEqual(hex('B5 52 09 01 02 81 4B A0'));
  });

  it('writes a path as distinct nodes, unbound relationships and the walk', () => {
    const a = new Node(1, [], new Map(), 'a');
    const b = new Node(2, [], new Map(), 'b');
    const ab = new Relationship(5, 'K', 1, 2, new Map(), 'r', 'a', 'b');
    // a -> b, then back over the same relationship against its direction.
    expect(encode(new Path([a, b, a], [ab, ab]), V4)).toEqual(hex(
      'B3 50 92 B3 4E 01 90 A0 B3 4E 02 90 A0 91 B3 72 05 81 4B A0 94 01 01 FF 00'));
  });

  it('refuses graph entities sent as parameters', () => {
    const error = decodeError(hex('B3 4E 01 90 A0'), V4);
    expect(error.codeName).toBe('RequestInvalid');
  });
});

describe('PackStream temporal and spatial structures', () => {
  // 2000-01-01T12:00:00+02:00: UTC seconds 946720800, wall-clock seconds 946728000.
  const offsetDateTime = new DateTime(946720800n, 0, 7200, null);
  it('writes DateTime in UTC form on 5.x and in wall-clock form on legacy connections', () => {
    expect(encode(offsetDateTime)).toEqual(pack(new WireStruct(0x49, [946720800n, 0n, 7200n])));
    expect(encode(offsetDateTime, V4)).toEqual(pack(new WireStruct(0x46, [946728000n, 0n, 7200n])));
    expect(decode(pack(new WireStruct(0x46, [946728000n, 0n, 7200n])), V4)).toEqual(offsetDateTime);
  });

  it('resolves zone ids to their offset at the instant, in both forms', () => {
    const summer = new DateTime(1_593_000_000n, 5, 7200, 'Europe/Stockholm');
    const utcForm = pack(new WireStruct(0x69, [1_593_000_000n, 5n, 'Europe/Stockholm']));
    const legacyForm = pack(new WireStruct(0x66, [1_593_007_200n, 5n, 'Europe/Stockholm']));
    expect(encode(summer)).toEqual(utcForm);
    expect(decode(utcForm)).toEqual(summer);
    expect(encode(summer, V4)).toEqual(legacyForm);
    expect(decode(legacyForm, V4)).toEqual(summer);
    expect(decodeError(pack(new WireStruct(0x69, [0n, 0n, 'Mars/Olympus']))).codeName)
      .toBe('TypeError');
  });

  it('refuses the DateTime form the connection did not agree on', () => {
    expect(decodeError(pack(new WireStruct(0x46, [0n, 0n, 0n])), V5).codeName)
      .toBe('RequestInvalid');
    expect(decodeError(pack(new WireStruct(0x49, [0n, 0n, 0n])), V4).codeName)
      .toBe('RequestInvalid');
  });

  it.each([
    [new CypherDate(2024, 2, 29), new WireStruct(0x44, [19782n])],
    [new CypherDate(1969, 12, 31), new WireStruct(0x44, [-1n])],
    [new Time(3_600_000_000_000n, -3600), new WireStruct(0x54, [3_600_000_000_000n, -3600n])],
    [new LocalTime(1n), new WireStruct(0x74, [1n])],
    [new LocalDateTime(-1n, 999_999_999), new WireStruct(0x64, [-1n, 999_999_999n])],
    [new Duration(14n, -3n, 59n, 7), new WireStruct(0x45, [14n, -3n, 59n, 7n])],
    [new Point(7203, 1.5, -2, null), new WireStruct(0x58, [7203n, 1.5, -2])],
    [new Point(4979, 1, 2, 3), new WireStruct(0x59, [4979n, 1, 2, 3])],
  ])('round-trips %o', (value, wire) => {
    expect(encode(value)).toEqual(pack(wire));
    expect(decode(pack(wire))).toEqual(value);
  });
});

describe('PackStream decoding of hostile input', () => {
  it.each([
    ['a reserved marker', 'C4'],
    ['a string longer than the message', 'D0 10 61'],
    ['a list count larger than the bytes left', 'D6 7F FF FF FF 01'],
    ['a map with a non-string key', 'A1 01 01'],
    ['a truncated float', 'C1 00 00'],
    ['invalid UTF-8', '82 C3 28'],
    ['a struct with the wrong field count', 'B2 44 01 02'],
  ])('refuses %s with an error value', (_name, bytes) => {
    expect(decodeError(hex(bytes))).toBeInstanceOf(PackStreamDecodeError);
  });

  it('refuses nesting deeper than packstreamDepthMax', () => {
    const deep = [...Array(10).fill(0x91), 0x01];
    expect(decode(deep, V5, 10)).toEqual([[[[[[[[[[1n]]]]]]]]]]);
    expect(decodeError(deep, V5, 9).message).toContain('packstreamDepthMax');
  });
});
