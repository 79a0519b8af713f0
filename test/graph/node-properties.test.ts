import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkStoreConsistency } from '../../src/admin/consistency-check.js';
import { propertyIndexKey } from '../../src/graph/property-codec.js';
import { decodeChangeSet, encodeChangeSet } from '../../src/graph/changeset.js';
import { readSnapshot } from '../../src/graph/snapshot.js';
import { GraphStore } from '../../src/graph/store.js';
import { WriteTx } from '../../src/graph/write-tx.js';
import {
  CypherDate, Duration, Point, type PropertyValue, type Value,
} from '../../src/graph/values.js';
import { snapshotBytes } from '../helpers/snapshot-bytes.js';
import { commit } from './commit-helper.js';

/** A value of each encoding the node property arena has, and some that go through JSON. */
const KINDS: [string, PropertyValue][] = [
  ['small', 7n], ['i64min', -(2n ** 63n)], ['i64max', 2n ** 63n - 1n], ['huge', 2n ** 80n],
  ['float', -0.5], ['negzero', -0], ['nan', Number.NaN], ['text', 'žluťoučký 🐎'],
  ['empty', ''],
  ['yes', true], ['no', false], ['list', ['one', 'two']], ['date', new CypherDate(2020, 1, 31)],
  ['dur', new Duration(1n, 2n, 3n, 4)], ['point', new Point(7203, 1, -0, null)],
  ['bytes', new Uint8Array([1, 2, 250])],
];

function roundTrip(store: GraphStore): GraphStore {
  return readSnapshot(snapshotBytes(store)).store;
}

function propsOf(store: GraphStore, id: number): Map<string, PropertyValue> {
  const view = store.openView();
  try {
    return view.nodeProperties(id);
  } finally {
    view.close();
  }
}

function seek(store: GraphStore, value: PropertyValue): number[] {
  const view = store.openView();
  try {
    return [...(view.seekNodes('P', 'v', value) ?? [])].sort((a, b) => a - b);
  } finally {
    view.close();
  }
}

describe('node properties as created', () => {
  it('reads back every kind of value, one by one and all at once, before and after a snapshot',
    () => {
      const store = new GraphStore();
      commit(store, (tx) => { tx.createNode(['K'], new Map<string, Value>(KINDS)); });
      for (const s of [store, roundTrip(store), roundTrip(roundTrip(store))]) {
        const view = s.openView();
        for (const [key, value] of KINDS) expect(view.nodeProperty(0, key)).toStrictEqual(value);
        expect(view.nodeProperty(0, 'missing')).toBeNull();
        view.close();
        expect([...propsOf(s, 0)]).toStrictEqual(KINDS);
      }
    });

  it('reads back any 64-bit integer and any float exactly', () => {
    const edges = [0n, 4095n, 4096n, -1n, 2n ** 32n - 1n, 2n ** 32n, -(2n ** 32n), 2n ** 53n - 1n,
      2n ** 53n, -(2n ** 53n), -(2n ** 53n) - 1n];
    const integers = fc.oneof(fc.constantFrom(...edges),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
      fc.bigInt({ min: -5000n, max: 5000n }));
    const samples = fc.array(fc.tuple(integers, fc.double()), { minLength: 1, maxLength: 20 });
    fc.assert(fc.property(samples, (pairs) => {
      const store = new GraphStore();
      commit(store, (tx) => {
        for (const [i, f] of pairs) tx.createNode([], new Map<string, Value>([['i', i], ['f', f]]));
      });
      const view = store.openView();
      pairs.forEach(([i, f], id) => {
        expect(view.nodeProperty(id, 'i')).toBe(i);
        expect(view.nodeProperty(id, 'f')).toBe(f);
      });
      view.close();
    }), { numRuns: 200 });
  });

  it('keeps the created properties for a view opened before an update or a delete', () => {
    const store = new GraphStore();
    commit(store, (tx) => {
      tx.createNode(['P'], new Map<string, Value>([['name', 'Ada'], ['age', 36n]]));
      tx.createNode(['P'], new Map<string, Value>([['name', 'Alan']]));
    });
    const before = store.openView();
    commit(store, (tx) => {
      tx.setNodeProperty(0, 'age', 37n);
      tx.deleteNode(1);
    });
    const after = store.openView();
    expect(before.nodeProperty(0, 'age')).toBe(36n);
    expect([...before.nodeProperties(1)]).toEqual([['name', 'Alan']]);
    expect(after.nodeProperty(0, 'age')).toBe(37n);
    expect(after.nodeExists(1)).toBe(false);
    before.close();
    after.close();
    const restored = roundTrip(store);
    expect([...propsOf(restored, 0)]).toEqual([['name', 'Ada'], ['age', 37n]]);
    expect(checkStoreConsistency(restored).problems).toEqual([]);
  });

  it('gives nodes with the same labels, in any order, one shared label list', () => {
    const store = new GraphStore();
    commit(store, (tx) => {
      tx.createNode(['A', 'B'], new Map());
      tx.createNode(['B', 'A'], new Map());
      tx.createNode(['A'], new Map());
    });
    commit(store, (tx) => { tx.addLabel(2, 'B'); });
    const labels = [0, 1, 2].map((id) => store.nodes[id]?.labels);
    expect(labels[0]).toBe(labels[1]);
    expect(labels[2]).toBe(labels[0]);
    const view = store.openView();
    expect(view.nodeLabels(1)).toEqual(['A', 'B']);
    expect([...view.nodesByLabel('B')]).toEqual([0, 1, 2]);
    view.close();
    const restored = roundTrip(store);
    expect(restored.nodes[0]?.labels).toBe(restored.nodes[2]?.labels);
  });
});

