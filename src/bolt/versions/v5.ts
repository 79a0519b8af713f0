import { boltVersion } from '../bolt-version.js';
import { Signature } from '../messages.js';
import { V4X4_REQUESTS } from './v4.js';
import {
  REQUESTS, versionTable, type RequestEntries, type VersionFeatures,
} from './version-table.js';

/** 5.1: HELLO without credentials, LOGON/LOGOFF. */
const V5X1_REQUESTS: RequestEntries = {
  ...V4X4_REQUESTS,
  [Signature.Hello]: REQUESTS.hello,
  [Signature.Logon]: REQUESTS.logon,
  [Signature.Logoff]: REQUESTS.logoff,
};

/** 5.4: TELEMETRY. */
export const V5X4_REQUESTS: RequestEntries = {
  ...V5X1_REQUESTS,
  [Signature.Telemetry]: REQUESTS.telemetry,
};

/** 5.0: element ids, UTC DateTime only. */
const V5X0_FEATURES: VersionFeatures = {
  elementIds: true, dateTime: 'utc', streamIds: true, hints: true, statuses: false,
  gqlErrors: false, homeDatabase: false,
};
const V5X6_FEATURES: VersionFeatures = { ...V5X0_FEATURES, statuses: true };
const V5X7_FEATURES: VersionFeatures = { ...V5X6_FEATURES, gqlErrors: true };
export const V5X8_FEATURES: VersionFeatures = { ...V5X7_FEATURES, homeDatabase: true };

export const V5X0 = versionTable(boltVersion(5, 0), V5X0_FEATURES, V4X4_REQUESTS);
export const V5X1 = versionTable(boltVersion(5, 1), V5X0_FEATURES, V5X1_REQUESTS);
// 5.2 adds notification filters (ignored keys to us), 5.3 the bolt_agent in HELLO.
export const V5X2 = versionTable(boltVersion(5, 2), V5X0_FEATURES, V5X1_REQUESTS);
export const V5X3 = versionTable(boltVersion(5, 3), V5X0_FEATURES, V5X1_REQUESTS);
export const V5X4 = versionTable(boltVersion(5, 4), V5X0_FEATURES, V5X4_REQUESTS);
// 5.5 is never negotiated (released in a few drivers only).
export const V5X6 = versionTable(boltVersion(5, 6), V5X6_FEATURES, V5X4_REQUESTS);
export const V5X7 = versionTable(boltVersion(5, 7), V5X7_FEATURES, V5X4_REQUESTS);
export const V5X8 = versionTable(boltVersion(5, 8), V5X8_FEATURES, V5X4_REQUESTS);
