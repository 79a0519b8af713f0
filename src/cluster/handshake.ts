/**
 * The first frame on every raft connection, in both directions: who is speaking and for which
 * cluster. A member of another cluster (a copied data directory, a wrong address) is refused
 * before a single raft message is read from it.
 */
import { asMemberId } from '../raft/types.js';
import type { MemberId } from '../raft/types.js';

export interface Hello {
  readonly clusterId: string;
  readonly memberId: MemberId;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const HELLO_MARKER = 'quiver-raft-hello';

export function encodeHello(hello: Hello): Uint8Array {
  return encoder.encode(JSON.stringify({ hello: HELLO_MARKER, ...hello }));
}

/** The hello, or why the payload is not one. */
export function decodeHello(payload: Uint8Array): Hello | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(payload));
  } catch {
    return 'handshake is not JSON';
  }
  if (typeof parsed !== 'object' || parsed === null) return 'handshake is not an object';
  const fields = parsed as Record<string, unknown>;
  if (fields['hello'] !== HELLO_MARKER) return 'first frame is not a handshake';
  const clusterId = fields['clusterId'];
  const memberId = fields['memberId'];
  if (typeof clusterId !== 'string' || clusterId.length === 0) {
    return 'handshake lacks a cluster id';
  }
  if (typeof memberId !== 'string' || memberId.length === 0) return 'handshake lacks a member id';
  return { clusterId, memberId: asMemberId(memberId) };
}
