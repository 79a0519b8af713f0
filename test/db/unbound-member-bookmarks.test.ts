import { describe, expect, it } from 'vitest';
import { formatBookmark, UNBOUND_STORE_ID } from '../../src/db/bookmark.js';
import { Database } from '../../src/db/database.js';
import { GraphStateMachine } from '../../src/db/state-machine.js';

const NOOP = { term: 1, kind: 'noop' as const, data: new Uint8Array(0) };

/** A member's database before it has bound to its cluster (as cluster-member.ts attaches it). */
function unboundMember(): { db: Database; machine: GraphStateMachine } {
  const machine = new GraphStateMachine();
  const db = Database.forMember(machine, { storeId: UNBOUND_STORE_ID,
    bookmarkReadyTimeoutMs: 2_000 });
  return { db, machine };
}

describe('bookmarks on a cluster member that has not bound to its cluster yet', () => {
  it('wait until the member has bound and applied that far, then begin', async () => {
    const { db, machine } = unboundMember();
    const bookmark = formatBookmark({ database: 'neo4j', storeId: 'c1a5', index: 2 });
    const began = db.begin({ mode: 'READ', bookmarks: [bookmark] });
    // The member joins: it binds to the cluster's id, then applies the log.
    db.core.storeId = 'c1a5';
    machine.apply({ index: 1, ...NOOP });
    machine.apply({ index: 2, ...NOOP });
    const tx = await began;
    expect(tx.run('RETURN 1 AS one').next()).toEqual([1n]);
    await tx.rollback();
  });

  it("refuse another cluster's bookmark once bound", async () => {
    const { db, machine } = unboundMember();
    const bookmark = formatBookmark({ database: 'neo4j', storeId: 'c1b5', index: 1 });
    const began = db.begin({ mode: 'READ', bookmarks: [bookmark] });
    db.core.storeId = 'c1a5';
    machine.apply({ index: 1, ...NOOP });
    await expect(began).rejects.toMatchObject({
      code: 'Neo.ClientError.Transaction.InvalidBookmark' });
  });

  it('time out with a transient error when the member never gets that far', async () => {
    const { db } = unboundMember();
    const bookmark = formatBookmark({ database: 'neo4j', storeId: 'c1a5', index: 5 });
    await expect(db.begin({ mode: 'READ', bookmarks: [bookmark] })).rejects.toMatchObject({
      code: 'Neo.TransientError.Transaction.BookmarkTimeout' });
  });
});
