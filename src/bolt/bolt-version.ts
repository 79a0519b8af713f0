/**
 * A Bolt protocol version. Kept as two integers, never as a decimal, because 5.10 must not equal
 * 5.1 and ranges on the wire are expressed in minor steps within one major.
 */
export interface BoltVersion {
  readonly major: number;
  readonly minor: number;
}

export function boltVersion(major: number, minor: number): BoltVersion {
  return { major, minor };
}

/** Negative when a < b, zero when equal, positive when a > b. */
export function compareVersions(a: BoltVersion, b: BoltVersion): number {
  return a.major !== b.major ? a.major - b.major : a.minor - b.minor;
}

export function atLeast(version: BoltVersion, major: number, minor: number): boolean {
  return compareVersions(version, { major, minor }) >= 0;
}

export function formatVersion(version: BoltVersion): string {
  return `${version.major}.${version.minor}`;
}
