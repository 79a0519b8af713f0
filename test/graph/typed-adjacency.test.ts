import { describe, expect, it } from 'vitest';
import { GraphStore } from '../../src/graph/store.js';
import type { Adjacent, Direction } from '../../src/graph/types.js';
import { commit } from './commit-helper.js';

/** Relationships as [rel, other] pairs sorted by id: order across types is not promised. */
function adjacent(found: Iterable<Adjacent>): number[][] {
  return [...found].map((a) => [a.rel, a.other]).sort((x, y) => (x[0] ?? 0) - (y[0] ?? 0));
}

/** Node 0 with `spec` relationships out to fresh nodes, types in the order given. */
function starStore(types: readonly string[]): GraphStore {
  const store = new GraphStore();
  commit(store, (tx) => {
    const hub = tx.createNode(['Hub'], new Map());
    for (const type of types) {
      tx.createRelationship({ type, start: hub, end: tx.createNode([], new Map()),
        properties: new Map() });
    }
  });
  return store;
}

/** The same relationships, loaded through the bulk path (deferred adjacency, then built). */
function bulkCopy(from: GraphStore): GraphStore {
  const store = new GraphStore();
  const view = from.openView();
  for (const id of view.allNodes()) {
    store.loadNode({ id, labels: [], props: new Map(), version: 1 });
  }
  for (const rel of view.allRelationships()) {
    store.loadRel({ id: rel, type: store.types.intern(view.relType(rel)),
      start: view.relStart(rel), end: view.relEnd(rel), props: undefined, version: 1,
      deferAdjacency: true });
  }
  view.close();
  store.buildAdjacency(0);
  store.advance(2);
  return store;
}

