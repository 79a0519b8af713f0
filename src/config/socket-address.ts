/**
 * Socket addresses as Neo4j settings write them: `host:port`, `host`, `:port`, `[::1]:7687`.
 * A partial address keeps the missing half as null until the defaults are known
 * (`dbms.default_listen_address`, `dbms.default_advertised_address`, the connector's port).
 */
import { InvalidSettingValue } from './config-error.js';

export interface SocketAddress {
  readonly host: string;
  readonly port: number;
}

export interface PartialAddress {
  readonly host: string | null;
  readonly port: number | null;
}

const PORT_MAX = 65_535;

export function parsePartialAddress(raw: string): PartialAddress {
  const text = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed !== null) {
    return { host: bracketed[1] ?? null, port: parsePortPart(raw, bracketed[2]) };
  }
  const colon = text.lastIndexOf(':');
  if (colon !== text.indexOf(':')) {
    throw new InvalidSettingValue(`'${raw}': write IPv6 hosts in brackets, e.g. [::1]:7687`);
  }
  const host = colon < 0 ? text : text.slice(0, colon);
  const port = colon < 0 ? undefined : text.slice(colon + 1);
  if (/[\s/]/.test(host)) {
    throw new InvalidSettingValue(`'${raw}' is not a valid socket address (host:port)`);
  }
  return { host: host === '' ? null : host, port: parsePortPart(raw, port) };
}

function parsePortPart(raw: string, port: string | undefined): number | null {
  if (port === undefined) return null;
  const value = Number(port);
  if (!/^\d+$/.test(port) || value > PORT_MAX) {
    throw new InvalidSettingValue(`'${raw}' has an invalid port (0 to ${PORT_MAX})`);
  }
  return value;
}

export function resolveAddress(
  partial: PartialAddress | null,
  defaults: SocketAddress,
): SocketAddress {
  return { host: partial?.host ?? defaults.host, port: partial?.port ?? defaults.port };
}

/** A complete address; a missing port takes `defaultPort`, a missing host is an error. */
export function parseSocketAddress(raw: string, defaultPort: number): SocketAddress {
  const partial = parsePartialAddress(raw);
  if (partial.host === null) {
    throw new InvalidSettingValue(`'${raw}' needs a host name`);
  }
  return { host: partial.host, port: partial.port ?? defaultPort };
}

export function formatAddress(address: SocketAddress): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `${host}:${address.port}`;
}
