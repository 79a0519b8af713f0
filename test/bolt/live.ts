/** Starting a server on the fake backend and opening authenticated raw sessions against it. */
import { expect } from 'vitest';
import { startBoltServer, type BoltServer } from '../../src/bolt/server.js';
import type { BoltLimits } from '../../src/bolt/limits.js';
import { Signature } from '../../src/bolt/messages.js';
import type { VersionTable } from '../../src/bolt/versions/version-table.js';
import { FakeBackend } from './fake-backend.js';
import { handshakeFor, RawClient, type Response } from './raw-client.js';
import { msg } from './wire.js';

export interface Live {
  readonly server: BoltServer;
  readonly backend: FakeBackend;
}

export async function startLive(limits?: Partial<BoltLimits>): Promise<Live> {
  const backend = new FakeBackend();
  const server = await startBoltServer({
    host: '127.0.0.1', port: 0, backend, hints: { telemetry: true },
    ...(limits === undefined ? {} : { limits }),
  });
  backend.selfAddress = `127.0.0.1:${server.port}`;
  return { server, backend };
}

export const BASIC_AUTH = { scheme: 'basic', principal: 'neo4j', credentials: 'secret' };

export function hasLogon(table: VersionTable): boolean {
  return table.requests.has(Signature.Logon);
}

/** Handshake for exactly this version, no HELLO yet. */
export async function connectRaw(port: number, table: VersionTable): Promise<RawClient> {
  const client = await RawClient.open(port);
  const { major, minor } = table.version;
  client.send(handshakeFor(major, minor));
  expect(await client.readBytes(4)).toEqual([0, 0, minor, major]);
  client.startMessages(table.features.dateTime === 'utc');
  return client;
}

/** Handshake, HELLO and (5.1+) LOGON; returns the client and the HELLO SUCCESS. */
export async function openSession(
  port: number,
  table: VersionTable,
  helloExtra: Record<string, string | string[]> = {},
): Promise<{ client: RawClient; hello: Response }> {
  const client = await connectRaw(port, table);
  const logon = hasLogon(table);
  client.send(msg.hello({ user_agent: 'quiver-test/1', ...(logon ? {} : BASIC_AUTH),
    ...helloExtra }));
  const hello = await client.next();
  expect(hello.type).toBe('SUCCESS');
  if (logon) {
    client.send(msg.logon(BASIC_AUTH));
    expect((await client.next()).type).toBe('SUCCESS');
  }
  return { client, hello };
}

/** PULL for every version: PULL_ALL before 4.0. */
export function pullAll(table: VersionTable): number[] {
  return table.features.streamIds ? msg.pull(-1n) : msg.pullAll();
}
