import type { AccessMode } from '../../db/api.js';
import type { Value } from '../../graph/values.js';
import type { AuthToken, Request, StreamRequest, TxExtra } from '../messages.js';
import { PackStreamDecodeError } from '../packstream/reader.js';

/**
 * The named decoders the version tables are composed from: each turns a message's fields
 * into a Request, or throws PackStreamDecodeError (answered as FAILURE) for a bad field.
 */
export type RequestDecoder = (fields: readonly Value[]) => Request;

const EMPTY_MAP: ReadonlyMap<string, Value> = new Map();

function invalid(message: string): PackStreamDecodeError {
  return new PackStreamDecodeError('RequestInvalid', message);
}

function mapField(value: Value | undefined, what: string): ReadonlyMap<string, Value> {
  if (value === null || value === undefined) return EMPTY_MAP;
  if (!(value instanceof Map)) throw invalid(`${what} must be a map`);
  return value;
}

function optionalString(map: ReadonlyMap<string, Value>, key: string): string | null {
  const value = map.get(key);
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalid(`${key} must be a string`);
  return value;
}

function stringList(value: Value | undefined, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(`${what} must be a list of strings`);
  return value.map((item) => {
    if (typeof item !== 'string') throw invalid(`${what} must be a list of strings`);
    return item;
  });
}

/** Made once: every PULL passes through optionalInt. */
const SAFE_INTEGER_MAX = BigInt(Number.MAX_SAFE_INTEGER);
const SAFE_INTEGER_MIN = BigInt(Number.MIN_SAFE_INTEGER);

function optionalInt(map: ReadonlyMap<string, Value>, key: string): number | null {
  const value = map.get(key);
  if (value === undefined || value === null) return null;
  if (typeof value !== 'bigint') throw invalid(`${key} must be an integer`);
  if (value > SAFE_INTEGER_MAX) return Number.MAX_SAFE_INTEGER;
  if (value < SAFE_INTEGER_MIN) return Number.MIN_SAFE_INTEGER;
  return Number(value);
}

function authToken(map: ReadonlyMap<string, Value>): AuthToken {
  const scheme = optionalString(map, 'scheme') ?? 'none';
  const principal = optionalString(map, 'principal');
  const credentials = optionalString(map, 'credentials');
  return {
    scheme,
    ...(principal === null ? {} : { principal }),
    ...(credentials === null ? {} : { credentials }),
  };
}

function accessMode(map: ReadonlyMap<string, Value>): AccessMode {
  const mode = optionalString(map, 'mode');
  if (mode === null || mode === 'w') return 'WRITE';
  if (mode === 'r') return 'READ';
  throw invalid(`mode must be "r" or "w", not "${mode}"`);
}

export function txExtra(value: Value | undefined): TxExtra {
  const extra = mapField(value, 'extra');
  const timeoutMs = optionalInt(extra, 'tx_timeout');
  if (timeoutMs !== null && timeoutMs < 0) throw invalid('tx_timeout must not be negative');
  const metadata = extra.get('tx_metadata');
  const database = optionalString(extra, 'db');
  return {
    bookmarks: stringList(extra.get('bookmarks'), 'bookmarks'),
    timeoutMs: timeoutMs === 0 ? null : timeoutMs,
    metadata: metadata === undefined || metadata === null
      ? null
      : mapField(metadata, 'tx_metadata'),
    mode: accessMode(extra),
    database: database === '' ? null : database,
    impersonatedUser: optionalString(extra, 'imp_user'),
  };
}

function helloFields(fields: readonly Value[], withAuth: boolean): Request {
  const extra = mapField(fields[0], 'HELLO extra');
  const routing = extra.get('routing');
  return {
    type: 'HELLO',
    userAgent: optionalString(extra, 'user_agent') ?? '',
    auth: withAuth ? authToken(extra) : null,
    routing: routing === undefined || routing === null ? null : mapField(routing, 'routing'),
    patchBolt: stringList(extra.get('patch_bolt'), 'patch_bolt'),
  };
}

