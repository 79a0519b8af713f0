/**
 * The order of text values: by Unicode code point, as Neo4j compares strings, not by JS's UTF-16
 * code units (which put U+10000 and above before U+E000). Indexes (ordered-index.ts) and Cypher
 * (ORDER BY, comparisons) must agree on it, so it lives once, here.
 */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i) ?? 0;
    const cb = b.codePointAt(i) ?? 0;
    if (ca !== cb) return ca < cb ? -1 : 1;
    if (ca > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}
