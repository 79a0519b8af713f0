/** The Neo4j status code a statement fails with, for tests that expect a failure. */
import { QuiverError } from '../../src/errors/quiver-error.js';

function codeOfError(e: unknown): string {
  if (e instanceof QuiverError) return e.code;
  throw e;
}

/** The code of the QuiverError `run` throws; fails the test when it throws none. */
export function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    return codeOfError(e);
  }
  throw new Error('expected a QuiverError');
}

/** As codeOf, for a statement that fails asynchronously. */
export async function codeOfAsync(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (e) {
    return codeOfError(e);
  }
  throw new Error('expected a QuiverError');
}
