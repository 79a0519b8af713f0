/**
 * The cluster secret on the raft port: members holding it exchange raft messages; a process
 * with the wrong secret, or none, or one that skips the proof, gets no message through in
 * either direction, and every refusal is logged with the peer's address.
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame } from '../../src/cluster/frame-codec.js';
import { encodeHello } from '../../src/cluster/handshake.js';
import { encodeRaftMessage } from '../../src/cluster/raft-message-codec.js';
import { realTimers } from '../../src/cluster/timers.js';
import { RaftTransport, TRANSPORT_DEFAULTS } from '../../src/cluster/transport.js';
import { asLogIndex, asMemberId, asTerm, type Message } from '../../src/raft/types.js';
import {
  membershipProof, newNonce, proofMatches, type ProofInput,
} from '../../src/security/cluster-auth.js';

const SECRET = 'correct horse battery staple';
const CLUSTER = 'cluster-1';

interface Node {
  readonly transport: RaftTransport;
  readonly port: number;
  readonly received: Message[];
  readonly warnings: string[];
  /** Resolves at the next warning whose text matches. */
  warned(pattern: RegExp): Promise<string>;
  delivered(): Promise<Message>;
}

const open: RaftTransport[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

async function node(id: string, secret: string | null): Promise<Node> {
  const received: Message[] = [];
  const warnings: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  let onDelivered: ((m: Message) => void) | null = null;
  const transport = new RaftTransport({
    ...TRANSPORT_DEFAULTS, clusterId: CLUSTER, memberId: asMemberId(id),
    listen: { host: '127.0.0.1', port: 0 }, timers: realTimers, clusterSecret: secret,
    logger: { info: () => undefined, warn: (line) => {
      warnings.push(line);
      for (const w of waiters.filter((x) => x.pattern.test(line))) w.resolve(line);
    } },
    onMessage: (m) => {
      received.push(m);
      onDelivered?.(m);
    },
    onUnreachable: () => undefined,
  });
  open.push(transport);
  const { port } = await transport.start();
  return {
    transport, port, received, warnings,
    warned: (pattern) => new Promise((resolve) => waiters.push({ pattern, resolve })),
    delivered: () => new Promise((resolve) => { onDelivered = resolve; }),
  };
}

function vote(from: string, to: string): Message {
  return { type: 'Vote', from: asMemberId(from), to: asMemberId(to), term: asTerm(3),
    lastIndex: asLogIndex(9), lastTerm: asTerm(2), transfer: false };
}

describe('membership proofs', () => {
  const input: ProofInput = { role: 'dialler', challenge: newNonce(), ownNonce: newNonce(),
    clusterId: CLUSTER, memberId: 'a' };

  it('accept the right secret and refuse another secret, role or challenge', () => {
    const proof = membershipProof(SECRET, input);
    expect(proofMatches(SECRET, input, proof)).toBe(true);
    expect(proofMatches('another secret entirely', input, proof)).toBe(false);
    expect(proofMatches(SECRET, { ...input, role: 'acceptor' }, proof)).toBe(false);
    expect(proofMatches(SECRET, { ...input, challenge: newNonce() }, proof)).toBe(false);
    expect(proofMatches(SECRET, input, 'not hex')).toBe(false);
  });

  it('never contain the secret', () => {
    expect(membershipProof(SECRET, input)).not.toContain(Buffer.from(SECRET).toString('hex'));
  });
});

describe('raft connections with a cluster secret', () => {
  it('carry messages between members that hold the secret', async () => {
    const b = await node('b', SECRET);
    const a = await node('a', SECRET);
    const delivered = b.delivered();
    a.transport.setPeer(asMemberId('b'), { host: '127.0.0.1', port: b.port });
    expect(a.transport.send(vote('a', 'b'))).toBe('queued');
    expect(await delivered).toEqual(vote('a', 'b'));
    expect(b.warnings).toEqual([]);
  });

  it('refuse a process with the wrong secret, on both sides, and deliver nothing', async () => {
    const b = await node('b', SECRET);
    const intruder = await node('x', 'a wrong secret of some length');
    const dialled = intruder.warned(/raft link to b at 127\.0\.0\.1:\d+ refused: peer does not/);
    const accepted = b.warned(/raft connection from 127\.0\.0\.1:\d+ refused: member x/);
    intruder.transport.setPeer(asMemberId('b'), { host: '127.0.0.1', port: b.port });
    intruder.transport.send(vote('x', 'b'));
    await Promise.all([dialled, accepted]);
    expect(b.received).toEqual([]);
  });

  it('refuse a process without a secret', async () => {
    const b = await node('b', SECRET);
    const plain = await node('p', null);
    const refused = b.warned(/from 127\.0\.0\.1:\d+ refused: member p sent no challenge/);
    plain.transport.setPeer(asMemberId('b'), { host: '127.0.0.1', port: b.port });
    plain.transport.send(vote('p', 'b'));
    await refused;
    expect(b.received).toEqual([]);
  });

  it('send nothing to a listener that cannot prove the secret', async () => {
    const plain = await node('b', null);
    const a = await node('a', SECRET);
    const refused = a.warned(/raft link to b at .* refused: peer sent no challenge/);
    a.transport.setPeer(asMemberId('b'), { host: '127.0.0.1', port: plain.port });
    a.transport.send(vote('a', 'b'));
    await refused;
    expect(plain.received).toEqual([]);
  });

  it('refuse a raw client that sends an append instead of the proof', async () => {
    const b = await node('b', SECRET);
    const refused = b.warned(/refused: member m does not hold the cluster secret/);
    const socket = connect({ host: '127.0.0.1', port: b.port });
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(encodeFrame(encodeHello({ clusterId: CLUSTER, memberId: asMemberId('m'),
      nonce: newNonce() })));
    socket.write(encodeFrame(encodeRaftMessage({ type: 'Append', from: asMemberId('m'),
      to: asMemberId('b'), term: asTerm(99), prevIndex: asLogIndex(0), prevTerm: asTerm(0),
      commit: asLogIndex(0), entries: [] })));
    await refused;
    socket.destroy();
    expect(b.received).toEqual([]);
  });
});
