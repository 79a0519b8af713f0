import type { Request, RequestType } from './messages.js';

/** Server states of the Bolt specification (CONNECTED is called NEGOTIATION from 5.1). */
export type ConnectionState =
  | 'NEGOTIATION'
  | 'AUTHENTICATION'
  | 'READY'
  | 'STREAMING'
  | 'TX_READY'
  | 'TX_STREAMING'
  | 'FAILED'
  | 'INTERRUPTED'
  | 'DEFUNCT';

/**
 * Requests each state accepts. RESET, GOODBYE and INVALID are settled before this table is
 * consulted. COMMIT and ROLLBACK are accepted with results still open: the open results are
 * discarded, which is what a driver wants when it commits without consuming everything.
 */
const ACCEPTS: Readonly<Record<ConnectionState, ReadonlySet<RequestType>>> = {
  NEGOTIATION: new Set(['HELLO']),
  AUTHENTICATION: new Set(['LOGON']),
  READY: new Set(['RUN', 'BEGIN', 'ROUTE', 'TELEMETRY', 'LOGOFF']),
  STREAMING: new Set(['PULL', 'DISCARD']),
  TX_READY: new Set(['RUN', 'COMMIT', 'ROLLBACK']),
  TX_STREAMING: new Set(['RUN', 'PULL', 'DISCARD', 'COMMIT', 'ROLLBACK']),
  FAILED: new Set(),
  INTERRUPTED: new Set(),
  DEFUNCT: new Set(),
};

/**
 * The filter before the handlers: what to do with a request in a state.
 * `ignore` answers IGNORED; `refuse` answers FAILURE (and `close` also drops the connection,
 * which is what a request before authentication gets); `handle` runs its handler.
 */
export type Admission = 'handle' | 'ignore' | 'refuse' | 'refuse-and-close';

export function admit(state: ConnectionState, request: Request): Admission {
  if (ACCEPTS[state].has(request.type)) return 'handle';
  switch (state) {
    case 'FAILED':
    case 'INTERRUPTED':
      return 'ignore';
    case 'NEGOTIATION':
    case 'AUTHENTICATION':
    case 'DEFUNCT':
      return 'refuse-and-close';
    default:
      return 'refuse';
  }
}
