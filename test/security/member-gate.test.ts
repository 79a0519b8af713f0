/**
 * The cluster secret on request/response ports (discovery, backup): both ends prove the secret
 * before the first request, and a stranger is told nothing.
 */
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame } from '../../src/cluster/frame-codec.js';
import { acceptGate, dialGate, type GateOutcome } from '../../src/security/member-gate.js';

const SECRET = 'correct horse battery staple';
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A gated server whose outcome for the first connection resolves `accepted`. */
async function gatedServer(secret: string, service = 'backup'):
  Promise<{ port: number; accepted: Promise<GateOutcome> }> {
  let resolve: (outcome: GateOutcome) => void = () => undefined;
  const accepted = new Promise<GateOutcome>((r) => (resolve = r));
  const server = createServer((socket) => {
    void acceptGate(socket, { secret, service }).then((outcome) => {
      resolve(outcome);
      // As the protocols do: the acceptor answers only once the dialler has asked.
      if (outcome === null) socket.once('data', (request) => socket.end(`served ${request}`));
      else socket.destroy();
    });
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as AddressInfo).port, accepted };
}

async function dial(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  return socket;
}

describe('the member gate', () => {
  it('lets two holders of the secret through, and the request follows', async () => {
    const { port, accepted } = await gatedServer(SECRET);
    const socket = await dial(port);
    expect(await dialGate(socket, { secret: SECRET, service: 'backup', name: 'quiver-admin' }))
      .toBeNull();
    expect(await accepted).toBeNull();
    socket.write('request');
    const [served] = await once(socket, 'data') as [Buffer];
    expect(served.toString()).toBe('served request');
    socket.destroy();
  });

  it('refuses a dialler with the wrong secret, naming it, and tells it nothing', async () => {
    const { port, accepted } = await gatedServer(SECRET);
    const socket = await dial(port);
    const dialled = await dialGate(socket, { secret: 'another secret entirely', service: 'backup',
      name: 'intruder' });
    expect(await accepted)
      .toEqual({ refused: true, why: 'intruder does not hold the cluster secret' });
    expect(dialled?.refused).toBe(false);
    expect(dialled?.why).toContain('did not accept our proof');
  });

  it('does not accept a proof made for another service', async () => {
    const { port, accepted } = await gatedServer(SECRET, 'backup');
    const socket = await dial(port);
    await dialGate(socket, { secret: SECRET, service: 'discovery', name: 'member-1' });
    expect((await accepted)?.why).toBe('member-1 does not hold the cluster secret');
  });

  it('refuses a client that skips the gate and sends its request at once', async () => {
    const { port, accepted } = await gatedServer(SECRET);
    const socket = await dial(port);
    socket.write(encodeFrame(Buffer.from(JSON.stringify({ database: 'neo4j' }))));
    expect(await accepted).toEqual({ refused: true, why: 'not a cluster-secret exchange' });
    socket.destroy();
  });
});
