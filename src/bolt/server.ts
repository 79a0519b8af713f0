import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { TLSSocket, type SecureContext } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import { RerunTurns } from '../db/conflict-retry.js';
import { peerOf } from '../security/member-channel.js';
import type { BoltBackend } from './backend.js';
import { SILENT_LOGGER, type BoltLogger } from './bolt-logger.js';
import { BoltConnection } from './connection.js';
import type { ServerHints } from './connection-context.js';
import { readHandshake } from './handshake.js';
import { resolveBoltLimits, type BoltLimits } from './limits.js';
import type { BoltTransport } from './transport.js';
import { tcpTransport, webSocketTransport } from './transports.js';
import { SUPPORTED_VERSIONS } from './versions/index.js';

export interface BoltServerOptions {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly backend: BoltBackend;
  readonly limits?: Partial<BoltLimits>;
  readonly logger?: BoltLogger;
  readonly hints?: Partial<ServerHints>;
  /** Clock for t_first / t_last; defaults to the monotonic performance clock. */
  readonly nowMs?: () => number;
  /** Jitter of the auto-commit retry backoff; defaults to Math.random. */
  readonly random?: () => number;
  /** TLS on this port (dbms.connector.bolt.tls_level); absent or null = plaintext only. */
  readonly tls?: BoltTls | null;
  /** A connection with no bytes either way for this long is closed; absent = never. */
  readonly idleTimeoutMs?: number | null;
  /** Refused connections, for the security log; each line names the peer. */
  readonly onSecurityEvent?: (line: string) => void;
}

export interface BoltTls {
  readonly level: 'REQUIRED' | 'OPTIONAL' | 'DISABLED';
  /** Asked per connection, so reloaded certificates apply to the next one. */
  readonly context: () => SecureContext;
  readonly clientAuth: 'NONE' | 'OPTIONAL' | 'REQUIRE';
}

/** Every TLS connection starts with a handshake record, content type 22. */
const TLS_HANDSHAKE_RECORD = 0x16;

export interface BoltServer {
  readonly port: number;
  close(): Promise<void>;
  connectionCount(): number;
}

const HTTP_NOT_BOLT = 'This is the Bolt port of QuiverDB: connect with a Neo4j driver ' +
  '(bolt:// or neo4j://) or a WebSocket.\n';

/**
 * Listens for Bolt on TCP. The first bytes decide what a connection is: the Bolt preamble, or
 * an HTTP request, which is either a WebSocket upgrade (Bolt inside binary frames, as browsers
 * connect) or plain HTTP (answered 400).
 */
export async function startBoltServer(options: BoltServerOptions): Promise<BoltServer> {
  const limits = resolveBoltLimits(options.limits);
  const logger = options.logger ?? SILENT_LOGGER;
  const hints: ServerHints = { telemetry: options.hints?.telemetry ?? false };
  const sockets = new Set<Socket>();
  let connectionSeq = 0;
  let boltConnections = 0;
  const rerunTurns = new RerunTurns();

  const openBolt = (transport: BoltTransport): BoltConnection => {
    connectionSeq += 1;
    boltConnections += 1;
    let counted = true;
    return new BoltConnection({
      connectionId: `bolt-${connectionSeq}`, transport, backend: options.backend, limits, hints,
      logger, nowMs: options.nowMs ?? (() => performance.now()),
      random: options.random ?? Math.random, rerunTurns,
      onClosed: () => {
        if (counted) boltConnections -= 1;
        counted = false;
      },
    });
  };

  const idleMs = options.idleTimeoutMs ?? null;
  const { http, wss } = httpSide(limits, idleMs, openBolt);
  const serveBolt = (stream: Socket): void => {
    // On the stream served, which for TLS is the decrypting socket: the raw one sees no reads.
    if (idleMs !== null) stream.setTimeout(idleMs, () => stream.destroy());
    sniffBoltOrHttp(stream);
  };
  const sniffBoltOrHttp = (stream: Socket): void => sniff(stream, 4, (first) => {
    if (readHandshake(first, SUPPORTED_VERSIONS).kind === 'http') {
      stream.unshift(first);
      http.emit('connection', stream);
      stream.resume();
      return;
    }
    serveTcp(stream, openBolt(tcpTransport(stream)), first);
  });
  const security = options.onSecurityEvent ?? (() => undefined);
  const server = createServer((socket) => {
    socket.on('error', (error) => logger.debug({ err: error }, 'bolt socket error'));
    const peer = peerOf(socket);
    // Every accepted socket counts, handshake or not: silent sockets are connections too.
    if (sockets.size >= limits.connectionsMax) {
      logger.warn({ connectionsMax: limits.connectionsMax }, 'connection refused: connectionsMax');
      security(`bolt connection refused: peer=${peer} reason=connectionsMax`);
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    if (idleMs !== null) socket.setTimeout(idleMs, () => socket.destroy());
    const tls = options.tls ?? null;
    if (tls === null || tls.level === 'DISABLED') return serveBolt(socket);
    routeEncryption(socket, tls, serveBolt, (reason) =>
      security(`bolt connection refused: peer=${peer} reason=${reason}`));
  });
  await listen(server, options.host, options.port);
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  logger.info({ host: options.host, port }, 'bolt server listening');
  return {
    port,
    connectionCount: () => boltConnections,
    close: () => closeServer(server, wss, sockets),
  };
}

/** The HTTP side of the Bolt port: WebSocket upgrades carry Bolt, anything else gets a 400. */
function httpSide(limits: BoltLimits, idleMs: number | null,
  openBolt: (transport: BoltTransport) => BoltConnection) {
  const wss = new WebSocketServer({
    noServer: true, perMessageDeflate: false, maxPayload: limits.boltMessageBytesMax + 1024,
  });
  const http = createHttpServer({ maxHeaderSize: limits.handshakeBytesMax });
  http.on('request', (_req, res) => {
    res.writeHead(400, { 'content-type': 'text/plain', connection: 'close' });
    res.end(HTTP_NOT_BOLT);
  });
  http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      // ws clears the socket's timeout on upgrade; the idle limit applies to WebSockets too.
      if (idleMs !== null) socket.setTimeout(idleMs, () => socket.destroy());
      serveWebSocket(ws, socket, openBolt(webSocketTransport(ws, socket)));
    });
  });
  http.on('clientError', (_error, socket) => socket.destroy());
  return { http, wss };
}

