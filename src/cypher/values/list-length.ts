/**
 * The longest list a query may build. V8 cannot grow an array past about 134 million elements
 * and then ends the whole process (a fatal error, not an exception a query could fail with),
 * so a list is refused long before: ten million values already take hundreds of MiB.
 */
import { QuiverError } from '../../errors/quiver-error.js';

export const LIST_ELEMENTS_MAX = 10_000_000;

/** Throws the transient memory error when `what` would make a list of `length` elements. */
export function checkListLength(length: number | bigint, what: string): void {
  if (length <= LIST_ELEMENTS_MAX) return;
  throw new QuiverError('MemoryPoolOutOfMemoryError', `${what} would build a list of ` +
    `${length} elements; the limit (listElementsMax) is ${LIST_ELEMENTS_MAX}`);
}
