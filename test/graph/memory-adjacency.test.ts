import { describe, expect, it } from 'vitest';
import { NodeAdjacency } from '../../src/graph/adjacency.js';
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

function idsOut(store: GraphStore, types?: string[]): number[] {
  const view = store.openView();
  try {
    return [...view.relationshipsOf(0, 'out', types)].map(({ rel }) => rel);
  } finally {
    view.close();
  }
}

/** True when `ids` has each type's ids (`typeOf`) in ascending, that is creation, order. */
function eachTypeInOrder(ids: readonly number[], typeOf: (id: number) => number): boolean {
  const last = new Map<number, number>();
  return ids.every((id) => {
    const before = last.get(typeOf(id)) ?? -1;
    last.set(typeOf(id), id);
    return id > before;
  });
}

/** The relationship ids a reader sees in `pairs` from slot `first`, `length` of them. */
function idsIn(pairs: Int32Array, first: number, length: number): number[] {
  return Array.from({ length }, (_, i) => pairs[first + 2 * i] as number);
}

describe('adjacency of a node with several types', () => {
  it('keeps each type in creation order and expands only the types asked for', () => {
    const store = fanOut([10, 1]);
    const all = idsOut(store);
    expect([...all].sort((a, b) => a - b)).toEqual([...Array(11).keys()]);
    const view0 = store.openView();
    expect(eachTypeInOrder(all, (id) => Number(view0.relType(id).slice(1)))).toBe(true);
    view0.close();
    expect(typesOut(store, ['T1'])).toEqual(['T1']);
    expect(typesOut(store, ['T0'])).toHaveLength(10);
    const t0 = idsOut(store, ['T0']);
    expect(t0).toEqual([...t0].sort((a, b) => a - b));
    const view = store.openView();
    expect(view.degree(0, 'out', ['T1'])).toBe(1);
    expect(view.degree(1, 'in', ['T0', 'T1'])).toBe(11);
    view.close();
  });

  it('hands a hub out in slices of its wanted types', () => {
    const store = fanOut([3, 2, 70]);
    expect(typesOut(store, ['T0'])).toEqual(['T0', 'T0', 'T0']);
    expect(typesOut(store, ['T1'])).toEqual(['T1', 'T1']);
    expect(typesOut(store, ['T2'])).toHaveLength(70);
    expect(typesOut(store)).toHaveLength(75);
    const view = store.openView();
    expect([...view.relationshipsOf(1, 'in', ['T2'])]).toHaveLength(70);
    expect(view.degree(1, 'both', ['T1'])).toBe(2);
    view.close();
  });

  it('removes relationships of each type, and a view opened before still sees them', () => {
    const store = fanOut([2, 1, 1]);
    const view = store.openView();
    const ids = [...view.relationshipsOf(0, 'out')].map(({ rel }) => rel);
    const byType = (t: string): number[] => ids.filter((id) => view.relType(id) === t);
    commit(store, (tx) => { for (const id of byType('T1')) tx.deleteRelationship(id); });
    expect(typesOut(store)).toEqual(['T0', 'T2', 'T0']);
    commit(store, (tx) => { for (const id of byType('T2')) tx.deleteRelationship(id); });
    expect(typesOut(store)).toEqual(['T0', 'T0']);
    expect(typesOut(store, ['T2'])).toEqual([]);
    expect([...view.relationshipsOf(0, 'out')].map(({ rel }) => view.relType(rel)))
      .toEqual(['T0', 'T1', 'T2', 'T0']);
    view.close();
    // Once no view can see them, they are gone from the list itself.
    expect(store.outRels.length(0)).toBe(2);
    commit(store, (tx) => { tx.createRelationship({ type: 'T1', start: 0, end: 1,
      properties: new Map() }); });
    expect(typesOut(store)).toEqual(['T0', 'T0', 'T1']);
  });
});

