import type { BoltVersion } from '../bolt-version.js';
import { Signature } from '../messages.js';
import * as decode from './request-decoders.js';
import type { RequestDecoder } from './request-decoders.js';

/** One request message as a version knows it: its field count and its decoder. */
export interface RequestSpec {
  readonly name: string;
  readonly fieldCount: number;
  readonly decode: RequestDecoder;
}

/** What the agreed version changes in behaviour beyond its message set. */
export interface VersionFeatures {
  /** 5.0+: element ids in Node/Relationship structures. */
  readonly elementIds: boolean;
  /** How DateTime travels: legacy tags, legacy unless HELLO asks for the utc patch, or UTC. */
  readonly dateTime: 'legacy' | 'utc-patch' | 'utc';
  /** 4.0+: PULL/DISCARD carry n and qid; RUN SUCCESS in a transaction has qid; db in summaries. */
  readonly streamIds: boolean;
  /** 4.3+: HELLO SUCCESS may carry hints. */
  readonly hints: boolean;
  /** 5.6+: summaries carry GQL `statuses` instead of `notifications`. */
  readonly statuses: boolean;
  /** 5.7+: FAILURE uses `neo4j_code`, `gql_status`, `description`. */
  readonly gqlErrors: boolean;
  /** 5.8+: BEGIN and auto-commit RUN SUCCESS name the resolved home database. */
  readonly homeDatabase: boolean;
}

export interface VersionTable {
  readonly version: BoltVersion;
  readonly features: VersionFeatures;
  readonly requests: ReadonlyMap<Signature, RequestSpec>;
}

export type RequestEntries = Readonly<Partial<Record<Signature, RequestSpec>>>;

function spec(name: string, fieldCount: number, decoder: RequestDecoder): RequestSpec {
  return { name, fieldCount, decode: decoder };
}

/** Shared entries; version files pick from these. */
export const REQUESTS = {
  helloWithAuth: spec('HELLO', 1, decode.decodeHelloWithAuth),
  hello: spec('HELLO', 1, decode.decodeHello),
  logon: spec('LOGON', 1, decode.decodeLogon),
  logoff: spec('LOGOFF', 0, decode.decodeLogoff),
  goodbye: spec('GOODBYE', 0, decode.decodeGoodbye),
  reset: spec('RESET', 0, decode.decodeReset),
  run: spec('RUN', 3, decode.decodeRun),
  begin: spec('BEGIN', 1, decode.decodeBegin),
  commit: spec('COMMIT', 0, decode.decodeCommit),
  rollback: spec('ROLLBACK', 0, decode.decodeRollback),
  pullAll: spec('PULL_ALL', 0, decode.decodePullAll),
  discardAll: spec('DISCARD_ALL', 0, decode.decodeDiscardAll),
  pull: spec('PULL', 1, decode.decodePull),
  discard: spec('DISCARD', 1, decode.decodeDiscard),
  routeWithDatabase: spec('ROUTE', 3, decode.decodeRouteWithDatabase),
  route: spec('ROUTE', 3, decode.decodeRoute),
  telemetry: spec('TELEMETRY', 1, decode.decodeTelemetry),
} as const;

export function versionTable(
  version: BoltVersion,
  features: VersionFeatures,
  entries: RequestEntries,
): VersionTable {
  const requests = new Map<Signature, RequestSpec>();
  for (const [signature, entry] of Object.entries(entries)) {
    if (entry !== undefined) requests.set(Number(signature) as Signature, entry);
  }
  return Object.freeze({ version, features, requests });
}

/** Used when refusing a message the agreed version lacks, so the FAILURE can say why. */
export const FIRST_VERSION_WITH: ReadonlyMap<Signature, string> = new Map([
  [Signature.Route, '4.3'],
  [Signature.Logon, '5.1'],
  [Signature.Logoff, '5.1'],
  [Signature.Telemetry, '5.4'],
]);
