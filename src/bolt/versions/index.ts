import type { BoltVersion } from '../bolt-version.js';
import { V3 } from './v3.js';
import { V4X0, V4X1, V4X2, V4X3, V4X4 } from './v4.js';
import { V5X0, V5X1, V5X2, V5X3, V5X4, V5X6, V5X7, V5X8 } from './v5.js';
import { V6X0, V6X1 } from './v6.js';
import type { VersionTable } from './version-table.js';

/** Every version the server negotiates, oldest first. */
export const VERSION_TABLES: readonly VersionTable[] = [
  V3, V4X0, V4X1, V4X2, V4X3, V4X4, V5X0, V5X1, V5X2, V5X3, V5X4, V5X6, V5X7, V5X8, V6X0, V6X1,
];

export const SUPPORTED_VERSIONS: readonly BoltVersion[] = VERSION_TABLES.map((t) => t.version);

export function tableFor(version: BoltVersion): VersionTable | null {
  return VERSION_TABLES.find((t) => t.version.major === version.major &&
    t.version.minor === version.minor) ?? null;
}
