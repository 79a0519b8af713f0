/**
 * CRC-32C (Castagnoli), the checksum of every log record, hard-state file and snapshot.
 * Castagnoli rather than zlib's CRC-32 because it detects more error patterns at the lengths we
 * write, and written here (slicing by 8, table-driven) so the format does not depend on the
 * Node version: zlib.crc32 only exists from Node 20.15 and computes the other polynomial.
 */

/** The reflected Castagnoli polynomial. */
const POLYNOMIAL = 0x82f63b78;
const SLICES = 8;

/** TABLES[k * 256 + b] is the CRC of byte b followed by k zero bytes. */
const TABLES = buildTables();

function buildTables(): Uint32Array {
  const tables = new Uint32Array(SLICES * 256);
  for (let b = 0; b < 256; b++) {
    let crc = b;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ POLYNOMIAL : crc >>> 1;
    tables[b] = crc >>> 0;
  }
  for (let k = 1; k < SLICES; k++) {
    for (let b = 0; b < 256; b++) {
      const previous = tables[(k - 1) * 256 + b] ?? 0;
      tables[k * 256 + b] = ((previous >>> 8) ^ (tables[previous & 0xff] ?? 0)) >>> 0;
    }
  }
  return tables;
}

/**
 * CRC-32C of `bytes`. Pass the result of an earlier call as `previous` to continue a checksum
 * over data that arrives in pieces (a streamed snapshot).
 */
export function crc32c(bytes: Uint8Array, previous = 0): number {
  const t = TABLES;
  let crc = ~previous >>> 0;
  let i = 0;
  const wholeEnd = bytes.length - (bytes.length % SLICES);
  // Eight bytes per step: the eight table lookups are independent, so they pipeline.
  while (i < wholeEnd) {
    const lo = (crc ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) |
      (bytes[i + 3]! << 24))) >>> 0;
    crc =
      t[7 * 256 + (lo & 0xff)]! ^ t[6 * 256 + ((lo >>> 8) & 0xff)]! ^
      t[5 * 256 + ((lo >>> 16) & 0xff)]! ^ t[4 * 256 + (lo >>> 24)]! ^
      t[3 * 256 + bytes[i + 4]!]! ^ t[2 * 256 + bytes[i + 5]!]! ^
      t[256 + bytes[i + 6]!]! ^ t[bytes[i + 7]!]!;
    i += SLICES;
  }
  while (i < bytes.length) {
    crc = (crc >>> 8) ^ t[(crc ^ bytes[i]!) & 0xff]!;
    i++;
  }
  return ~crc >>> 0;
}
