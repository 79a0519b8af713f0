/**
 * How members (and `quiver-admin backup`) open connections to each other: plain TCP, or mutual
 * TLS under an SSL policy (dbms.ssl.policy.cluster.* for raft and discovery,
 * dbms.ssl.policy.backup.* for backups). With TLS each end must present a certificate that
 * chains to a CA in the policy's trusted directory. Every refusal, at either end, goes to the
 * security log with the peer's address.
 */
import { isIP } from 'node:net';
import {
  connect as netConnect, createServer as netCreateServer, type Server, type Socket,
} from 'node:net';
import {
  connect as tlsConnect, createServer as tlsCreateServer, type ConnectionOptions,
} from 'node:tls';
import type { SslPolicyConfig } from '../config/quiver-config.js';
import { ReloadableTlsContext } from './tls-context.js';

export interface ChannelAddress {
  readonly host: string;
  readonly port: number;
}

export interface MemberChannel {
  /** The event a dialled socket emits once it may be used: after the TLS handshake with TLS. */
  readonly readyEvent: 'connect' | 'secureConnect';
  /** A listening server (not yet bound) whose handler gets only authenticated sockets. */
  createServer(service: string, onSocket: (socket: Socket) => void): Server;
  /** Opens a connection; writes made before the TLS handshake ends are held until it does. */
  connect(service: string, address: ChannelAddress): Socket;
  /** Logs a refused peer once per service, peer and reason (bounded), in the security log. */
  refused(service: string, peer: string, why: string): void;
}

/** Distinct refusals remembered, so a peer retrying every second does not flood the log. */
const REFUSALS_REMEMBERED_MAX = 1000;
/** The same refusal (service, host, reason) is logged again only after this long. */
const REFUSAL_REPEAT_MS = 60_000;
/** Errors that say only that the peer is not there, not that it was refused. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE']);

export function peerOf(socket: Socket): string {
  return `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
}

function refusalLog(event: (line: string) => void): MemberChannel['refused'] {
  const lastLoggedMs = new Map<string, number>();
  return (service, peer, why) => {
    // The port changes with every connection; the host and the reason identify a repeat.
    const key = `${service} ${peer.slice(0, peer.lastIndexOf(':'))} ${why}`;
    const now = Date.now();
    const last = lastLoggedMs.get(key);
    if (last !== undefined && now - last < REFUSAL_REPEAT_MS) return;
    if (lastLoggedMs.size >= REFUSALS_REMEMBERED_MAX) lastLoggedMs.clear();
    lastLoggedMs.set(key, now);
    event(`Refused ${service} peer ${peer}: ${why}`);
  };
}

export function plainChannel(event: (line: string) => void): MemberChannel {
  return {
    readyEvent: 'connect',
    createServer: (_service, onSocket) => netCreateServer(onSocket),
    connect: (_service, address) => netConnect({ host: address.host, port: address.port }),
    refused: refusalLog(event),
  };
}

/**
 * Mutual TLS with the policy's key, certificate and trusted CAs. The server asks every client
 * for a certificate and, unless the policy's client_auth is NONE or OPTIONAL, refuses one
 * without a trusted certificate; the client always verifies the server. Reloaded certificates
 * apply to new connections.
 */
export function mutualTlsChannel(context: ReloadableTlsContext,
  event: (line: string) => void): MemberChannel {
  const refused = refusalLog(event);
  const requireClient = context.policy.clientAuth === 'REQUIRE';
  return {
    readyEvent: 'secureConnect',
    refused,
    createServer: (service, onSocket) => {
      const server = tlsCreateServer({ ...context.currentOptions(), requestCert: true,
        rejectUnauthorized: requireClient }, onSocket);
      context.onReload((options) => server.setSecureContext(options));
      // A failed handshake leaves no address to read, so each TCP connection is followed from
      // its start: one that closes without becoming a TLS connection was refused.
      const secured = new Set<string>();
      server.on('secureConnection', (socket) => secured.add(peerOf(socket)));
      server.on('connection', (raw: Socket) => {
        const peer = peerOf(raw);
        raw.once('close', () => {
          if (!secured.delete(peer)) {
            refused(service, peer, 'TLS handshake failed (no certificate from a trusted CA ' +
              'on one side, or a TLS version or cipher in common)');
          }
        });
      });
      return server;
    },
    connect: (service, address) => {
      const options: ConnectionOptions = { ...context.currentOptions(), host: address.host,
        port: address.port, rejectUnauthorized: true };
      // SNI carries host names only; an IP address is checked against the certificate's IPs.
      if (isIP(address.host) === 0) options.servername = address.host;
      const socket = tlsConnect(options);
      socket.once('error', (error: NodeJS.ErrnoException) => {
        if (UNREACHABLE.has(error.code ?? '')) return;
        refused(service, `${address.host}:${address.port}`, `TLS: ${error.message}`);
      });
      return socket;
    },
  };
}

/** A channel for a process without watched certificates (`quiver-admin backup`). */
export function channelForPolicy(policy: SslPolicyConfig, event: (line: string) => void):
  MemberChannel {
  if (!policy.enabled) return plainChannel(event);
  return mutualTlsChannel(new ReloadableTlsContext(policy, { info: event, warn: event }), event);
}
