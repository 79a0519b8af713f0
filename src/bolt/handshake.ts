import { compareVersions, type BoltVersion } from './bolt-version.js';

export const BOLT_MAGIC = 0x6060b017;
/** Proposal `00 00 01 FF`: "I can do handshake manifest v1". */
export const MANIFEST_V1 = 0x000001ff;
export const HANDSHAKE_BYTES = 20;
const VARINT_BYTES_MAX = 10;

export type HandshakeStep =
  | { readonly kind: 'need-more' }
  | { readonly kind: 'http' }
  | { readonly kind: 'not-bolt' }
  | { readonly kind: 'agreed'; readonly version: BoltVersion; readonly reply: Uint8Array }
  | { readonly kind: 'manifest'; readonly reply: Uint8Array }
  | { readonly kind: 'no-match'; readonly reply: Uint8Array };

const HTTP_METHODS = ['GET ', 'POST', 'HEAD', 'PUT ', 'OPTI', 'DELE', 'PATC', 'CONN', 'TRAC'];

/**
 * Reads the client's opening (magic + four proposals) and picks the first proposal, in client
 * order, that we can satisfy: the manifest if offered there, else the highest supported
 * version inside that proposal's range. Pure: the caller writes the reply.
 */
export function readHandshake(bytes: Uint8Array, supported: readonly BoltVersion[]): HandshakeStep {
  if (bytes.byteLength < 4) return { kind: 'need-more' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== BOLT_MAGIC) {
    const head = String.fromCharCode(...bytes.subarray(0, 4));
    return HTTP_METHODS.includes(head) ? { kind: 'http' } : { kind: 'not-bolt' };
  }
  if (bytes.byteLength < HANDSHAKE_BYTES) return { kind: 'need-more' };
  for (let slot = 0; slot < 4; slot++) {
    const proposal = view.getUint32(4 + slot * 4);
    if (proposal === 0) continue;
    if (proposal === MANIFEST_V1) return { kind: 'manifest', reply: manifestOffer(supported) };
    const chosen = bestInProposal(proposal, supported);
    if (chosen !== null) return { kind: 'agreed', version: chosen, reply: encodeVersion(chosen) };
  }
  return { kind: 'no-match', reply: new Uint8Array(4) };
}

/** Decodes `00 range minor major` and returns the highest supported version it covers. */
function bestInProposal(proposal: number, supported: readonly BoltVersion[]): BoltVersion | null {
  const major = proposal & 0xff;
  const minor = (proposal >>> 8) & 0xff;
  const range = (proposal >>> 16) & 0xff;
  let best: BoltVersion | null = null;
  for (const version of supported) {
    if (version.major !== major) continue;
    if (version.minor > minor || version.minor < minor - range) continue;
    if (best === null || compareVersions(version, best) > 0) best = version;
  }
  return best;
}

export function encodeVersion(version: BoltVersion): Uint8Array {
  return Uint8Array.of(0, 0, version.minor, version.major);
}

/**
 * The server half of manifest v1: the marker, a VarInt count, one `00 range minor major` entry
 * per run of consecutive minors, and a VarInt capability mask (none defined: 0). Sent in one
 * write because drivers parse it from the same receive buffer as the marker.
 */
export function manifestOffer(supported: readonly BoltVersion[]): Uint8Array {
  const sorted = [...supported].sort((a, b) => compareVersions(b, a));
  const entries: number[][] = [];
  let top: BoltVersion | null = null;
  let bottom: BoltVersion | null = null;
  const close = (): void => {
    if (top !== null && bottom !== null) {
      entries.push([0, top.minor - bottom.minor, top.minor, top.major]);
    }
  };
  for (const version of sorted) {
    const extends_ = bottom !== null && top !== null && version.major === bottom.major &&
      version.minor === bottom.minor - 1 && top.minor - version.minor <= 0xff;
    if (extends_) {
      bottom = version;
      continue;
    }
    close();
    top = version;
    bottom = version;
  }
  close();
  return Uint8Array.of(0, 0, 1, 0xff, ...encodeVarInt(entries.length), ...entries.flat(), 0);
}

export type ManifestChoice =
  | { readonly kind: 'need-more' }
  | { readonly kind: 'agreed'; readonly version: BoltVersion; readonly consumed: number }
  | { readonly kind: 'refused' };

/** Reads the client's pick after a manifest offer: `00 00 minor major` then a VarInt. */
export function readManifestChoice(
  bytes: Uint8Array,
  supported: readonly BoltVersion[],
): ManifestChoice {
  if (bytes.byteLength < 5) return { kind: 'need-more' };
  let consumed = 4;
  for (;;) {
    if (consumed - 4 >= VARINT_BYTES_MAX) return { kind: 'refused' };
    const byte = bytes[consumed];
    if (byte === undefined) return { kind: 'need-more' };
    consumed += 1;
    if ((byte & 0x80) === 0) break;
  }
  const major = bytes[3] ?? 0;
  const minor = bytes[2] ?? 0;
  const version = supported.find((v) => v.major === major && v.minor === minor);
  return version === undefined ? { kind: 'refused' } : { kind: 'agreed', version, consumed };
}

export function encodeVarInt(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    const low = rest & 0x7f;
    rest = Math.floor(rest / 128);
    out.push(rest > 0 ? low | 0x80 : low);
  } while (rest > 0);
  return out;
}
