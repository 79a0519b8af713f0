import { describe, expect, it } from 'vitest';
import { RelsOfType } from '../../src/graph/adjacency.js';
import { GraphStore } from '../../src/graph/store.js';
import { commit } from './commit-helper.js';

/** Node 0 with `counts[t]` outgoing relationships of type T<t> to node 1, created in turns. */
function fanOut(counts: readonly number[]): GraphStore {
  const store = new GraphStore();
  commit(store, (tx) => {
    tx.createNode(['A'], new Map());
    tx.createNode(['B'], new Map());
  });
  const left = [...counts];
  while (left.some((n) => n > 0)) {
    commit(store, (tx) => {
      left.forEach((n, t) => {
        if (n === 0) return;
        tx.createRelationship({ type: `T${t}`, start: 0, end: 1, properties: new Map() });
        left[t] = n - 1;
      });
    });
  }
  return store;
}

function typesOut(store: GraphStore, types?: string[]): string[] {
  const view = store.openView();
  try {
    return [...view.relationshipsOf(0, 'out', types)].map(({ rel }) => view.relType(rel));
  } finally {
    view.close();
  }
}

describe('adjacency of a node with several types', () => {
  it('keeps one link for two types, the second type being a bare array', () => {
    const store = fanOut([10, 1]);
    const slot = store.outRels[0];
    expect(slot).toBeInstanceOf(RelsOfType);
    expect(Array.isArray((slot as RelsOfType).next)).toBe(true);
    expect(typesOut(store)).toEqual([...Array(10).fill('T0'), 'T1']);
    expect(typesOut(store, ['T1'])).toEqual(['T1']);
    expect(typesOut(store, ['T0'])).toHaveLength(10);
    const view = store.openView();
    expect(view.degree(0, 'out', ['T1'])).toBe(1);
    view.close();
  });

  it('grows every type of a chain of three, the last one in its bare array', () => {
    const store = fanOut([3, 2, 70]);
    expect(typesOut(store, ['T0'])).toEqual(['T0', 'T0', 'T0']);
    expect(typesOut(store, ['T1'])).toEqual(['T1', 'T1']);
    expect(typesOut(store, ['T2'])).toHaveLength(70);
    expect(typesOut(store)).toHaveLength(75);
    const view = store.openView();
    expect([...view.relationshipsOf(1, 'in', ['T2'])]).toHaveLength(70);
    view.close();
  });

  it('removes relationships of each type, and a view opened before still sees them', () => {
    const store = fanOut([2, 1, 1]);
    const view = store.openView();
    const ids = [...view.relationshipsOf(0, 'out')].map(({ rel }) => rel);
    const byType = (t: string): number[] => ids.filter((id) => view.relType(id) === t);
    commit(store, (tx) => { for (const id of byType('T1')) tx.deleteRelationship(id); });
    expect(typesOut(store)).toEqual(['T0', 'T0', 'T2']);
    commit(store, (tx) => { for (const id of byType('T2')) tx.deleteRelationship(id); });
    expect(typesOut(store)).toEqual(['T0', 'T0']);
    expect(typesOut(store, ['T2'])).toEqual([]);
    expect([...view.relationshipsOf(0, 'out')].map(({ rel }) => view.relType(rel)))
      .toEqual(['T0', 'T0', 'T1', 'T2']);
    view.close();
    // Once no view can see them, the node is back to a plain array of its one type.
    expect(Array.isArray(store.outRels[0])).toBe(true);
    commit(store, (tx) => { tx.createRelationship({ type: 'T1', start: 0, end: 1,
      properties: new Map() }); });
    expect(typesOut(store)).toEqual(['T0', 'T0', 'T1']);
  });
});
