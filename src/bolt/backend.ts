import type { BeginOptions, TransactionHandle } from '../db/api.js';
import type { Value } from '../graph/values.js';

/** What the client presented in HELLO (before 5.1) or LOGON. */
export interface BoltAuth {
  readonly scheme: string;
  readonly principal?: string;
  readonly credentials?: string;
}

/** Who is on a connection; handed to the backend on every transaction. */
export interface BoltSession {
  /** `bolt-<n>`, as in HELLO SUCCESS. */
  readonly connectionId: string;
  /** Remote `host:port`. */
  readonly peer: string;
  readonly userAgent: string;
  readonly user: string;
  /**
   * The user must change their password: the backend fails every statement except the
   * password change with CredentialsExpired (it alone can recognise that statement).
   */
  readonly credentialsExpired: boolean;
  /** imp_user of the request, when the client impersonates another user. */
  readonly impersonatedUser: string | null;
}

export interface RoutingTable {
  readonly ttlSeconds: number;
  /** The database the table is for (the resolved home database when none was asked for). */
  readonly db: string;
  readonly servers: readonly { role: 'WRITE' | 'READ' | 'ROUTE'; addresses: readonly string[] }[];
}

/**
 * The database as the Bolt layer needs it. Implemented by the server layer on top of the
 * engine; tests use a fake. Every method reports client-caused problems by throwing (or
 * rejecting with) a QuiverError; anything else thrown is answered as UnknownError.
 */
export interface BoltBackend {
  /** `Product/x.y.z`; Java drivers and cypher-shell insist on the `Neo4j/` prefix. */
  readonly serverAgent: string;
  /** Rejects with QuiverError('Unauthorized' | 'AuthenticationRateLimit'). */
  authenticate(auth: BoltAuth, peer: string):
    Promise<{ user: string; credentialsExpired: boolean }>;
  /** database null = the default (home) database. Rejects e.g. with DatabaseNotFound. */
  begin(args: {
    readonly session: BoltSession;
    readonly database: string | null;
    readonly options: BeginOptions;
  }): Promise<TransactionHandle>;
  route(args: {
    readonly session: BoltSession;
    readonly routingContext: ReadonlyMap<string, Value>;
    readonly database: string | null;
    readonly bookmarks: readonly string[];
  }): Promise<RoutingTable>;
  /** The name summaries report when a request named no database. */
  defaultDatabase(): string;
  /**
   * Resolves once every write validated so far is visible to a new transaction. An auto-commit
   * statement that lost a write conflict runs again only then, or it would lose again.
   */
  writesSettled(): Promise<void>;
}
