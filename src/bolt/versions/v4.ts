import { boltVersion } from '../bolt-version.js';
import { Signature } from '../messages.js';
import { V3_REQUESTS } from './v3.js';
import {
  REQUESTS, versionTable, type RequestEntries, type VersionFeatures,
} from './version-table.js';

/** 4.0: PULL/DISCARD with n and qid; several open results per transaction; db in RUN/BEGIN. */
export const V4X0_REQUESTS: RequestEntries = {
  ...V3_REQUESTS,
  [Signature.Discard]: REQUESTS.discard,
  [Signature.Pull]: REQUESTS.pull,
};

/** 4.3: ROUTE with the database as a positional argument. */
const V4X3_REQUESTS: RequestEntries = {
  ...V4X0_REQUESTS,
  [Signature.Route]: REQUESTS.routeWithDatabase,
};

/** 4.4: ROUTE with an extra map (db, imp_user). */
export const V4X4_REQUESTS: RequestEntries = {
  ...V4X0_REQUESTS,
  [Signature.Route]: REQUESTS.route,
};

const V4_EARLY: VersionFeatures = {
  elementIds: false, dateTime: 'legacy', streamIds: true, hints: false, statuses: false,
  gqlErrors: false, homeDatabase: false,
};
/** 4.3 adds hints and the "utc" patch for DateTime. */
const V4_LATE: VersionFeatures = { ...V4_EARLY, dateTime: 'utc-patch', hints: true };

export const V4X0 = versionTable(boltVersion(4, 0), V4_EARLY, V4X0_REQUESTS);
// 4.1 adds the routing context in HELLO and NOOP chunks; 4.2 adds nothing on the wire.
export const V4X1 = versionTable(boltVersion(4, 1), V4_EARLY, V4X0_REQUESTS);
export const V4X2 = versionTable(boltVersion(4, 2), V4_EARLY, V4X0_REQUESTS);
export const V4X3 = versionTable(boltVersion(4, 3), V4_LATE, V4X3_REQUESTS);
export const V4X4 = versionTable(boltVersion(4, 4), V4_LATE, V4X4_REQUESTS);
