import { describe, expect, it } from 'vitest';
import { AssertionFailed } from '../../src/assert.js';
import { RelColumns, NO_PROPS_AT } from '../../src/graph/rel-columns.js';
import { readSnapshot, writeSnapshot } from '../../src/graph/snapshot.js';
import { GraphStore } from '../../src/graph/store.js';
import type { Value } from '../../src/graph/values.js';
import { commit } from './commit-helper.js';

function twoNodes(): GraphStore {
  const store = new GraphStore();
  commit(store, (tx) => {
    tx.createNode(['P'], new Map());
    tx.createNode(['P'], new Map());
  });
  return store;
}

function knows(store: GraphStore, count: number, since: bigint): void {
  commit(store, (tx) => {
    for (let i = 0; i < count; i++) {
      tx.createRelationship({ type: 'KNOWS', start: 0, end: 1,
        properties: new Map<string, Value>([['since', since + BigInt(i)]]) });
    }
  });
}

function snapshotRels(store: GraphStore): number[] {
  const open = store.openView();
  const bytes = Buffer.concat([...writeSnapshot(store, open)]);
  open.close();
  const { store: loaded } = readSnapshot(bytes);
  const view = loaded.openView();
  const rels = [...view.allRelationships()];
  view.close();
  return rels;
}

describe('relationship columns', () => {
  it('keeps every relationship readable, and an older view exact, as the columns grow', () => {
    const store = twoNodes();
    knows(store, 1000, 0n);
    const old = store.openView();
    knows(store, 3000, 1000n);
    const now = store.openView();
    expect(old.degree(0, 'out', ['KNOWS'])).toBe(1000);
    expect([...old.allRelationships()]).toHaveLength(1000);
    expect(now.degree(1, 'in')).toBe(4000);
    expect(now.relProperty(3999, 'since')).toBe(3999n);
    expect(now.relProperty(0, 'since')).toBe(0n);
    expect([now.relType(2500), now.relStart(2500), now.relEnd(2500)]).toEqual(['KNOWS', 0, 1]);
    expect(old.relExists(2500)).toBe(false);
    old.close();
    now.close();
  });

  it('shows a deleted relationship to older views until they close, then forgets it', () => {
    const store = twoNodes();
    knows(store, 2, 7n);
    const old = store.openView();
    commit(store, (tx) => tx.deleteRelationship(0));
    const now = store.openView();
    expect(old.relExists(0)).toBe(true);
    expect(old.relProperty(0, 'since')).toBe(7n);
    expect([...old.relationshipsOf(0, 'out')].map((a) => a.rel)).toEqual([0, 1]);
    expect(now.relExists(0)).toBe(false);
    expect([...now.relationshipsOf(0, 'out')].map((a) => a.rel)).toEqual([1]);
    expect(store.rels.deletedAt.size).toBe(1);
    old.close();
    now.close();
    expect(store.rels.deletedAt.size).toBe(0);
    const later = store.openView();
    expect(later.relExists(0)).toBe(false);
    expect(later.relationshipCount()).toBe(1);
    later.close();
    expect(snapshotRels(store)).toEqual([1]);
  });

  it('keeps the properties an older view reads across updates, and drops them after', () => {
    const store = twoNodes();
    knows(store, 1, 1n);
    const old = store.openView();
    commit(store, (tx) => tx.setRelProperty(0, 'since', 2n));
    const now = store.openView();
    expect(old.relProperty(0, 'since')).toBe(1n);
    expect([...old.relProperties(0)]).toEqual([['since', 1n]]);
    expect(now.relProperty(0, 'since')).toBe(2n);
    expect(store.rels.propsAt[0]).toBe(NO_PROPS_AT);
    old.close();
    now.close();
    commit(store, (tx) => tx.setRelProperty(0, 'since', 3n));
    expect(store.relPropVersions.get(0)?.older).toBeNull();
    const last = store.openView();
    expect(last.relProperty(0, 'since')).toBe(3n);
    last.close();
  });

  it('keeps versions past 2^32 exact', () => {
    const store = twoNodes();
    store.advance(2 ** 33);
    const before = store.openView();
    knows(store, 1, 5n);
    const after = store.openView();
    expect(store.rels.from[0]).toBe(2 ** 33 + 1);
    expect(before.relExists(0)).toBe(false);
    expect(after.relExists(0)).toBe(true);
    before.close();
    after.close();
  });

  it('refuses a write past the capacity reserved, and a second create of one id', () => {
    const columns = new RelColumns();
    const record = { id: 0, type: 0, start: 0, end: 0, version: 1, propsAt: NO_PROPS_AT };
    expect(() => columns.create(record)).toThrow(AssertionFailed);
    columns.reserve(1);
    columns.create(record);
    expect(() => columns.create(record)).toThrow(AssertionFailed);
    expect(() => columns.markDeleted(1, 2)).toThrow(AssertionFailed);
  });

  it('leaves ids never created out of reads and of adjacency built in bulk', () => {
    const store = new GraphStore();
    for (const id of [0, 1]) store.loadNode({ id, labels: [], props: new Map(), version: 1 });
    const type = store.types.intern('R');
    for (const id of [0, 5]) {
      store.loadRel({ id, type, start: 0, end: 1, props: undefined, version: 1,
        deferAdjacency: true });
    }
    store.buildAdjacency(0);
    store.advance(1);
    const view = store.openView();
    expect([...view.allRelationships()]).toEqual([0, 5]);
    expect([...view.relationshipsOf(0, 'out')].map((a) => a.rel)).toEqual([0, 5]);
    expect(view.relExists(3)).toBe(false);
    expect(view.relExists(1_000_000)).toBe(false);
    view.close();
  });

  it('grows an adjacency list by a copy, leaving the pairs a reader holds as they were', () => {
    const store = twoNodes();
    knows(store, 3, 0n);
    const adjacency = store.outRels;
    const held = adjacency.pairs(0).slice(adjacency.first(0), adjacency.first(0) + 6);
    const pairs = adjacency.pairs(0);
    const first = adjacency.first(0);
    knows(store, 1, 3n);
    expect(pairs.slice(first, first + 6)).toEqual(held);
    expect(Array.from(held).filter((_, i) => i % 2 === 0)).toEqual([0, 1, 2]);
    expect(adjacency.relsOf(0)).toEqual([0, 1, 2, 3]);
  });
});
