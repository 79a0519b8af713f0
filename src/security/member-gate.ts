/**
 * The cluster secret on short request/response connections (discovery, backup): before the
 * first request, three frames prove both ends hold the secret without sending it.
 *
 *   acceptor → dialler   { gate, nonce: Na }
 *   dialler  → acceptor  { gate, nonce: Nd, name, proof: MAC(dialler, Na, Nd) }
 *   acceptor → dialler   { gate, proof: MAC(acceptor, Nd, Na) }
 *
 * The MACs are cluster-auth.ts's, with the service (discovery, backup) in the place of the
 * cluster id, so a proof made for one service is useless on another. The dialler sends its
 * request only after the acceptor proved itself, so a rogue listener learns nothing either.
 * Each side sends nothing more until the other answers, so no request bytes share a read with
 * the gate's frames.
 */
import type { Socket } from 'node:net';
import { describeFrameError, encodeFrame, FrameDecoder } from '../cluster/frame-codec.js';
import { isNonce, membershipProof, newNonce, proofMatches } from './cluster-auth.js';

const GATE = 'quiver-member-gate-v1';
const GATE_FRAME_BYTES_MAX = 4096;
const GATE_TIMEOUT_MS = 5000;
const NAME_CHARS_MAX = 200;

export interface GateOptions {
  readonly secret: string;
  /** discovery or backup: part of every proof. */
  readonly service: string;
}

/**
 * null when the gate passed. Otherwise why not: `refused` when the peer failed to prove the
 * secret or spoke something else, not when the connection merely closed or went quiet.
 */
export type GateOutcome = null | { readonly refused: boolean; readonly why: string };

const refusal = (why: string): GateOutcome => ({ refused: true, why });
const lost = (why: string): GateOutcome => ({ refused: false, why });

function send(socket: Socket, fields: Record<string, string>): void {
  socket.write(encodeFrame(Buffer.from(JSON.stringify({ gate: GATE, ...fields }), 'utf8')));
}

type Frame = { readonly frame: Record<string, unknown> } | { readonly failed: GateFailure };
type GateFailure = NonNullable<GateOutcome>;

/** The next gate frame, or why there is none. */
function nextFrame(socket: Socket): Promise<Frame> {
  const decoder = new FrameDecoder(GATE_FRAME_BYTES_MAX);
  return new Promise((resolve) => {
    const finish = (result: Frame): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      resolve(result);
    };
    const fail = (failure: GateOutcome): void => {
      if (failure !== null) finish({ failed: failure });
    };
    const onData = (chunk: Buffer): void => {
      const out = decoder.push(chunk);
      if ('error' in out) return fail(refusal(`bad frame: ${describeFrameError(out.error)}`));
      const [payload] = out.payloads;
      if (payload === undefined) return undefined;
      try {
        const parsed: unknown = JSON.parse(Buffer.from(payload).toString('utf8'));
        if (typeof parsed === 'object' && parsed !== null &&
          (parsed as Record<string, unknown>)['gate'] === GATE) {
          return finish({ frame: parsed as Record<string, unknown> });
        }
      } catch {
        // not JSON: refused below, like any other stranger
      }
      return fail(refusal('not a cluster-secret exchange'));
    };
    const onClose = (): void => fail(lost('closed during the cluster-secret exchange'));
    const timer = setTimeout(() => fail(lost('no answer to the cluster-secret challenge')),
      GATE_TIMEOUT_MS);
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}

/** The accepting side: challenge, check the dialler's proof, prove itself. */
export async function acceptGate(socket: Socket, options: GateOptions): Promise<GateOutcome> {
  const nonce = newNonce();
  send(socket, { nonce });
  const reply = await nextFrame(socket);
  if ('failed' in reply) return reply.failed;
  const { nonce: theirs, name, proof } = reply.frame;
  if (!isNonce(theirs) || typeof name !== 'string' || name.length > NAME_CHARS_MAX) {
    return refusal('malformed answer to the cluster-secret challenge');
  }
  const ok = proofMatches(options.secret, { role: 'dialler', challenge: nonce, ownNonce: theirs,
    clusterId: options.service, memberId: name }, proof);
  if (!ok) return refusal(`${name} does not hold the cluster secret`);
  send(socket, { proof: membershipProof(options.secret, { role: 'acceptor', challenge: theirs,
    ownNonce: nonce, clusterId: options.service, memberId: 'acceptor' }) });
  return null;
}

/** The dialling side, naming itself `name`: answer the challenge, check the acceptor's proof. */
export async function dialGate(socket: Socket, options: GateOptions & { name: string }):
  Promise<GateOutcome> {
  const challenge = await nextFrame(socket);
  if ('failed' in challenge) return challenge.failed;
  const theirs = challenge.frame['nonce'];
  if (!isNonce(theirs)) return refusal('the peer sent no cluster-secret challenge');
  const nonce = newNonce();
  send(socket, { nonce, name: options.name, proof: membershipProof(options.secret,
    { role: 'dialler', challenge: theirs, ownNonce: nonce, clusterId: options.service,
      memberId: options.name }) });
  const answer = await nextFrame(socket);
  // An acceptor closes on a proof it does not accept: our secret is not its secret.
  if ('failed' in answer) {
    return answer.failed.refused ? answer.failed
      : lost(`the peer did not accept our proof: ${answer.failed.why}`);
  }
  const ok = proofMatches(options.secret, { role: 'acceptor', challenge: nonce, ownNonce: theirs,
    clusterId: options.service, memberId: 'acceptor' }, answer.frame['proof']);
  return ok ? null : refusal('the peer does not hold the cluster secret');
}