describe('property index entries', () => {
  it('finds every node under a shared value and drops those that changed or went', () => {
    const store = new GraphStore();
    commit(store, (tx) => {
      tx.createIndex({ name: 'p_v', kind: 'RANGE', entity: 'NODE', labelOrType: 'P',
        properties: ['v'] }, false);
    });
    commit(store, (tx) => {
      for (let i = 0; i < 4; i++) tx.createNode(['P'], new Map([['v', i === 3 ? 9n : 1n]]));
    });
    const old = store.openView();
    commit(store, (tx) => {
      tx.setNodeProperty(1, 'v', 2n);
      tx.deleteNode(2);
      tx.removeLabel(0, 'P');
    });
    expect(seek(store, 1n)).toEqual([]);
    expect(seek(store, 1.0)).toEqual([]);
    expect(seek(store, 2n)).toEqual([1]);
    expect(seek(store, 9n)).toEqual([3]);
    expect([...(old.seekNodes('P', 'v', 1n) ?? [])].sort()).toEqual([0, 1, 2]);
    old.close();
    commit(store, (tx) => { tx.createNode(['P'], new Map([['v', 2n]])); });
    expect(seek(store, 2.0)).toEqual([1, 4]);
    expect(checkStoreConsistency(store).problems).toEqual([]);
  });

  it('rechecks the value of a node created again under an id that was deleted', () => {
    const store = new GraphStore();
    commit(store, (tx) => {
      tx.createIndex({ name: 'p_v', kind: 'RANGE', entity: 'NODE', labelOrType: 'P',
        properties: ['v'] }, false);
    });
    commit(store, (tx) => { tx.createNode(['P'], new Map([['v', 1n]])); });
    commit(store, (tx) => { tx.deleteNode(0); });
    // Ids are not handed out twice, but the applier accepts a create over a deleted node.
    const view = store.openView();
    const again = new WriteTx(view, { nodeId: () => 0, relId: () => 0 });
    again.createNode(['P'], new Map([['v', 2n]]));
    const changes = decodeChangeSet(encodeChangeSet(again.toChangeSet()));
    view.close();
    store.apply(changes, store.version + 1);
    expect(seek(store, 1n)).toEqual([]);
    expect(seek(store, 2n)).toEqual([0]);
  });

  it('answers seeks that alternate between values, labels and keys as each alone', () => {
    const store = new GraphStore();
    commit(store, (tx) => {
      for (const [label, key] of [['P', 'v'], ['P', 'w'], ['Q', 'v']]) {
        tx.createIndex({ name: `${label}_${key}`, kind: 'RANGE', entity: 'NODE',
          labelOrType: label as string, properties: [key as string] }, false);
      }
    });
    commit(store, (tx) => {
      tx.createNode(['P'], new Map([['v', 1n], ['w', 2n]]));
      tx.createNode(['P'], new Map([['v', 2n], ['w', 1n]]));
      tx.createNode(['Q'], new Map([['v', 1n]]));
    });
    const view = store.openView();
    const found = (label: string, key: string, value: PropertyValue): number[] =>
      [...(view.seekNodes(label, key, value) ?? [])];
    // A load seeks two ends per row, the one a batch was made around repeating.
    for (let round = 0; round < 3; round++) {
      expect(found('P', 'v', 1n)).toEqual([0]);
      expect(found('P', 'v', 2n)).toEqual([1]);
      expect(found('P', 'w', 1n)).toEqual([1]);
      expect(found('Q', 'v', 1n)).toEqual([2]);
      expect(found('P', 'v', 1n)).toEqual([0]);
      expect(found('P', 'v', 3n)).toEqual([]);
    }
    view.close();
  });

  it('indexes the nodes created after an index on labels already in use, until it is dropped',
    () => {
      const store = new GraphStore();
      commit(store, (tx) => { tx.createNode(['P'], new Map([['v', 1n]])); });
      commit(store, (tx) => {
        tx.createIndex({ name: 'p_v', kind: 'RANGE', entity: 'NODE', labelOrType: 'P',
          properties: ['v'] }, false);
      });
      commit(store, (tx) => { tx.createNode(['P'], new Map([['v', 1n]])); });
      expect(seek(store, 1n)).toEqual([0, 1]);
      commit(store, (tx) => { tx.dropIndex('p_v', false); });
      commit(store, (tx) => { tx.createNode(['P'], new Map([['v', 1n]])); });
      expect(store.propertyIndexes.size).toBe(0);
      commit(store, (tx) => {
        tx.createIndex({ name: 'p_v2', kind: 'RANGE', entity: 'NODE', labelOrType: 'P',
          properties: ['v'] }, false);
      });
      commit(store, (tx) => { tx.createNode(['P'], new Map([['v', 1n]])); });
      expect(seek(store, 1n)).toEqual([0, 1, 2, 3]);
      expect(checkStoreConsistency(store).problems).toEqual([]);
    });

  it('reports a node missing from a unique index whose only entry names another node', () => {
    const store = new GraphStore();
    commit(store, (tx) => {
      tx.createConstraint({ name: 'p_v', kind: 'UNIQUENESS', entity: 'NODE', labelOrType: 'P',
        properties: ['v'] }, false);
    });
    commit(store, (tx) => {
      tx.createNode(['P'], new Map([['v', 1n]]));
      tx.createNode(['P'], new Map([['v', 2n]]));
    });
    expect(checkStoreConsistency(store).problems).toEqual([]);
    store.propertyIndexes.get('p_v')?.set(propertyIndexKey(2n), 0);
    expect(checkStoreConsistency(store).problems).toEqual(
      ['Index p_v is missing node 1 (:P.v)']);
  });
});
