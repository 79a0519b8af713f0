import type { AccessMode } from '../db/api.js';
import type { QuiverError } from '../errors/quiver-error.js';
import type { Value } from '../graph/values.js';

/** Message signatures (the structure tag of a message). 0x01 was INIT before Bolt 3. */
export const enum Signature {
  Hello = 0x01,
  Goodbye = 0x02,
  Reset = 0x0f,
  Run = 0x10,
  Begin = 0x11,
  Commit = 0x12,
  Rollback = 0x13,
  /** DISCARD_ALL before 4.0. */
  Discard = 0x2f,
  /** PULL_ALL before 4.0. */
  Pull = 0x3f,
  Telemetry = 0x54,
  Route = 0x66,
  Logon = 0x6a,
  Logoff = 0x6b,
  Success = 0x70,
  Record = 0x71,
  Ignored = 0x7e,
  Failure = 0x7f,
}

export interface AuthToken {
  readonly scheme: string;
  readonly principal?: string;
  readonly credentials?: string;
}

/** The transaction settings RUN (auto-commit) and BEGIN carry in their `extra` map. */
export interface TxExtra {
  readonly bookmarks: readonly string[];
  readonly timeoutMs: number | null;
  readonly metadata: ReadonlyMap<string, Value> | null;
  readonly mode: AccessMode;
  /** null = the user's home (default) database. */
  readonly database: string | null;
  readonly impersonatedUser: string | null;
}

export interface RunRequest {
  readonly type: 'RUN';
  readonly query: string;
  readonly params: ReadonlyMap<string, Value>;
  readonly extra: TxExtra;
}

/** PULL/DISCARD: n = -1 means all; qid = -1 means the most recent statement. */
export interface StreamRequest {
  readonly n: number;
  readonly qid: number;
}

export type Request =
  | {
    readonly type: 'HELLO';
    readonly userAgent: string;
    /** Present before Bolt 5.1; from 5.1 on authentication travels in LOGON. */
    readonly auth: AuthToken | null;
    readonly routing: ReadonlyMap<string, Value> | null;
    readonly patchBolt: readonly string[];
  }
  | { readonly type: 'LOGON'; readonly auth: AuthToken }
  | { readonly type: 'LOGOFF' }
  | { readonly type: 'GOODBYE' }
  | { readonly type: 'RESET' }
  | RunRequest
  | { readonly type: 'BEGIN'; readonly extra: TxExtra }
  | { readonly type: 'COMMIT' }
  | { readonly type: 'ROLLBACK' }
  | ({ readonly type: 'PULL' } & StreamRequest)
  | ({ readonly type: 'DISCARD' } & StreamRequest)
  | {
    readonly type: 'ROUTE';
    readonly routing: ReadonlyMap<string, Value>;
    readonly bookmarks: readonly string[];
    readonly database: string | null;
    readonly impersonatedUser: string | null;
  }
  | { readonly type: 'TELEMETRY'; readonly api: number }
  /**
   * Bytes that framed correctly but do not make a valid request. `fatal` ones (unknown
   * signature, wrong field count) close the connection after the FAILURE.
   */
  | { readonly type: 'INVALID'; readonly error: QuiverError; readonly fatal: boolean };

export type RequestType = Request['type'];
