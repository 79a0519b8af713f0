import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { OpenViews } from '../../src/graph/open-views.js';
import { GraphStore } from '../../src/graph/store.js';
import { commit } from './commit-helper.js';

function oldSpaceUsed(): number {
  const old = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space');
  return old?.space_used_size ?? 0;
}

describe('open views registry', () => {
  it('reports the oldest open version whatever order views close in', () => {
    const views = new OpenViews();
    expect(views.oldest()).toBe(Infinity);
    views.open(3);
    views.open(3);
    views.open(5);
    views.open(9);
    expect(views.oldest()).toBe(3);
    expect(views.size).toBe(3);
    views.close(5);
    expect(views.oldest()).toBe(3);
    views.close(3);
    expect(views.oldest()).toBe(3);
    views.close(3);
    expect(views.oldest()).toBe(9);
    views.open(9);
    views.close(9);
    expect(views.oldest()).toBe(9);
    views.close(9);
    expect(views.oldest()).toBe(Infinity);
    expect(views.size).toBe(0);
  });

  it('refuses to close a version with no open view', () => {
    const views = new OpenViews();
    views.open(1);
    expect(() => views.close(2)).toThrow(/not open/);
    views.close(1);
    expect(() => views.close(1)).toThrow(/not open/);
  });

  it('keeps the oldest version while many newer ones open and close around it', () => {
    const views = new OpenViews();
    views.open(1);
    for (let v = 2; v < 10_000; v++) {
      views.open(v);
      if (v % 3 !== 0) views.close(v);
    }
    expect(views.oldest()).toBe(1);
    expect(views.size).toBe(1 + Math.floor(9_999 / 3));
    views.close(1);
    expect(views.oldest()).toBe(3);
    for (let v = 3; v < 10_000; v += 3) views.close(v);
    expect(views.oldest()).toBe(Infinity);
  });

  it('lets a store open and close views without leaving old-generation garbage', () => {
    const store = new GraphStore();
    commit(store, (tx) => { tx.createNode(['A'], new Map()); });
    const pinned = store.openView();
    // Warmed up first: compiling the loop puts code and feedback in the old generation.
    for (let i = 0; i < 20_000; i++) store.openView().close();
    const before = oldSpaceUsed();
    // A Map of versions rehashed into a new old-space table every few closes: ~7 MB here.
    for (let i = 0; i < 50_000; i++) store.openView().close();
    expect(oldSpaceUsed() - before).toBeLessThan(1_000_000);
    pinned.close();
  });

  it('drops a superseded node version once the last view older than the change closes', () => {
    const store = new GraphStore();
    commit(store, (tx) => { tx.createNode(['A'], new Map([['n', 1n]])); });
    const old = store.openView();
    const newer = store.openView();
    commit(store, (tx) => { tx.setNodeProperty(0, 'n', 2n); });
    commit(store, (tx) => { tx.deleteNode(0); });
    expect(old.nodeProperty(0, 'n')).toBe(1n);
    newer.close();
    expect(old.nodeProperty(0, 'n')).toBe(1n);
    expect(store.nodes[0]).toBeDefined();
    old.close();
    // The delete's sweep ran: nothing of the node is kept.
    expect(store.nodes[0]).toBeUndefined();
  });
});