describe('adjacency by type and direction', () => {
  const mixed = ['KNOWS', 'LIVES_IN', 'KNOWS', 'LIKES', 'KNOWS', 'LIVES_IN'];

  it('expands only the types asked for, in either direction, applied or bulk loaded', () => {
    const applied = starStore(mixed);
    for (const store of [applied, bulkCopy(applied)]) {
      const view = store.openView();
      expect(adjacent(view.relationshipsOf(0, 'out', ['KNOWS'])))
        .toEqual([[0, 1], [2, 3], [4, 5]]);
      expect(adjacent(view.relationshipsOf(0, 'out', ['LIVES_IN', 'LIKES'])))
        .toEqual([[1, 2], [3, 4], [5, 6]]);
      expect(adjacent(view.relationshipsOf(0, 'out'))).toHaveLength(6);
      expect(adjacent(view.relationshipsOf(0, 'in', ['KNOWS']))).toEqual([]);
      expect(adjacent(view.relationshipsOf(2, 'in', ['LIVES_IN']))).toEqual([[1, 0]]);
      expect(adjacent(view.relationshipsOf(2, 'both', ['KNOWS']))).toEqual([]);
      expect(view.degree(0, 'out', ['KNOWS'])).toBe(3);
      expect(view.degree(0, 'both', ['LIKES', 'NOPE'])).toBe(1);
      expect(view.degree(0, 'both')).toBe(6);
      expect(view.degree(0, 'out', ['NOPE'])).toBe(0);
      view.close();
    }
  });

  it('reports a self-loop once for both directions and once each way', () => {
    const store = new GraphStore();
    commit(store, (tx) => {
      const a = tx.createNode([], new Map());
      tx.createRelationship({ type: 'SELF', start: a, end: a, properties: new Map() });
      tx.createRelationship({ type: 'OUT', start: a, end: tx.createNode([], new Map()),
        properties: new Map() });
    });
    const view = store.openView();
    expect(adjacent(view.relationshipsOf(0, 'both'))).toEqual([[0, 0], [1, 1]]);
    expect(adjacent(view.relationshipsOf(0, 'both', ['SELF']))).toEqual([[0, 0]]);
    expect(view.degree(0, 'both', ['SELF'])).toBe(1);
    expect(view.degree(0, 'in', ['SELF'])).toBe(1);
    expect(view.degree(0, 'out')).toBe(2);
    view.close();
  });

  it('drops a type whose last relationship is deleted and keeps the others', () => {
    const store = starStore(mixed);
    commit(store, (tx) => { tx.deleteRelationship(3); });
    commit(store, (tx) => { tx.deleteRelationship(1); tx.deleteRelationship(5); });
    const view = store.openView();
    expect(adjacent(view.relationshipsOf(0, 'out', ['LIKES', 'LIVES_IN']))).toEqual([]);
    expect(adjacent(view.relationshipsOf(0, 'out'))).toEqual([[0, 1], [2, 3], [4, 5]]);
    view.close();
    commit(store, (tx) => { for (const rel of [0, 2, 4]) tx.deleteRelationship(rel); });
    commit(store, (tx) => {
      tx.createRelationship({ type: 'LIKES', start: 0, end: 1, properties: new Map() });
    });
    const later = store.openView();
    expect(adjacent(later.relationshipsOf(0, 'out'))).toEqual([[6, 1]]);
    expect(later.degree(0, 'out', ['KNOWS'])).toBe(0);
    later.close();
  });

  it('lets a view read its version while types are added and removed under it', () => {
    const types = Array.from({ length: 150 }, (_, i) => (i % 3 === 0 ? 'A' : 'B'));
    const store = starStore(types);
    const old = store.openView();
    // A hub is handed out in slices: stop part way, change the graph, then read on.
    const walk = old.relationshipsOf(0, 'out', ['A', 'B'])[Symbol.iterator]();
    const seen: number[] = [];
    for (let i = 0; i < 10; i++) seen.push(walk.next().value?.rel ?? -1);
    commit(store, (tx) => {
      tx.createRelationship({ type: 'C', start: 0, end: 1, properties: new Map() });
      tx.createRelationship({ type: 'A', start: 0, end: 1, properties: new Map() });
      for (let rel = 0; rel < 150; rel += 2) tx.deleteRelationship(rel);
    });
    for (let next = walk.next(); next.done !== true; next = walk.next()) seen.push(next.value.rel);
    expect(seen.sort((x, y) => x - y)).toEqual(Array.from({ length: 150 }, (_, i) => i));
    expect(old.degree(0, 'out', ['C'])).toBe(0);
    old.close();
    const now = store.openView();
    expect(now.degree(0, 'out', ['C'])).toBe(1);
    expect(now.degree(0, 'out', ['A'])).toBe(26);
    expect(now.degree(0, 'out')).toBe(77);
    now.close();
  });

  it('lets a view read on while deletions it cannot see are swept from its lists', () => {
    const store = starStore(Array.from({ length: 150 }, (_, i) => (i % 3 === 0 ? 'A' : 'B')));
    const older = store.openView();
    commit(store, (tx) => { for (let rel = 0; rel < 150; rel += 2) tx.deleteRelationship(rel); });
    const reader = store.openView();
    const walk = reader.relationshipsOf(0, 'out', ['B', 'A'])[Symbol.iterator]();
    const seen: number[] = [];
    // Into the second type's first slice, so the sweep lands between two of its slices.
    for (let i = 0; i < 30; i++) seen.push(walk.next().value?.rel ?? -1);
    older.close(); // the sweep runs now, under the reader's walk
    for (let next = walk.next(); next.done !== true; next = walk.next()) seen.push(next.value.rel);
    expect(seen.sort((x, y) => x - y)).toEqual(Array.from({ length: 75 }, (_, i) => 2 * i + 1));
    reader.close();
  });

  it('matches expansions per direction the same way as an untyped walk filtered by type', () => {
    const store = new GraphStore();
    const kinds = ['X', 'Y', 'Z'];
    commit(store, (tx) => {
      for (let i = 0; i < 6; i++) tx.createNode([], new Map());
      for (let i = 0; i < 40; i++) {
        tx.createRelationship({ type: kinds[(i * 7) % 3] ?? 'X', start: (i * 5) % 6,
          end: (i * 11) % 6, properties: new Map() });
      }
    });
    const view = store.openView();
    for (let node = 0; node < 6; node++) {
      for (const dir of ['out', 'in', 'both'] as Direction[]) {
        const all = [...view.relationshipsOf(node, dir)];
        for (const type of kinds) {
          const typed = adjacent(view.relationshipsOf(node, dir, [type]));
          expect(typed).toEqual(adjacent(all.filter((a) => view.relType(a.rel) === type)));
          expect(view.degree(node, dir, [type])).toBe(typed.length);
        }
      }
    }
    view.close();
  });
});
