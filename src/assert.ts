/**
 * Programmer-error check that stays on in production (see docs/decisions/0002).
 * Never used to validate client input: that gets a QuiverError with a Neo4j code.
 * This file imports nothing so that raft/ and log/ may use it.
 */
export class AssertionFailed extends Error {
  override name = 'AssertionFailed';
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionFailed(message);
}

export function unreachable(value: never, message = 'unreachable'): never {
  throw new AssertionFailed(`${message}: ${String(value)}`);
}
