/**
 * Address handling and connection as cypher-shell does it: `[scheme://][user:pass@][host][:port]`
 * with `neo4j://` and port 7687 as defaults, and a retry over `bolt://` when a `neo4j://`
 * address cannot route (a standalone server without routing, say).
 */
import neo4j, { type Driver } from 'neo4j-driver';

export interface ShellAddress {
  readonly uri: string;
  readonly username: string | null;
  readonly password: string | null;
}

export class AddressError extends Error {
  override name = 'AddressError';
}

export function parseShellAddress(address: string): ShellAddress {
  const match = /^(?:([a-z0-9+]+):\/\/)?(?:([^:@/]*)(?::([^@/]*))?@)?([^:/?]*)(?::(\d+))?\/?$/i
    .exec(address.trim());
  if (match === null) {
    throw new AddressError(`Failed to parse address: '${address}'\n` +
      'Address should be of the form: [scheme://][username:password@][host][:port]');
  }
  const [, scheme = 'neo4j', user, pass, host, port = '7687'] = match;
  return {
    uri: `${scheme}://${host === undefined || host === '' ? 'localhost' : host}:${port}`,
    username: user === undefined || user === '' ? null : decodeURIComponent(user),
    password: pass === undefined ? null : decodeURIComponent(pass),
  };
}

export interface Connection {
  readonly driver: Driver;
  readonly uri: string;
  readonly protocolVersion: string;
}

function isServiceUnavailable(thrown: unknown): boolean {
  return (thrown as { code?: unknown }).code === 'ServiceUnavailable';
}

async function tryConnect(uri: string, username: string, password: string): Promise<Connection> {
  const driver = neo4j.driver(uri, neo4j.auth.basic(username, password),
    { userAgent: 'quiver-shell/0', maxConnectionPoolSize: 4 });
  try {
    const info = await driver.getServerInfo();
    return { driver, uri, protocolVersion: String(info.protocolVersion ?? '') };
  } catch (thrown) {
    await driver.close();
    throw thrown;
  }
}

export async function connect(args: { uri: string; username: string; password: string }):
  Promise<Connection> {
  try {
    return await tryConnect(args.uri, args.username, args.password);
  } catch (thrown) {
    const routing = /^neo4j(\+s|\+ssc)?:\/\//.exec(args.uri);
    if (routing === null || !isServiceUnavailable(thrown)) throw thrown;
    return tryConnect(args.uri.replace(/^neo4j/, 'bolt'), args.username, args.password);
  }
}
