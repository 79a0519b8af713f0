/** Checks for fields read back from our own files, where a wrong type means damage. */

/** A safe, non-negative integer: a term, an index or a commit. */
export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT';
}
