import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSnapshot } from '../../src/graph/snapshot.js';
import { isKeptAsText, NumberKind, type NumberRead } from '../../src/graph/snapshot-codec.js';
import { GraphStore, type NodeVersion } from '../../src/graph/store.js';
import { CypherDate, type PropertyValue, type Value } from '../../src/graph/values.js';
import { snapshotBytes } from '../helpers/snapshot-bytes.js';
import { commit } from './commit-helper.js';

/** What a number read must give for `value`, worked out from the decoded value. */
function expectedRead(value: PropertyValue | null): { kind: number; value?: number } {
  if (value === null) return { kind: NumberKind.Absent };
  if (typeof value === 'number') return { kind: NumberKind.Float, value };
  if (typeof value === 'bigint' && Number.isSafeInteger(Number(value))) {
    return { kind: NumberKind.Integer, value: Number(value) };
  }
  return { kind: NumberKind.Other };
}

const EDGES = [0n, 1n, -1n, 4095n, 4096n, 2n ** 31n, -(2n ** 31n), 2n ** 32n, -(2n ** 32n),
  2n ** 53n - 1n, -(2n ** 53n - 1n), 2n ** 53n, -(2n ** 53n), 2n ** 63n - 1n, -(2n ** 63n),
  2n ** 70n];

const propertyValue: fc.Arbitrary<PropertyValue> = fc.oneof(
  fc.constantFrom<PropertyValue>(...EDGES, -0, Number.NaN, Infinity, 0.1, true, false,
    'Berlin', 'Zürich', '\ud800', ['Berlin'], new CypherDate(2020, 1, 2)),
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
  fc.double(),
  fc.string({ unit: 'binary', maxLength: 6 }),
);

function nodeOf(store: GraphStore, id: number): NodeVersion {
  const view = store.openView();
  const node = view.node(id);
  view.close();
  if (node === null) throw new Error('node not visible');
  return node;
}

function roundTrip(store: GraphStore): GraphStore {
  return readSnapshot(snapshotBytes(store)).store;
}

/** Checks every node's `v` through the number read and the text comparison against `texts`. */
function checkReads(store: GraphStore, count: number, texts: readonly string[]): void {
  const view = store.openView();
  const keyId = view.propertyKeyId('v') as number;
  const read: NumberRead = { kind: -1, value: -1 };
  for (let id = 0; id < count; id++) {
    const node = nodeOf(store, id);
    const value = view.versionPropertyByKeyId(node, keyId);
    view.versionNumberByKeyId(node, keyId, read);
    const wanted = expectedRead(value);
    expect(read.kind).toBe(wanted.kind);
    if (wanted.value !== undefined) expect(Object.is(read.value, wanted.value)).toBe(true);
    for (const text of texts) {
      const same = view.versionTextEquals(node, keyId, Buffer.from(text, 'utf8'));
      if (same !== null) expect(same).toBe(value === text);
    }
  }
  view.close();
}

describe('reading a node property as a number or comparing it as text, without decoding', () => {
  it('agrees with the decoded value for every kind, as created, updated and after a snapshot',
    () => {
      fc.assert(fc.property(fc.array(fc.option(propertyValue, { nil: null }),
        { minLength: 1, maxLength: 12 }), (values) => {
        const store = new GraphStore();
        commit(store, (tx) => {
          for (const v of values) {
            tx.createNode(['P'], new Map<string, Value>(v === null ? [['w', 1n]]
              : [['w', 1n], ['v', v], ['z', 'after']]));
          }
        });
        const texts = ['Berlin', 'Zürich', '', 'after', ...values.filter(
          (v): v is string => typeof v === 'string' && isKeptAsText(v))];
        checkReads(store, values.length, texts);
        checkReads(roundTrip(store), values.length, texts);
        commit(store, (tx) => { tx.setNodeProperty(0, 'z', 'changed'); });
        checkReads(store, values.length, texts);
      }), { numRuns: 60 });
    });

  it('answers null for text of updated properties, so callers read the value instead', () => {
    const store = new GraphStore();
    commit(store, (tx) => { tx.createNode(['P'], new Map<string, Value>([['v', 'Berlin']])); });
    commit(store, (tx) => { tx.setNodeProperty(0, 'w', 2n); });
    const view = store.openView();
    const keyId = view.propertyKeyId('v') as number;
    expect(view.versionTextEquals(nodeOf(store, 0), keyId, Buffer.from('Berlin'))).toBeNull();
    const read: NumberRead = { kind: -1, value: -1 };
    view.versionNumberByKeyId(nodeOf(store, 0), view.propertyKeyId('w') as number, read);
    expect(read).toStrictEqual({ kind: NumberKind.Integer, value: 2 });
    view.close();
  });
});
