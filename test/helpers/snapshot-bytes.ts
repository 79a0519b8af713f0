/** A store's snapshot as one buffer, taken from a view opened (and closed) for it. */
import type { GraphStore } from '../../src/graph/store.js';
import { writeSnapshot } from '../../src/graph/snapshot.js';

export function snapshotBytes(store: GraphStore, system: unknown[] = []): Buffer {
  const view = store.openView();
  try {
    return Buffer.concat([...writeSnapshot(store, view, system)]);
  } finally {
    view.close();
  }
}
