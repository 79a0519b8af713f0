/**
 * Hostile bytes at the real server's Bolt port: random, truncated and oversized input gets a
 * FAILURE or a closed connection, never a crash, and a fresh driver is served afterwards.
 * The byte sequences come from a seeded generator; QUIVER_SEED replays a failing run.
 */
import neo4j from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { V5X4 } from '../../src/bolt/versions/v5.js';
import { connectRaw } from '../bolt/live.js';
import { handshakeFor, RawClient } from '../bolt/raw-client.js';
import { frame, msg, pack, WireStruct } from '../bolt/wire.js';
import { useQuiverServer } from '../helpers/server-fixture.js';
import { Prng } from '../sim/prng.js';

const SEED = Number(process.env.QUIVER_SEED ?? 7_687);
const fixture = useQuiverServer();
/** The server's default boltMessageBytesMax is 16 MiB. */
const OVERSIZED_BYTES = 17 * 1024 * 1024;

/** RUN, BEGIN, PULL, DISCARD, ROUTE, HELLO, LOGON, TELEMETRY. */
const REQUEST_SIGNATURES = [0x10, 0x11, 0x3f, 0x2f, 0x66, 0x01, 0x6a, 0x54] as const;

function randomBytes(prng: Prng, count: number): number[] {
  return Array.from({ length: count }, () => prng.int(256));
}

/** Random bytes; half of them start like a request (struct marker, known signature). */
function randomRequest(prng: Prng): number[] {
  const head = prng.chance(0.5) ? [0xb0 + prng.int(4), prng.pick(REQUEST_SIGNATURES)] : [];
  return [...head, ...randomBytes(prng, prng.int(96))];
}

/** Handshake for Bolt 5.4, HELLO and LOGON with the server's password. */
async function loggedIn(): Promise<RawClient> {
  const { server } = fixture();
  const client = await connectRaw(server.boltPort, V5X4);
  client.send([...msg.hello({ user_agent: 'quiver-test/1' }),
    ...msg.logon({ scheme: 'basic', principal: 'neo4j', credentials: server.password })]);
  expect((await client.next()).type).toBe('SUCCESS');
  expect((await client.next()).type).toBe('SUCCESS');
  return client;
}

/** A new driver (new connections) still gets answers: the server survived. */
async function stillServes(): Promise<void> {
  const { server, auth } = fixture();
  const driver = neo4j.driver(server.boltUrl, auth);
  try {
    const { records } = await driver.executeQuery('RETURN 1 AS n');
    expect(records[0]?.get('n')).toEqual(neo4j.int(1));
  } finally {
    await driver.close();
  }
}

/** The next response is a FAILURE, or the server closed the connection. */
async function failureOrClose(client: RawClient): Promise<void> {
  const response = await client.next().catch(() => null);
  if (response !== null) expect(response.type).toBe('FAILURE');
}

/** One big message as the wire carries it, built as a Buffer (a number[] would be huge). */
function oversizedRun(totalBytes: number): Buffer {
  const header = Buffer.from([0xb3, 0x10, 0xd2, ...Buffer.from(
    Uint32Array.of(totalBytes).buffer).reverse()]);
  const body = Buffer.concat([header, Buffer.alloc(totalBytes, 0x78)]);
  const chunks: Buffer[] = [];
  for (let at = 0; at < body.length; at += 0xffff) {
    const chunk = body.subarray(at, at + 0xffff);
    chunks.push(Buffer.from([chunk.length >> 8, chunk.length & 0xff]), chunk);
  }
  chunks.push(Buffer.from([0, 0]));
  return Buffer.concat(chunks);
}

