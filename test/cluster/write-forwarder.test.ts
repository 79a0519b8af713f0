/**
 * Server-side routing towards a leader that stopped answering (SIGSTOP): the TCP connection is
 * accepted by the kernel, but no Bolt byte ever comes back. The forwarded write must fail with
 * a transient error that drivers retry, within the forwarder's deadline, instead of hanging.
 */
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WriteForwarder } from '../../src/server/write-forwarder.js';

const TIMEOUT_MS = 300;
/** Generous: the bound only has to show that the write did not hang. */
const FAILS_WITHIN_MS = 5_000;

describe('forwarding a write to a paused leader', () => {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  let port = 0;
  const forwarder = new WriteForwarder(TIMEOUT_MS);

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await forwarder.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('fails with a transient error instead of hanging', async () => {
    forwarder.remember('client-1', { principal: 'neo4j', credentials: 'secret' });
    const started = Date.now();
    const outcome = await forwarder.begin({ leaderBolt: `127.0.0.1:${port}`, peer: 'client-1',
      database: 'neo4j', bookmarks: [] }).then(() => null, (e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(FAILS_WITHIN_MS);
    expect(sockets.length).toBeGreaterThan(0);
    expect((outcome as { code?: string } | null)?.code).toMatch(/^Neo\.TransientError\./);
  });
});
