/**
 * Bookmarks name the database, the store they belong to and a position in the log:
 * `quiver:<database>:<storeId>:<index>`. Drivers treat them as opaque strings and pass them back.
 */
import { QuiverError } from '../errors/quiver-error.js';

export interface Bookmark {
  readonly database: string;
  readonly storeId: string;
  readonly index: number;
}

export function formatBookmark(b: Bookmark): string {
  return `quiver:${b.database}:${b.storeId}:${b.index}`;
}

export function parseBookmark(text: string): Bookmark {
  const m = /^quiver:([^:]+):([0-9a-f]+):(\d{1,15})$/.exec(text);
  if (!m) {
    throw new QuiverError('InvalidBookmark', `Supplied bookmark [${text}] does not conform to pattern`);
  }
  return { database: m[1]!, storeId: m[2]!, index: Number(m[3]) };
}

/**
 * A cluster member's store id until it has bound to its cluster's id: it cannot tell yet whether
 * a bookmark is its cluster's, only wait until it has applied that far and then check.
 */
export const UNBOUND_STORE_ID = 'unbound';

/**
 * The highest position among bookmarks for this store; another store's bookmark is refused
 * (by a member still unbound, only once it has bound: see UNBOUND_STORE_ID).
 */
export function requiredIndex(texts: readonly string[], storeId: string): number {
  let max = 0;
  for (const t of texts) {
    const b = parseBookmark(t);
    if (b.storeId !== storeId && storeId !== UNBOUND_STORE_ID) {
      throw new QuiverError('InvalidBookmark',
        `Supplied bookmark [${t}] belongs to another cluster or store (${b.storeId}), not ${storeId}`);
    }
    max = Math.max(max, b.index);
  }
  return max;
}
