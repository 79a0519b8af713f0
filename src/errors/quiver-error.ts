import { StatusCode, type StatusCodeName } from './status-codes.js';

/**
 * The one error type that crosses layer boundaries towards clients: a Neo4j status code and a
 * message a person can act on. Thrown inside the engine, caught at the protocol edge.
 */
export class QuiverError extends Error {
  override name = 'QuiverError';
  readonly code: string;

  constructor(codeName: StatusCodeName, message: string) {
    super(message);
    this.code = StatusCode[codeName];
  }

  /** Transient errors are the ones drivers retry inside managed transactions. */
  get transient(): boolean {
    return this.code.startsWith('Neo.TransientError.');
  }
}

export type Result<T, E = QuiverError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });

/** Wraps anything thrown into a QuiverError, keeping codes that are already there. */
export function toQuiverError(thrown: unknown): QuiverError {
  if (thrown instanceof QuiverError) return thrown;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new QuiverError('UnknownError', message);
}