/**
 * With TLS on, the first byte decides: a TLS handshake record is decrypted, then served like a
 * plaintext connection (Bolt or WebSocket); plaintext is served only when TLS is OPTIONAL.
 */
function routeEncryption(socket: Socket, tls: BoltTls, serveBolt: (stream: Socket) => void,
  refuse: (reason: string) => void): void {
  sniff(socket, 1, (first) => {
    const encrypted = first[0] === TLS_HANDSHAKE_RECORD;
    if (!encrypted && tls.level === 'REQUIRED') {
      refuse('plaintext while TLS is REQUIRED');
      socket.destroy();
      return;
    }
    socket.unshift(first);
    socket.setTimeout(0);
    if (!encrypted) {
      serveBolt(socket);
      socket.resume();
      return;
    }
    serveBolt(wrapTls(socket, tls, (reason) => refuse(`TLS handshake failed: ${reason}`)));
  });
}

/**
 * Collects the first `bytes` bytes (one tells TLS from plaintext, four tell Bolt from HTTP),
 * then pauses the socket and hands everything received so far over.
 */
function sniff(socket: Socket, bytes: number, decide: (first: Buffer) => void): void {
  let received = Buffer.alloc(0);
  const onData = (data: Buffer): void => {
    received = Buffer.concat([received, data]);
    if (received.byteLength < bytes) return;
    socket.off('data', onData);
    socket.pause();
    decide(received);
  };
  socket.on('data', onData);
}

/** Server side of TLS over an accepted socket whose first bytes were put back. */
function wrapTls(socket: Socket, tls: BoltTls, onFailure: (reason: string) => void): TLSSocket {
  const secure = new TLSSocket(socket, {
    isServer: true, secureContext: tls.context(),
    requestCert: tls.clientAuth !== 'NONE', rejectUnauthorized: tls.clientAuth === 'REQUIRE',
  });
  secure.on('error', (error: Error) => {
    onFailure(error.message);
    secure.destroy();
    socket.destroy();
  });
  return secure;
}

function serveTcp(socket: Socket, connection: BoltConnection, first: Buffer): void {
  socket.on('data', (data: Buffer) => connection.receive(data));
  socket.once('close', () => connection.transportClosed());
  connection.receive(first);
  socket.resume();
}

function serveWebSocket(ws: WebSocket, socket: Socket, connection: BoltConnection): void {
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) connection.receive(data);
    else ws.close(1003, 'Bolt over WebSocket uses binary frames');
  });
  ws.on('error', () => ws.terminate());
  ws.once('close', () => connection.transportClosed());
  socket.once('close', () => connection.transportClosed());
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server, wss: WebSocketServer, sockets: Set<Socket>): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    for (const client of wss.clients) client.terminate();
    for (const socket of sockets) socket.destroy();
    wss.close();
  });
}
