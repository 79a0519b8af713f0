import { describe, expect, it } from 'vitest';
import { GraphStore } from '../../src/graph/store.js';
import { commit } from './commit-helper.js';
import { readSnapshot } from '../../src/graph/snapshot.js';
import type { ChangeSet } from '../../src/graph/changeset.js';
import {
  CypherDate, DateTime, Duration, LocalTime, Point, type PropertyValue, type Value,
} from '../../src/graph/values.js';
import { snapshotBytes } from '../helpers/snapshot-bytes.js';

/** Every node and relationship with names resolved: what a reader can see. */
function contents(store: GraphStore): unknown {
  const view = store.openView();
  try {
    const nodes = [...view.allNodes()].map((id) => [id, view.nodeLabels(id),
      [...view.nodeProperties(id)]]);
    const rels = [...view.allRelationships()].map((id) => [id, view.relType(id),
      view.relStart(id), view.relEnd(id), [...view.relProperties(id)]]);
    return { nodes, rels, indexes: view.indexes(), constraints: view.constraints(),
      counts: [view.nodeCount(), view.relationshipCount()] };
  } finally {
    view.close();
  }
}

const EVERY_KIND: [string, PropertyValue][] = [
  ['int', 42n], ['big', 2n ** 70n], ['negative', -(2n ** 63n)], ['float', 1.5], ['whole', 3.0],
  ['inf', -Infinity], ['nan', NaN], ['text', 'héllo ✓'], ['empty', ''], ['yes', true],
  ['no', false], ['list', ['a', 'b']], ['ints', [1n, 2n]], ['bytes', new Uint8Array([0, 255])],
  ['date', new CypherDate(2024, 2, 29)], ['time', new LocalTime(3_600_000_000_000n)],
  ['dt', new DateTime(1_700_000_000n, 5, 3600, 'Europe/Paris')],
  ['dur', new Duration(1n, 2n, 3n, 4)], ['point', new Point(4326, 1.5, 2.5, null)],
];

function sampleGraph(): GraphStore {
  const store = new GraphStore();
  commit(store, (tx) => {
    tx.createIndex({ name: 'person_age', kind: 'RANGE', entity: 'NODE', labelOrType: 'Person',
      properties: ['age'] }, false);
    tx.createConstraint({ name: 'person_name', kind: 'UNIQUENESS', entity: 'NODE',
      labelOrType: 'Person', properties: ['name'] }, false);
  });
  commit(store, (tx) => {
    const a = tx.createNode(['Person', 'Admin'], new Map<string, Value>([['name', 'a'],
      ['age', 30n]]));
    const b = tx.createNode(['Person'], new Map<string, Value>(EVERY_KIND));
    const c = tx.createNode([], new Map());
    tx.createRelationship({ type: 'KNOWS', start: a, end: b, properties: new Map(EVERY_KIND) });
    tx.createRelationship({ type: 'KNOWS', start: b, end: c, properties: new Map() });
    tx.createRelationship({ type: 'LIKES', start: c, end: c, properties: new Map([['w', 1n]]) });
  });
  commit(store, (tx) => {
    tx.setRelProperty(2, 'w', 2n);
    tx.deleteRelationship(1);
    tx.createNode(['Gone'], new Map());
  });
  commit(store, (tx) => tx.deleteNode(3));
  return store;
}

describe('graph snapshots', () => {
  it('reads back every node, relationship, property kind, index and constraint', () => {
    const store = sampleGraph();
    const { store: back, header } = readSnapshot(snapshotBytes(store, [{ user: 'neo4j' }]));
    expect(contents(back)).toEqual(contents(store));
    expect(header.system).toEqual([{ user: 'neo4j' }]);
    expect(back.version).toBe(store.version);
    expect([back.nextNodeId, back.nextRelId]).toEqual([store.nextNodeId, store.nextRelId]);
    const view = back.openView();
    expect(view.seekNodes('Person', 'name', 'a')).toEqual([0]);
    expect(view.relProperty(0, 'big')).toBe(2n ** 70n);
    expect(view.relProperty(2, 'w')).toBe(2n);
    view.close();
  });

  it('still reads a snapshot written in the JSON-lines format 1', () => {
    const cs: ChangeSet = { nodes: [{ op: 'create', id: 0, labels: ['Movie'],
      props: [['title', 'Up'], ['year', { i: 2009 }]] }], rels: [{ op: 'create', id: 0,
      type: 'SEQUEL_OF', start: 0, end: 0, props: [['rating', 4.5]] }], schema: [] };
    const header = { format: 'quiver-graph-snapshot/1', version: 7, nextNodeId: 1, nextRelId: 1,
      system: [] };
    const text = `${JSON.stringify({ header })}\n${JSON.stringify(cs)}\n`;
    const { store } = readSnapshot(Buffer.from(text));
    const view = store.openView();
    expect(store.version).toBe(7);
    expect(view.nodeProperties(0)).toEqual(new Map<string, PropertyValue>([['title', 'Up'],
      ['year', 2009n]]));
    expect(view.relProperty(0, 'rating')).toBe(4.5);
    view.close();
  });

  it('refuses a snapshot cut short and bytes that are not a snapshot', () => {
    const bytes = snapshotBytes(sampleGraph());
    expect(() => readSnapshot(bytes.subarray(0, bytes.length - 3))).toThrow(/snapshot/);
    expect(() => readSnapshot(Buffer.from('garbage\n\u0001\u0002'))).toThrow(/not a QuiverDB/);
  });

  it('keeps created relationship properties visible to a view older than their update', () => {
    const store = sampleGraph();
    const old = store.openView();
    commit(store, (tx) => tx.setRelProperty(0, 'int', 43n));
    const now = store.openView();
    expect(old.relProperty(0, 'int')).toBe(42n);
    expect(now.relProperty(0, 'int')).toBe(43n);
    expect(now.relProperty(0, 'text')).toBe('héllo ✓');
    old.close();
    now.close();
  });
});