describe(`random and truncated input (QUIVER_SEED=${SEED})`, () => {
  it('closes connections that open with random bytes instead of a handshake', async () => {
    const prng = new Prng(SEED);
    for (let i = 0; i < 30; i++) {
      const client = await RawClient.open(fixture().server.boltPort);
      client.send(randomBytes(prng, 1 + prng.int(64)));
      client.send(new Array(20).fill(0));
      await client.waitClosed();
    }
    await stillServes();
  });

  it('answers random framed messages before login with FAILURE or a close', async () => {
    const prng = new Prng(SEED + 1);
    for (let i = 0; i < 40; i++) {
      // HELLO without LOGON: what any unauthenticated peer can reach, and cheap (no password).
      const client = await connectRaw(fixture().server.boltPort, V5X4);
      client.send(msg.hello({ user_agent: 'quiver-test/1' }));
      expect((await client.next()).type).toBe('SUCCESS');
      client.send(frame(randomRequest(prng)));
      await failureOrClose(client);
      client.close();
    }
    await stillServes();
  });

  it('answers random framed messages after login with FAILURE or a close', async () => {
    const prng = new Prng(SEED + 2);
    let client = await loggedIn();
    try {
      for (let i = 0; i < 15; i++) {
        client.send(frame(randomRequest(prng)));
        const response = await client.next().catch(() => null);
        // A random body may by chance decode as a harmless request; anything else must fail.
        if (response !== null) expect(['FAILURE', 'SUCCESS', 'IGNORED']).toContain(response.type);
        client.send(msg.reset());
        const reset = response === null ? null : await client.next().catch(() => null);
        // Malformed requests may close the connection; logging in again costs a password check.
        if (reset?.type !== 'SUCCESS') {
          client.close();
          client = await loggedIn();
        }
      }
    } finally {
      client.close();
    }
    await stillServes();
  });

  it('answers every truncation of a RUN message with InvalidFormat, and RESET recovers',
    async () => {
      const run = pack(new WireStruct(0x10, ['RETURN $x AS x', { x: 'a parameter value' }, {}]));
      const client = await loggedIn();
      try {
        // From byte 2 on the signature is known, so the connection can answer and carry on.
        for (let cut = 2; cut < run.length; cut += 3) {
          client.send(frame(run.slice(0, cut)));
          const failure = await client.next();
          expect(failure.meta.get('code')).toBe('Neo.ClientError.Request.InvalidFormat');
          client.send(msg.reset());
          expect((await client.next()).type).toBe('SUCCESS');
        }
        client.send([...msg.run('RETURN 3 AS n'), ...msg.pull(-1n)]);
        expect((await client.next()).type).toBe('SUCCESS');
        expect((await client.summary()).records).toEqual([[3n]]);
      } finally {
        client.close();
      }
    });

  it('answers a message without a signature with FAILURE or a close', async () => {
    const client = await loggedIn();
    try {
      client.send(frame([0xb3]));
      await failureOrClose(client);
    } finally {
      client.close();
    }
    await stillServes();
  });

});

describe('input beyond the limits', () => {
  it('refuses sizes that claim more bytes than the message holds', async () => {
    const client = await loggedIn();
    try {
      // A RUN whose query is a string header claiming 2^31 bytes, then a list claiming 2^31 items.
      client.send(frame([0xb3, 0x10, 0xd2, 0x80, 0, 0, 0, 0x41]));
      await failureOrClose(client);
      client.send(msg.reset());
      expect((await client.next()).type).toBe('SUCCESS');
      client.send(frame([0xb3, 0x10, 0x81, 0x41, 0xd6, 0x7f, 0xff, 0xff, 0xff, 0xa0]));
      await failureOrClose(client);
    } finally {
      client.close();
    }
    await stillServes();
  });

  it('refuses a message larger than the limit and keeps other connections working', async () => {
    const bystander = await loggedIn();
    const client = await loggedIn();
    try {
      client.send(oversizedRun(OVERSIZED_BYTES));
      await failureOrClose(client);
      await client.waitClosed();
      bystander.send([...msg.run('RETURN 4 AS n'), ...msg.pull(-1n)]);
      expect((await bystander.next()).type).toBe('SUCCESS');
      expect((await bystander.summary()).records).toEqual([[4n]]);
    } finally {
      client.close();
      bystander.close();
    }
    await stillServes();
  });

  it('refuses parameters nested deeper than the limit', async () => {
    const client = await loggedIn();
    try {
      let deep: number[] = [0x01];
      for (let i = 0; i < 200; i++) deep = [0x91, ...deep];
      client.send(frame([0xb3, 0x10, ...pack('RETURN $x AS x'), 0xa1, ...pack('x'), ...deep,
        0xa0]));
      await failureOrClose(client);
    } finally {
      client.close();
    }
    await stillServes();
  });

  it('closes a connection whose handshake never ends', async () => {
    const client = await RawClient.open(fixture().server.boltPort);
    client.send(Buffer.from(`GET / HTTP/1.1\r\nX: ${'y'.repeat(64 * 1024)}`));
    await client.waitClosed();
    const proper = await RawClient.open(fixture().server.boltPort);
    proper.send(handshakeFor(5, 4));
    expect(await proper.readBytes(4)).toEqual([0, 0, 4, 5]);
    proper.close();
    await stillServes();
  });
});
