/**
 * Bounds on the lists and strings a query builds. V8 cannot grow an array past about 134
 * million elements, and cannot find room for a value bigger than its heap has left; either
 * ends the whole process (a fatal error, not an exception a query could fail with). So a big
 * list or string is refused before it is built, with Neo4j's transient memory error: past 10
 * million elements for a list, past V8's longest string, and whenever the heap would be more
 * than 70% full with it. The query guard stops queries that fill the heap bit by bit.
 * See docs/decisions/0048-heap-exhaustion.md.
 */
import { getHeapStatistics } from 'node:v8';
import { QuiverError } from '../../errors/quiver-error.js';

export const LIST_ELEMENTS_MAX = 10_000_000;
/** V8's longest string (2^29 - 24 UTF-16 code units on 64-bit). */
const STRING_LENGTH_MAX = 2 ** 29 - 24;
/**
 * Share of the heap's limit a query may bring it to. V8 gives up before its limit (at about
 * 83% of it for a server given 256 MiB, with "ineffective mark-compacts"), and one array's
 * growth can take a tenth of the heap at once; 70% is also Neo4j's default share of the heap
 * for all transactions.
 */
const HEAP_USED_SHARE_MAX = 0.7;
/** Values smaller than this are built without a look at the heap, which costs more. */
const UNCHECKED_LENGTH_MAX = 1 << 16;
/** What one element of a list and one code unit of a string take, at most. */
const LIST_ELEMENT_BYTES = 8;
const STRING_UNIT_BYTES = 2;

function refused(message: string): QuiverError {
  return new QuiverError('MemoryPoolOutOfMemoryError', message);
}

export function mebibytes(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

/** Throws when the heap, with `extraBytes` more, would be over its share (see above). */
export function checkHeapRoom(extraBytes: number, what: string): void {
  const { used_heap_size: used, heap_size_limit: limit } = getHeapStatistics();
  if (used + extraBytes <= limit * HEAP_USED_SHARE_MAX) return;
  const more = extraBytes === 0 ? '' : ` with ${mebibytes(extraBytes)} more for ${what}`;
  throw refused(`The server's heap would be ${Math.round(((used + extraBytes) / limit) * 100)}% ` +
    `full${more} (${mebibytes(used)} in use of ${mebibytes(limit)}): the transaction is ` +
    'stopped before the server runs out of memory. Lower the memory the query needs, or raise ' +
    'dbms.memory.heap.max_size');
}

/** Throws when a list of `length` elements is over LIST_ELEMENTS_MAX, built or not. */
export function checkListElements(length: number | bigint, what: string): void {
  if (length <= LIST_ELEMENTS_MAX) return;
  throw refused(`${what} would build a list of ${length} elements; the limit ` +
    `(listElementsMax) is ${LIST_ELEMENTS_MAX}`);
}

/** Throws when `what` may not build a list of `length` elements now. */
export function checkListLength(length: number | bigint, what: string): void {
  if (length <= UNCHECKED_LENGTH_MAX) return;
  checkListElements(length, what);
  checkHeapRoom(Number(length) * LIST_ELEMENT_BYTES, what);
}

/**
 * For a list built one element at a time: throws when `what` may not add the element at index
 * `length`. The heap is looked at when the array would double, not for every element.
 */
export function checkListGrowth(length: number, what: string): void {
  checkListElements(length + 1, what);
  if (length >= UNCHECKED_LENGTH_MAX && (length & (length - 1)) === 0) {
    checkHeapRoom(length * LIST_ELEMENT_BYTES, what);
  }
}

/** Throws when `what` may not build a string of `length` UTF-16 code units. */
export function checkStringLength(length: number, what: string): void {
  if (length <= UNCHECKED_LENGTH_MAX) return;
  if (length > STRING_LENGTH_MAX) {
    throw refused(`${what} would build a string of ${length} characters; the longest string ` +
      `is ${STRING_LENGTH_MAX}`);
  }
  checkHeapRoom(length * STRING_UNIT_BYTES, what);
}
