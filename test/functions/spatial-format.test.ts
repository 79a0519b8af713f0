import { describe, expect, it } from 'vitest';
import { formatFloat, formatValue, tckLiteral } from '../../src/cypher/values/format.js';
import { propertyOfValue } from '../../src/cypher/values/properties.js';
import { typeName } from '../../src/cypher/values/type-names.js';
import { StatusCode } from '../../src/errors/status-codes.js';
import { Node, Point, Relationship, type Value } from '../../src/graph/values.js';
import { call, map } from './helpers.js';

const point = (fields: Record<string, Value>): Value => call('point', [map(fields)]);

describe('points', () => {
  it('chooses the reference system from the coordinates or crs/srid', () => {
    expect(point({ x: 1n, y: 2n })).toEqual(new Point(7203, 1, 2, null));
    expect(point({ x: 1n, y: 2n, z: 3n })).toEqual(new Point(9157, 1, 2, 3));
    expect(point({ longitude: 12.78, latitude: 56.7 })).toEqual(new Point(4326, 12.78, 56.7, null));
    expect(point({ longitude: 1n, latitude: 2n, height: 3n })).toEqual(new Point(4979, 1, 2, 3));
    expect(point({ x: 1n, y: 2n, crs: 'WGS-84' })).toEqual(new Point(4326, 1, 2, null));
    expect(point({ x: 1n, y: 2n, srid: 4326n })).toEqual(new Point(4326, 1, 2, null));
  });

  it('returns null for a null coordinate and fails on bad input', () => {
    expect(point({ x: null, y: 2n })).toBeNull();
    expect(() => point({ x: 1n })).toThrow(expect.objectContaining({
      code: StatusCode.ArgumentError }));
    expect(() => point({ x: 1n, y: 2n, crs: 'cartesian-3d' })).toThrow(/3D/);
    expect(() => point({ latitude: 91n, longitude: 0n })).toThrow(/\[-90, 90\]/);
  });

  it('measures distances: Euclidean or great-circle, null across systems', () => {
    expect(call('point.distance', [point({ x: 0n, y: 0n }), point({ x: 3n, y: 4n })])).toBe(5);
    const malmo = point({ latitude: 55.6, longitude: 13.0 });
    const copenhagen = point({ latitude: 55.676, longitude: 12.568 });
    const km = (call('point.distance', [malmo, copenhagen]) as number) / 1000;
    expect(km).toBeGreaterThan(27);
    expect(km).toBeLessThan(29);
    expect(call('point.distance', [malmo, point({ x: 0n, y: 0n })])).toBeNull();
  });

  it('tests bounding boxes, including ones across the antimeridian', () => {
    const p = (x: number, y: number) => point({ longitude: x, latitude: y });
    expect(call('point.withinBBox', [p(10, 10), p(0, 0), p(20, 20)])).toBe(true);
    expect(call('point.withinBBox', [p(30, 10), p(0, 0), p(20, 20)])).toBe(false);
    expect(call('point.withinBBox', [p(179, 0), p(170, -10), p(-170, 10)])).toBe(true);
    expect(call('point.withinBBox', [p(0, 0), p(170, -10), p(-170, 10)])).toBe(false);
  });

  it('exposes coordinates and reference system', () => {
    const p = point({ longitude: 12.5, latitude: 56.25 });
    expect(['latitude', 'longitude', 'crs', 'srid'].map((k) => propertyOfValue(p, k)))
      .toEqual([56.25, 12.5, 'wgs-84', 4326n]);
    expect(() => propertyOfValue(point({ x: 1n, y: 2n }), 'latitude')).toThrow(/cartesian/);
  });

  it('prints as Neo4j does', () => {
    expect(formatValue(point({ x: 1n, y: 2n }))).toBe("point({x: 1.0, y: 2.0, crs: 'cartesian'})");
  });
});

describe('printing values', () => {
  it.each([
    [1.0, '1.0'], [0.1, '0.1'], [-2.5, '-2.5'], [1e7, '1.0E7'], [1.5e-5, '1.5E-5'],
    [123456789.5, '1.234567895E8'], [0.001, '0.001'], [0, '0.0'], [NaN, 'NaN'],
    [-Infinity, '-Infinity'],
  ])('prints float %d as Java does: %s', (x, expected) => {
    expect(formatFloat(x)).toBe(expected);
  });

  it('writes TCK notation for scalars and collections', () => {
    expect(tckLiteral('it\'s\n')).toBe("'it\\'s\\n'");
    expect(tckLiteral([1n, 2.0, null, true])).toBe('[1, 2.0, null, true]');
    expect(tckLiteral(map({ a: 1n, 'b c': 'x' }))).toBe("{a: 1, `b c`: 'x'}");
    expect(tckLiteral(1e-305)).toBe('1e-305');
    expect(tckLiteral(1.2635418652381264e305)).toBe('1.2635418652381264e305');
  });

  it('writes materialized nodes and relationships', () => {
    const n = new Node(1, ['L'], map({ p: 1n }), '4:quiver:1');
    const empty = new Node(2, [], map({}), '4:quiver:2');
    const r = new Relationship(3, 'T', 1, 2, map({}), '5:quiver:3', '4:quiver:1', '4:quiver:2');
    expect([tckLiteral(n), tckLiteral(empty), tckLiteral(r)]).toEqual(['(:L {p: 1})', '()',
      '[:T]']);
  });

  it('names types for messages', () => {
    expect([typeName(1n), typeName(1.5), typeName('s'), typeName(null), typeName([])])
      .toEqual(['Integer', 'Float', 'String', 'NULL', 'List']);
  });
});
