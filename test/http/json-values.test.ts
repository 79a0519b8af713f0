import { describe, expect, it } from 'vitest';
import {
  CypherDate, DateTime, Duration, LocalDateTime, LocalTime, Node, Path, Point, Relationship, Time,
  type Value,
} from '../../src/graph/values.js';
import {
  parametersFromJson, toMeta, toPlainJson, toRow, toTypedJson,
} from '../../src/http/json-values.js';
import { dateFromEpochDays, formatTemporal } from '../../src/http/temporal-text.js';

const NANOS = 1_000_000_000n;
const ada = new Node(1, ['Person'], new Map<string, Value>([['name', 'Ada']]), 'e1');
const bob = new Node(2, [], new Map(), 'e2');
const knows = new Relationship(3, 'KNOWS', 1, 2, new Map(), 'e3', 'e1', 'e2');

describe('temporal text', () => {
  it('turns epoch days into calendar dates', () => {
    expect(dateFromEpochDays(0)).toEqual(new CypherDate(1970, 1, 1));
    expect(dateFromEpochDays(18_292)).toEqual(new CypherDate(2020, 1, 31));
    expect(dateFromEpochDays(-1)).toEqual(new CypherDate(1969, 12, 31));
  });

  it('prints every temporal type in Java ISO shapes', () => {
    expect(formatTemporal(new CypherDate(2020, 1, 31))).toBe('2020-01-31');
    expect(formatTemporal(new LocalTime((12n * 3600n + 50n * 60n) * NANOS))).toBe('12:50');
    expect(formatTemporal(new Time((12n * 3600n + 50n * 60n + 35n) * NANOS + 556_000_000n, 3600)))
      .toBe('12:50:35.556+01:00');
    expect(formatTemporal(new LocalDateTime(1_437_514_832n, 142_000_000)))
      .toBe('2015-07-21T21:40:32.142');
    expect(formatTemporal(new DateTime(1_437_511_232n, 142_000_000, 3600, 'Europe/London')))
      .toBe('2015-07-21T21:40:32.142+01:00[Europe/London]');
    expect(formatTemporal(new DateTime(0n, 0, 0, null))).toBe('1970-01-01T00:00Z');
    expect(formatTemporal(new Duration(14n, 3n, 14_706n, 500_000_000))).toBe('P1Y2M3DT4H5M6.5S');
    expect(formatTemporal(new Duration(0n, 0n, 0n, 0))).toBe('PT0S');
  });
});

describe('plain and typed JSON', () => {
  it('maps scalars, entities and paths as the Query API does', () => {
    expect(toPlainJson([1n, 2.5, 'x', null, true])).toEqual([1, 2.5, 'x', null, true]);
    expect(toPlainJson(2n ** 60n)).toBe('1152921504606846976');
    expect(toPlainJson(ada)).toEqual({ elementId: 'e1', labels: ['Person'],
      properties: { name: 'Ada' } });
    expect(toPlainJson(new Path([ada, bob], [knows]))).toEqual([
      toPlainJson(ada), { elementId: 'e3', startNodeElementId: 'e1', endNodeElementId: 'e2',
        type: 'KNOWS', properties: {} }, toPlainJson(bob)]);
    expect(toPlainJson(new Point(4326, 12.5, 55.6, null))).toBe('SRID=4326;POINT (12.5 55.6)');
    expect(toPlainJson(new Uint8Array([1, 2, 3]))).toBe('AQID');
  });

  it('tags every value with its type in typed JSON', () => {
    expect(toTypedJson(new Map<string, Value>([['a', 1n], ['b', 1.5]]))).toEqual({ $type: 'Map',
      _value: { a: { $type: 'Integer', _value: '1' }, b: { $type: 'Float', _value: '1.5' } } });
    expect(toTypedJson(new DateTime(0n, 0, 0, null))).toEqual(
      { $type: 'OffsetDateTime', _value: '1970-01-01T00:00Z' });
    expect(toTypedJson(new CypherDate(2020, 1, 31)))
      .toEqual({ $type: 'Date', _value: '2020-01-31' });
  });

  it('gives the transactional endpoint property maps as rows and entity meta', () => {
    expect(toRow(ada)).toEqual({ name: 'Ada' });
    expect(toMeta(ada)).toEqual({ id: 1, elementId: 'e1', type: 'node', deleted: false });
    expect(toMeta('x')).toBeNull();
    expect(toMeta(new CypherDate(2020, 1, 1))).toEqual({ type: 'date' });
  });

  it('reads parameters: integral numbers as INTEGER, typed values by their tag', () => {
    expect(parametersFromJson({ a: 1, b: 1.5, c: { d: [true] } }, false)).toEqual(new Map<string,
      Value>([['a', 1n], ['b', 1.5], ['c', new Map([['d', [true]]])]]));
    expect(parametersFromJson({ a: { $type: 'Integer', _value: '12' },
      d: { $type: 'Date', _value: '2020-01-31' } }, true)).toEqual(new Map<string, Value>([
      ['a', 12n], ['d', new CypherDate(2020, 1, 31)]]));
    expect(() => parametersFromJson([1], false)).toThrow(/JSON object/);
    expect(() => parametersFromJson({ a: { $type: 'Integer', _value: 'x' } }, true))
      .toThrow(/Invalid Integer/);
    expect(() => parametersFromJson({ a: { $type: 'Vector', _value: [] } }, true))
      .toThrow(/Unsupported parameter type/);
  });
});
