/**
 * "Peer down" from the raft transport, over real sockets: an open link to a peer that closes,
 * after which the peer's raft port refuses the reconnect, is reported once; a peer that never
 * answered, or that still listens, is not reported; a peer that comes back and dies again is
 * reported again.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RaftTransport, TRANSPORT_DEFAULTS } from '../../src/cluster/transport.js';
import { realTimers } from '../../src/cluster/timers.js';
import type { Timers } from '../../src/cluster/timers.js';
import { asLogIndex, asMemberId, asTerm } from '../../src/raft/types.js';
import type { MemberId, Message } from '../../src/raft/types.js';
import { waitUntil } from '../helpers/wait-until.js';

const quietLogger = { info: () => undefined, warn: () => undefined };
const [A, B] = [asMemberId('a'), asMemberId('b')];
/** Reconnect attempts to watch after a report, to see that it is not repeated. */
const ATTEMPTS_AFTER_REPORT = 4;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});


function heartbeat(): Message {
  return { type: 'Heartbeat', from: A, to: B, term: asTerm(1), commit: asLogIndex(0),
    leaderCommit: asLogIndex(0), ctx: null };
}

/** The sending side: its reconnects are counted (one per closed connection), its reports kept. */
interface Sender {
  readonly transport: RaftTransport;
  readonly reports: MemberId[];
  reconnects(): number;
}

function sender(): Sender {
  const reports: MemberId[] = [];
  let reconnects = 0;
  const timers: Timers = {
    after(delayMs, callback) {
      reconnects += 1;
      return realTimers.after(delayMs, callback);
    },
  };
  const transport = new RaftTransport({ ...TRANSPORT_DEFAULTS, reconnectDelayMsMin: 5,
    reconnectDelayMsMax: 20, clusterId: 'c', memberId: A,
    listen: { host: '127.0.0.1', port: 0 }, timers, logger: quietLogger,
    onMessage: () => undefined, onUnreachable: () => undefined,
    onPeerDown: (peer) => reports.push(peer) });
  closers.push(() => transport.close());
  return { transport, reports, reconnects: () => reconnects };
}

/** A live peer: a real transport listening on `port` (0: any), counting what it receives. */
async function livePeer(port = 0): Promise<{ port: number; received(): number;
  stop(): Promise<void> }> {
  let received = 0;
  const transport = new RaftTransport({ ...TRANSPORT_DEFAULTS, clusterId: 'c', memberId: B,
    listen: { host: '127.0.0.1', port }, timers: realTimers, logger: quietLogger,
    onMessage: () => { received += 1; }, onUnreachable: () => undefined });
  const address = await transport.start();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await transport.close();
  };
  closers.push(stop);
  return { port: address.port, received: () => received, stop };
}

/** Sends until the peer has received something: the link is open. */
async function linkOpens(from: Sender, peer: { received(): number }): Promise<void> {
  const before = peer.received();
  await waitUntil('the link to open', () => {
    from.transport.send(heartbeat());
    return peer.received() > before;
  });
}

/** A port on which nothing listens (it did a moment ago, so it is free). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

describe('peer down on the raft transport', () => {
  it('reports a peer once when its open link closes and its port refuses', async () => {
    const a = sender();
    const b = await livePeer();
    a.transport.setPeer(B, { host: '127.0.0.1', port: b.port });
    await linkOpens(a, b);
    expect(a.reports).toEqual([]);
    await b.stop();
    await waitUntil('the report', () => a.reports.length > 0);
    const reconnectsAtReport = a.reconnects();
    await waitUntil('more refused reconnects',
      () => a.reconnects() >= reconnectsAtReport + ATTEMPTS_AFTER_REPORT);
    expect(a.reports).toEqual([B]);
  });

  it('does not report a peer whose link never opened', async () => {
    const a = sender();
    a.transport.setPeer(B, { host: '127.0.0.1', port: await deadPort() });
    await waitUntil('refused connects', () => a.reconnects() >= ATTEMPTS_AFTER_REPORT + 1);
    expect(a.reports).toEqual([]);
  });

  it('reports a peer again once it came back, the link opened, and it died again', async () => {
    const a = sender();
    const first = await livePeer();
    a.transport.setPeer(B, { host: '127.0.0.1', port: first.port });
    await linkOpens(a, first);
    await first.stop();
    await waitUntil('the first report', () => a.reports.length === 1);
    const second = await livePeer(first.port);
    await linkOpens(a, second);
    expect(a.reports).toEqual([B]);
    await second.stop();
    await waitUntil('the second report', () => a.reports.length === 2);
    expect(a.reports).toEqual([B, B]);
  });

  it('does not report a peer that dropped the connection but still listens', async () => {
    const a = sender();
    const b = await livePeer();
    a.transport.setPeer(B, { host: '127.0.0.1', port: b.port });
    await linkOpens(a, b);
    // Moving the link to the same peer's other address (here: the same port by another name)
    // drops the open connection; the reconnect is accepted, not refused.
    a.transport.setPeer(B, { host: 'localhost', port: b.port });
    await waitUntil('the reconnect', () => a.reconnects() === 1);
    await linkOpens(a, b);
    expect(a.reports).toEqual([]);
  });
});