/** Bolt 3 .. 5.0: credentials inside HELLO. */
export const decodeHelloWithAuth: RequestDecoder = (fields) => helloFields(fields, true);
/** Bolt 5.1+: HELLO without credentials; LOGON follows. */
export const decodeHello: RequestDecoder = (fields) => helloFields(fields, false);

export const decodeLogon: RequestDecoder = (fields) => ({
  type: 'LOGON', auth: authToken(mapField(fields[0], 'LOGON auth')),
});

export const decodeLogoff: RequestDecoder = () => ({ type: 'LOGOFF' });
export const decodeGoodbye: RequestDecoder = () => ({ type: 'GOODBYE' });
export const decodeReset: RequestDecoder = () => ({ type: 'RESET' });
export const decodeCommit: RequestDecoder = () => ({ type: 'COMMIT' });
export const decodeRollback: RequestDecoder = () => ({ type: 'ROLLBACK' });

export const decodeRun: RequestDecoder = (fields) => {
  const query = fields[0];
  if (typeof query !== 'string') throw invalid('RUN query must be a string');
  return { type: 'RUN', query, params: mapField(fields[1], 'RUN parameters'),
    extra: txExtra(fields[2]) };
};

export const decodeBegin: RequestDecoder = (fields) => ({
  type: 'BEGIN', extra: txExtra(fields[0]),
});

/** PULL_ALL (Bolt 3). */
export const decodePullAll: RequestDecoder = () => ({ type: 'PULL', n: -1, qid: -1 });
/** DISCARD_ALL (Bolt 3). */
export const decodeDiscardAll: RequestDecoder = () => ({ type: 'DISCARD', n: -1, qid: -1 });

function streamRequest(value: Value | undefined, name: string): StreamRequest {
  const extra = mapField(value, `${name} extra`);
  const n = optionalInt(extra, 'n');
  if (n === null) throw invalid(`${name} needs n`);
  if (n === 0 || n < -1) throw invalid(`${name} n must be -1 (all) or positive, not ${n}`);
  const qid = optionalInt(extra, 'qid') ?? -1;
  if (qid < -1) throw invalid(`${name} qid must be -1 or a statement id`);
  return { n, qid };
}

// The fields are copied out rather than spread: spreading is V8's slow path, and every
// auto-commit write sends a PULL.
export const decodePull: RequestDecoder = (fields) => {
  const { n, qid } = streamRequest(fields[0], 'PULL');
  return { type: 'PULL', n, qid };
};
export const decodeDiscard: RequestDecoder = (fields) => {
  const { n, qid } = streamRequest(fields[0], 'DISCARD');
  return { type: 'DISCARD', n, qid };
};

/** Bolt 4.3: ROUTE routing bookmarks db. */
export const decodeRouteWithDatabase: RequestDecoder = (fields) => {
  const database = fields[2];
  if (database !== null && database !== undefined && typeof database !== 'string') {
    throw invalid('ROUTE database must be a string or null');
  }
  return {
    type: 'ROUTE', routing: mapField(fields[0], 'routing context'),
    bookmarks: stringList(fields[1], 'bookmarks'),
    database: database === '' || database === undefined ? null : database,
    impersonatedUser: null,
  };
};

/** Bolt 4.4+: ROUTE routing bookmarks {db, imp_user}. */
export const decodeRoute: RequestDecoder = (fields) => {
  const extra = mapField(fields[2], 'ROUTE extra');
  const database = optionalString(extra, 'db');
  return {
    type: 'ROUTE', routing: mapField(fields[0], 'routing context'),
    bookmarks: stringList(fields[1], 'bookmarks'),
    database: database === '' ? null : database,
    impersonatedUser: optionalString(extra, 'imp_user'),
  };
};

export const decodeTelemetry: RequestDecoder = (fields) => {
  const api = fields[0];
  if (typeof api !== 'bigint' || api < 0n || api > 3n) {
    throw invalid('TELEMETRY api must be 0, 1, 2 or 3');
  }
  return { type: 'TELEMETRY', api: Number(api) };
};
