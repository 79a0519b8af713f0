import { describe, expect, it } from 'vitest';
import { GraphStore } from '../../src/graph/store.js';
import { WriteTx } from '../../src/graph/write-tx.js';
import { allocator, commit } from './commit-helper.js';
import { readSnapshot, writeSnapshot } from '../../src/graph/snapshot.js';
import { QuiverError } from '../../src/errors/quiver-error.js';
import type { Value } from '../../src/graph/values.js';

describe('graph store', () => {
  it('applies created nodes and relationships with labels, types and typed properties', () => {
    const store = new GraphStore();
    commit(store, (tx) => {
      const a = tx.createNode(['Person', 'Actor'], new Map<string, Value>([['name', 'Keanu'], ['born', 1964n]]));
      const b = tx.createNode(['Movie'], new Map([['rating', 8.7]]));
      tx.createRelationship({ type: 'ACTED_IN', start: a, end: b, properties: new Map([['roles', ['Neo']]]) });
    });
    const view = store.openView();
    expect([...view.nodesByLabel('Person')]).toEqual([0]);
    expect(view.nodeLabels(0)).toEqual(['Person', 'Actor']);
    expect(view.nodeProperty(0, 'born')).toBe(1964n);
    expect(view.nodeProperty(1, 'rating')).toBe(8.7);
    expect([...view.relationshipsOf(0, 'out', ['ACTED_IN'])]).toEqual([{ rel: 0, other: 1 }]);
    expect([...view.relationshipsOf(1, 'in')]).toEqual([{ rel: 0, other: 0 }]);
    expect([...view.relationshipsOf(0, 'out', ['OTHER'])]).toEqual([]);
    expect(view.relProperty(0, 'roles')).toEqual(['Neo']);
    view.close();
  });

  it('keeps an open view on its version while later changes are applied', () => {
    const store = new GraphStore();
    commit(store, (tx) => { tx.createNode(['A'], new Map([['n', 1n]])); });
    const old = store.openView();
    commit(store, (tx) => { tx.setNodeProperty(0, 'n', 2n); tx.addLabel(0, 'B'); });
    commit(store, (tx) => { tx.createNode(['A'], new Map()); });
    expect(old.nodeProperty(0, 'n')).toBe(1n);
    expect(old.hasLabel(0, 'B')).toBe(false);
    expect([...old.nodesByLabel('A')]).toEqual([0]);
    const now = store.openView();
    expect(now.nodeProperty(0, 'n')).toBe(2n);
    expect([...now.nodesByLabel('A')]).toEqual([0, 1]);
    old.close();
    now.close();
  });

  it('sees a transaction its own writes and hides them from everyone else until commit', () => {
    const store = new GraphStore();
    const view = store.openView();
    const tx = new WriteTx(view, allocator(store));
    const id = tx.createNode(['X'], new Map());
    expect([...tx.nodesByLabel('X')]).toEqual([id]);
    const other = store.openView();
    expect([...other.nodesByLabel('X')]).toEqual([]);
    other.close();
    view.close();
  });

  it('refuses to commit deleting a node that still has relationships', () => {
    const store = new GraphStore();
    commit(store, (tx) => {
      const a = tx.createNode([], new Map());
      tx.createRelationship({ type: 'R', start: a, end: tx.createNode([], new Map()), properties: new Map() });
    });
    const view = store.openView();
    const tx = new WriteTx(view, allocator(store));
    tx.deleteNode(0);
    expect(() => tx.toChangeSet()).toThrowError(/still has relationships/);
    view.close();
    commit(store, (t) => t.detachDeleteNode(0));
    const after = store.openView();
    expect(after.nodeCount()).toBe(1);
    expect(after.relationshipCount()).toBe(0);
    expect([...after.relationshipsOf(1, 'both')]).toEqual([]);
    after.close();
  });

  it('rejects maps as property values with a type error', () => {
    const store = new GraphStore();
    const view = store.openView();
    const tx = new WriteTx(view, allocator(store));
    expect(() => tx.createNode([], new Map([['m', new Map([['a', 1n]])]])))
      .toThrowError(QuiverError);
    view.close();
  });

  it('enforces uniqueness constraints at commit and finds nodes through the index', () => {
    const store = new GraphStore();
    commit(store, (tx) => tx.createConstraint({ name: 'u', kind: 'UNIQUENESS', entity: 'NODE',
      labelOrType: 'P', properties: ['id'] }, false));
    commit(store, (tx) => { tx.createNode(['P'], new Map([['id', 1n]])); });
    const view = store.openView();
    expect([...(view.seekNodes('P', 'id', 1.0) ?? [])]).toEqual([0]);
    const tx = new WriteTx(view, allocator(store));
    tx.createNode(['P'], new Map([['id', 1n]]));
    expect(() => tx.toChangeSet()).toThrowError(/already exists with label `P`/);
    view.close();
  });

  it('round-trips the whole graph through a snapshot', () => {
    const store = new GraphStore();
    commit(store, (tx) => {
      tx.createIndex({ name: 'ix', kind: 'RANGE', entity: 'NODE', labelOrType: 'P', properties: ['k'] }, false);
      const a = tx.createNode(['P'], new Map<string, Value>([['k', 'x'], ['f', 1.5], ['b', new Uint8Array([1, 2])]]));
      tx.createRelationship({ type: 'T', start: a, end: a, properties: new Map([['w', 3n]]) });
    });
    const view = store.openView();
    const bytes = Buffer.concat([...writeSnapshot(store, view)]);
    view.close();
    const { store: copy } = readSnapshot(bytes);
    const v = copy.openView();
    expect(copy.version).toBe(store.version);
    expect(v.nodeProperties(0)).toEqual(new Map<string, unknown>([['k', 'x'], ['f', 1.5], ['b', new Uint8Array([1, 2])]]));
    expect([...(v.seekNodes('P', 'k', 'x') ?? [])]).toEqual([0]);
    expect([...v.relationshipsOf(0, 'both')]).toEqual([{ rel: 0, other: 0 }]);
    expect(v.relProperty(0, 'w')).toBe(3n);
    v.close();
  });
});
