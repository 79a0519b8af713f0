/**
 * Commits a write to a bare GraphStore the way the database does: ids from the store's
 * counters, the ChangeSet through its wire encoding, then applied as the next version.
 */
import { decodeChangeSet, encodeChangeSet } from '../../src/graph/changeset.js';
import type { GraphStore } from '../../src/graph/store.js';
import { WriteTx, type IdAllocator } from '../../src/graph/write-tx.js';

export function allocator(store: GraphStore): IdAllocator {
  let n = store.nextNodeId;
  let r = store.nextRelId;
  return { nodeId: () => n++, relId: () => r++ };
}

export function commit(store: GraphStore, write: (tx: WriteTx) => void): void {
  const view = store.openView();
  const tx = new WriteTx(view, allocator(store));
  write(tx);
  const cs = decodeChangeSet(encodeChangeSet(tx.toChangeSet()));
  view.close();
  store.apply(cs, store.version + 1);
}