describe('pooled adjacency lists', () => {
  it('never rewrites the pairs a reader took, through growth, removal and compaction', () => {
    const adjacency = new NodeAdjacency();
    const nodes = 3000;
    adjacency.reserveNodes(nodes);
    const expected: number[][] = Array.from({ length: nodes }, () => []);
    let rel = 0;
    const held = { pairs: adjacency.pairs(0), first: 0, length: 0, ids: [] as number[] };
    // Enough relationships one at a time for many growths; every fourth node keeps the one
    // list it got first, so chunks fill with garbage around it and compactions must run.
    for (let round = 0; round < 120; round++) {
      for (let node = 0; node < nodes; node++) {
        if (round > 0 && node % 4 === 0) continue;
        adjacency.add(node, rel, rel % 3);
        expected[node]?.push(rel++);
      }
      if (round === 7) {
        Object.assign(held, { pairs: adjacency.pairs(5), first: adjacency.first(5),
          length: adjacency.length(5), ids: adjacency.relsOf(5) });
      }
      if (round % 10 === 9) {
        const node = round + 1;
        const gone = expected[node]?.[1] as number;
        adjacency.remove(node, gone);
        expected[node] = (expected[node] ?? []).filter((id) => id !== gone);
      }
    }
    for (let node = 0; node < nodes; node++) {
      const listed = adjacency.relsOf(node);
      expect([...listed].sort((a, b) => a - b)).toEqual(expected[node]);
      expect(eachTypeInOrder(listed, (id) => id % 3)).toBe(true);
    }
    expect(idsIn(held.pairs, held.first, held.length)).toEqual(held.ids);
    // Types ride beside their ids.
    const pairs = adjacency.pairs(7);
    const first = adjacency.first(7);
    for (let i = 0; i < adjacency.length(7); i++) {
      expect(pairs[first + 2 * i + 1]).toBe((pairs[first + 2 * i] as number) % 3);
    }
    // Compaction keeps the pool near its lists' size, 8 bytes a pair plus growth room and some
    // garbage: without it, this pattern leaves the pool at twice the pairs' bytes.
    expect(adjacency.bytes).toBeLessThan(rel * 8 * 1.6 + 4 * 4 * nodes);
  });

  it('writes a list anew grouped by type, and counts in appends that keep the order', () => {
    const adjacency = new NodeAdjacency();
    adjacency.reserveNodes(1);
    const typeOf = (rel: number): number => (rel % 3 === 0 ? 2 : rel % 2);
    for (let rel = 0; rel < 40; rel++) adjacency.add(0, rel, typeOf(rel));
    const typesAt = (): number[] => {
      const pairs = adjacency.pairs(0);
      const first = adjacency.first(0);
      return Array.from({ length: adjacency.length(0) },
        (_, i) => pairs[first + 2 * i + 1] as number);
    };
    // The last growth (at 39) wrote the list anew in type order; 39 is of the highest type.
    expect(adjacency.grouped(0)).toBe(40);
    expect(typesAt()).toEqual([...typesAt()].sort((a, b) => a - b));
    expect(eachTypeInOrder(adjacency.relsOf(0), typeOf)).toBe(true);
    // A lower type after the highest starts the part appended since.
    adjacency.add(0, 40, typeOf(40));
    expect(adjacency.grouped(0)).toBe(40);
    expect(adjacency.relsOf(0).at(-1)).toBe(40);
    // A removal writes the list anew, grouped whole.
    adjacency.remove(0, 3);
    expect(adjacency.grouped(0)).toBe(40);
    expect(typesAt()).toEqual([...typesAt()].sort((a, b) => a - b));
    expect(eachTypeInOrder(adjacency.relsOf(0), typeOf)).toBe(true);
  });

  it('drops a node whole, and a removal of an id it does not list changes nothing', () => {
    const adjacency = new NodeAdjacency();
    adjacency.reserveNodes(2);
    adjacency.add(0, 10, 1);
    adjacency.add(0, 11, 2);
    adjacency.add(1, 12, 1);
    adjacency.remove(0, 99);
    expect(adjacency.relsOf(0)).toEqual([10, 11]);
    adjacency.clear(0);
    expect(adjacency.length(0)).toBe(0);
    expect(adjacency.relsOf(0)).toEqual([]);
    expect(adjacency.relsOf(1)).toEqual([12]);
  });
});
