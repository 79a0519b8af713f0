import type { StreamingResult, TransactionHandle } from '../db/api.js';
import type { QuiverError } from '../errors/quiver-error.js';
import type { RerunTurns } from '../db/conflict-retry.js';
import type { BoltBackend } from './backend.js';
import type { ConnectionState } from './connection-state.js';
import type { BoltLimits } from './limits.js';
import type { RunRequest } from './messages.js';
import type { Outbound } from './outbound.js';
import type { VersionTable } from './versions/version-table.js';

/** One RUN's result while it is being pulled. */
export interface OpenStream {
  readonly qid: number;
  readonly result: StreamingResult;
  /** When the RUN arrived, for t_last. */
  readonly startedMs: number;
  /** PULL/DISCARD requests answered so far: only a first one may rerun the statement. */
  pulls: number;
}

/** The transaction of a connection: explicit (BEGIN) or the implicit one of a RUN. */
export interface OpenTransaction {
  readonly handle: TransactionHandle;
  readonly explicit: boolean;
  /**
   * For the implicit transaction of a RUN: that RUN, so that a commit that lost a write
   * conflict can run it again (see auto-commit-retry.ts). null for explicit transactions.
   */
  readonly autoCommitRun: RunRequest | null;
  /** Database name for summaries. */
  readonly database: string;
  /** Open results by qid; insertion order = RUN order, so the last key is the newest. */
  readonly streams: Map<number, OpenStream>;
  nextQid: number;
}

export interface AuthenticatedUser {
  readonly user: string;
  readonly credentialsExpired: boolean;
}

export interface ServerHints {
  /** Advertise `telemetry.enabled` (5.4+) so drivers send TELEMETRY messages. */
  readonly telemetry: boolean;
}

/**
 * What request handlers see of a connection: its fixed facts (version table, backend, limits)
 * and the mutable state they own. Handlers send replies through `out`; a handler that throws
 * makes the connection answer FAILURE and enter FAILED.
 */
export interface ConnectionContext {
  readonly connectionId: string;
  readonly peer: string;
  readonly backend: BoltBackend;
  readonly table: VersionTable;
  readonly limits: BoltLimits;
  readonly hints: ServerHints;
  readonly out: Outbound;
  /** The version was agreed through the handshake manifest (5.7+ then reports it in HELLO). */
  readonly viaManifest: boolean;
  state: ConnectionState;
  userAgent: string;
  auth: AuthenticatedUser | null;
  /** HELLO succeeded; a RESET before authentication returns to AUTHENTICATION, not NEGOTIATION. */
  helloDone: boolean;
  tx: OpenTransaction | null;
  /** A RESET is queued: long work should stop at the next opportunity. */
  interrupted(): boolean;
  closed(): boolean;
  /** HELLO asked for, and we applied, the "utc" patch (4.3/4.4). */
  useUtcDateTime(): void;
  /** Answers FAILURE and closes: for failed authentication and protocol violations. */
  fatal(error: QuiverError): void;
  close(): void;
  nowMs(): number;
  /** Uniform in [0, 1): the jitter of retry backoff; injected so tests can fix it. */
  random(): number;
  /** Shared by the server's connections: reruns of auto-commit statements go one at a time. */
  readonly rerunTurns: RerunTurns;
}
