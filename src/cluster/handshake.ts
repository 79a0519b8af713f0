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
  /** With a cluster secret: this side's challenge (src/security/cluster-auth.ts). */
  readonly nonce?: string;
  /** With a cluster secret, on the acceptor's hello: its answer to the dialler's nonce. */
  readonly proof?: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const HELLO_MARKER = 'quiver-raft-hello';
const PROOF_MARKER = 'quiver-raft-proof';

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
  const hello: { -readonly [K in keyof Hello]: Hello[K] } = {
    clusterId, memberId: asMemberId(memberId),
  };
  if (typeof fields['nonce'] === 'string') hello.nonce = fields['nonce'];
  if (typeof fields['proof'] === 'string') hello.proof = fields['proof'];
  return hello;
}

/** The dialler's answer to the acceptor's challenge, the frame after the hellos. */
export function encodeProof(proof: string): Uint8Array {
  return encoder.encode(JSON.stringify({ hello: PROOF_MARKER, proof }));
}

/** The proof, or null when the payload is not a proof frame. */
export function decodeProof(payload: Uint8Array): string | null {
  try {
    const parsed: unknown = JSON.parse(decoder.decode(payload));
    if (typeof parsed !== 'object' || parsed === null) return null;
    const fields = parsed as Record<string, unknown>;
    const proof = fields['proof'];
    return fields['hello'] === PROOF_MARKER && typeof proof === 'string' ? proof : null;
  } catch {
    return null;
  }
}
