/**
 * Members prove they hold the cluster secret (dbms.cluster.secret) without sending it: each side
 * of a connection sends a fresh random nonce, and each answers with an HMAC-SHA256, keyed by the
 * secret, over both nonces, its role on the connection and the cluster and member ids it
 * claims. A recorded proof is useless on another connection (the nonces differ) and cannot be
 * reflected back (the role is inside the MAC).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { assert } from '../assert.js';

export const NONCE_BYTES = 32;
const NONCE_PATTERN = /^[0-9a-f]{64}$/;
const PROOF_PATTERN = /^[0-9a-f]{64}$/;

/** Which end of the connection is proving: the one that dialled, or the one that accepted. */
export type ProofRole = 'dialler' | 'acceptor';

export interface ProofInput {
  readonly role: ProofRole;
  /** The nonce the prover received from the verifier: the challenge it answers. */
  readonly challenge: string;
  /** The prover's own nonce. */
  readonly ownNonce: string;
  readonly clusterId: string;
  readonly memberId: string;
}

export function newNonce(): string {
  return randomBytes(NONCE_BYTES).toString('hex');
}

export function isNonce(value: unknown): value is string {
  return typeof value === 'string' && NONCE_PATTERN.test(value);
}

export function membershipProof(secret: string, input: ProofInput): string {
  assert(secret.length > 0, 'a membership proof needs a secret');
  assert(isNonce(input.challenge), 'a challenge is a nonce');
  const mac = createHmac('sha256', secret);
  // Length-prefixed fields, so no two different inputs produce the same MAC input.
  for (const field of ['quiver-member-proof-v1', input.role, input.challenge, input.ownNonce,
    input.clusterId, input.memberId]) {
    mac.update(`${field.length}:${field};`);
  }
  return mac.digest('hex');
}

/** Constant-time comparison of a proof received from the wire with the one expected. */
export function proofMatches(secret: string, input: ProofInput, received: unknown): boolean {
  if (typeof received !== 'string' || !PROOF_PATTERN.test(received)) return false;
  const expected = Buffer.from(membershipProof(secret, input), 'hex');
  return timingSafeEqual(expected, Buffer.from(received, 'hex'));
}
