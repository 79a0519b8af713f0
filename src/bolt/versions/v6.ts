import { boltVersion } from '../bolt-version.js';
import { V5X4_REQUESTS, V5X8_FEATURES } from './v5.js';
import { versionTable } from './version-table.js';

// 6.0 adds the Vector and UnsupportedType structures and 6.1 the UUID marker; the message set is
// 5.8's. We never send those values, and refuse them from clients with a TypeError FAILURE.
export const V6X0 = versionTable(boltVersion(6, 0), V5X8_FEATURES, V5X4_REQUESTS);
export const V6X1 = versionTable(boltVersion(6, 1), V5X8_FEATURES, V5X4_REQUESTS);
