import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/index.js';
import { decodeChangeSet, encodeChangeSet, type ChangeSet } from '../../src/graph/changeset.js';
import {
  decodeProperty, encodeProperty, propertyIndexKey,
} from '../../src/graph/property-codec.js';
import { Point, type PropertyValue, type Value } from '../../src/graph/values.js';
import { tempDbDir } from '../engine/helpers.js';

/** Same value, telling -0 from 0 and NaN equal to NaN, inside lists and points too. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  if (a instanceof Point && b instanceof Point) {
    return a.srid === b.srid && same(a.x, b.x) && same(a.y, b.y) && same(a.z, b.z);
  }
  return a === b;
}

const AWKWARD_FLOATS = 'CREATE (:V {zero: -0.0, nan: 0.0 / 0.0, inf: -1.0 / 0.0, ' +
  'list: [-0.0, 2.5], p: point({x: -0.0, y: 1.5}), p3: point({x: 1.0, y: -0.0, z: -0.0})})';
const READ_BACK = 'MATCH (v:V) RETURN v.zero, v.nan, v.inf, v.list, v.p, v.p3';

describe('the durable commit path', () => {
  it('reads floats JSON cannot hold the same before and after a restart', async () => {
    const dir = await tempDbDir();
    const db = await Database.open(dir);
    await db.run(AWKWARD_FLOATS);
    const live = (await db.run(READ_BACK)).records[0] as Value[];
    expect(Object.is(live[0], -0)).toBe(true);
    await db.close();
    const reopened = await Database.open(dir);
    const replayed = (await reopened.run(READ_BACK)).records[0] as Value[];
    expect(replayed.length).toBe(6);
    for (const [i, value] of replayed.entries()) expect(same(value, live[i])).toBe(true);
    await reopened.close();
  });

  it('keys -0.0 and 0.0 alike in an index, inside points and lists too', () => {
    const pairs: [PropertyValue, PropertyValue][] = [[-0, 0], [new Point(7203, -0, 1, null),
      new Point(7203, 0, 1, null)], [[-0, 1.5], [0, 1.5]]];
    for (const [a, b] of pairs) expect(propertyIndexKey(a)).toBe(propertyIndexKey(b));
    expect(propertyIndexKey(['{"f":"-0"}'])).not.toBe(propertyIndexKey(['0']));
  });

  it('acknowledges concurrent commits, each once, all found after a restart', async () => {
    const dir = await tempDbDir();
    const db = await Database.open(dir);
    await db.run('CREATE CONSTRAINT FOR (p:Person) REQUIRE p.id IS UNIQUE');
    const ids = Array.from({ length: 200 }, (_, i) => i);
    const bookmarks = await Promise.all(ids.map(async (id) =>
      (await db.run('CREATE (:Person {id: $id})', { id })).bookmark));
    expect(new Set(bookmarks).size).toBe(ids.length);
    await expect(db.run('CREATE (:Person {id: 7})')).rejects.toMatchObject({
      code: 'Neo.ClientError.Schema.ConstraintValidationFailed' });
    await db.close();
    const reopened = await Database.open(dir);
    const count = await reopened.run('MATCH (p:Person) RETURN count(p) AS n');
    expect(count.records[0]).toEqual([200n]);
    await reopened.close();
  });

  it('logs every property value so that decoding the log gives the value applied', () => {
    const float = fc.oneof(fc.double(), fc.constantFrom(-0, NaN, Infinity, -Infinity));
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }));
    const scalar: fc.Arbitrary<PropertyValue> = fc.oneof(float, text, fc.boolean(),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
      fc.tuple(float, float, fc.option(float)).map(([x, y, z]) => new Point(7203, x, y, z)));
    const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }));
    fc.assert(fc.property(value, (v) => {
      const built: ChangeSet = { nodes: [{ op: 'create', id: 0, labels: ['V'],
        props: [['v', encodeProperty(v)]] }], rels: [], schema: [] };
      const logged = decodeChangeSet(encodeChangeSet(built)).nodes[0];
      if (logged?.op !== 'create') return false;
      const viaLog = decodeProperty(logged.props[0]?.[1]);
      return same(viaLog, decodeProperty(encodeProperty(v))) && same(viaLog, v);
    }), { numRuns: 500 });
  });
});
