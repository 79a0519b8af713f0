/**
 * The backup listener (`dbms.backup.enabled`, `dbms.backup.listen_address`, port 6362): serves
 * `quiver-admin backup` while the member keeps taking writes.
 *
 * A full backup is a snapshot of one read view (consistent at one log index, taken while writes
 * go on) and then the log entries applied while it streamed, read from the member's own log
 * folder. An incremental backup is the entries after what the client has, when the log still
 * holds them and the histories agree; otherwise the server answers with a full backup.
 */
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Database } from '../db/database.js';
import { encodeFrame, FrameDecoder, describeFrameError } from '../cluster/frame-codec.js';
import { writeSnapshot } from '../graph/snapshot.js';
import { peerOf, type MemberChannel } from '../security/member-channel.js';
import { acceptGate } from '../security/member-gate.js';
import {
  BACKUP_CHUNK_BYTES, BACKUP_FRAME_BYTES_MAX, decodeBackupRequest, encodeBackupMessage,
  encodeSnapshotMessage, type BackupMessage, type BackupRequest,
} from './backup-protocol.js';
import { LogEntriesGone, logFirstIndex, readLogEntries } from './log-reader.js';

export interface BackupServerOptions {
  readonly host: string;
  readonly port: number;
  readonly database: Database;
  /** Users and roles, carried in the snapshot as the server's own snapshots carry them. */
  readonly system: { snapshot(): unknown[] };
  /** The member's database folder; its `log/` is read (never written) for the entries. */
  readonly dataDir: string;
  readonly logger: { info(line: string): void; warn(line: string): void };
  /** Backups served at once; more connections are refused with an error message. */
  readonly connectionsMax?: number;
  /** TLS under dbms.ssl.policy.backup, and refusals to the security log; absent: TCP. */
  readonly channel?: MemberChannel;
  /** dbms.cluster.secret: a client must prove it (member-gate.ts) before it is served. */
  readonly secret?: string | null;
}

export interface BackupServer {
  readonly port: number;
  close(): Promise<void>;
}

const CONNECTIONS_MAX_DEFAULT = 4;
/** A request is one small JSON object; a client that sends more is not a backup client. */
const REQUEST_BYTES_MAX = 64 * 1024;
const REQUEST_TIMEOUT_MS = 30_000;
/** Catch-up rounds after the first range of entries: a busy member must not keep a backup open. */
const TAIL_ROUNDS_MAX = 100;
/** Bytes queued on a backup connection before the sender waits for them to go out. */
const SEND_AHEAD_BYTES = 8 * 1024 * 1024;

export async function startBackupServer(options: BackupServerOptions): Promise<BackupServer> {
  const sockets = new Set<Socket>();
  const connectionsMax = options.connectionsMax ?? CONNECTIONS_MAX_DEFAULT;
  const serve = (socket: Socket): void => {
    if (sockets.size >= connectionsMax) {
      socket.end(encodeFrame(encodeBackupMessage({ kind: 'error',
        message: `the server is already serving ${connectionsMax} backups; try again later` })));
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    void serveConnection(socket, options);
  };
  const server: Server = options.channel ? options.channel.createServer('backup', serve)
    : createServer(serve);
  server.listen(options.port, options.host);
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => {
    throw new Error(`cannot listen for backups on ${options.host}:${options.port}: ` +
      `${error instanceof Error ? error.message : String(error)}`);
  })]);
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  options.logger.info(`Backup server listening on ${options.host}:${port}.`);
  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function serveConnection(socket: Socket, options: BackupServerOptions): Promise<void> {
  socket.setTimeout(REQUEST_TIMEOUT_MS, () => socket.destroy());
  const peer = peerOf(socket); // read now: a closed socket no longer knows its peer
  if (options.secret !== undefined && options.secret !== null) {
    const problem = await acceptGate(socket, { secret: options.secret, service: 'backup' });
    if (problem !== null) {
      options.logger.warn(`Backup refused for ${peer}: ${problem.why}`);
      if (problem.refused) options.channel?.refused('backup', peer, problem.why);
      socket.destroy();
      return;
    }
  }
  const request = await readRequest(socket);
  socket.setTimeout(0);
  if (typeof request === 'string') {
    await send(socket, { kind: 'error', message: request }).catch(() => undefined);
    socket.end();
    return;
  }
  try {
    await serveBackup(socket, options, request);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    options.logger.warn(`Backup for ${socket.remoteAddress ?? 'a client'} failed: ${message}`);
    await send(socket, { kind: 'error', message }).catch(() => undefined);
  }
  socket.end();
}

/** The first frame, read with listeners: leaving a for-await loop would destroy the socket. */
function readRequest(socket: Socket): Promise<BackupRequest | string> {
  const decoder = new FrameDecoder(REQUEST_BYTES_MAX);
  return new Promise((resolve) => {
    const finish = (result: BackupRequest | string): void => {
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      const result = decoder.push(chunk);
      if ('error' in result) {
        return finish(`bad request frame: ${describeFrameError(result.error)}`);
      }
      const [payload] = result.payloads;
      if (payload !== undefined) finish(decodeBackupRequest(payload) ?? 'not a backup request');
    };
    const onClose = (): void => finish('the connection closed before a request arrived');
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}

async function serveBackup(socket: Socket, options: BackupServerOptions, request: BackupRequest):
  Promise<void> {
  const db = options.database;
  if (request.database !== db.core.name) {
    throw new Error(`database does not exist: ${request.database} (this server serves ` +
      `${db.core.name})`);
  }
  const logDir = join(options.dataDir, 'log');
  let last: { index: number; term: number };
  if (request.fromIndex !== null && await canContinue(request, db, logDir)) {
    await send(socket, { kind: 'begin', mode: 'incremental', storeId: db.storeId,
      database: db.core.name, snapshot: null });
    last = { index: request.fromIndex - 1, term: request.lastTerm };
  } else {
    last = await sendSnapshot(socket, options);
  }
  // Entries applied while one range streamed form the next range; the stream ends when a
  // range left nothing behind, so every write acknowledged before the end is in the backup.
  for (let round = 1; ; round++) {
    const toIndex = db.core.machine.appliedIndex;
    if ((toIndex === last.index && round > 1) || round > TAIL_ROUNDS_MAX) break;
    await send(socket, { kind: 'tail', fromIndex: last.index + 1, toIndex });
    for await (const entries of readLogEntries({ dir: logDir, fromIndex: last.index + 1, toIndex,
      batchBytesMax: BACKUP_CHUNK_BYTES })) {
      await send(socket, { kind: 'entries', entries });
      const newest = entries[entries.length - 1];
      if (newest !== undefined) last = { index: newest.index, term: newest.term };
    }
  }
  await send(socket, { kind: 'end', lastIndex: last.index, lastTerm: last.term });
}

/**
 * Incremental is possible when the client's history is a prefix of this member's: same store,
 * not ahead of it, and the client's last entry is still in the log with the same term.
 */
async function canContinue(request: BackupRequest, db: Database, logDir: string):
  Promise<boolean> {
  const from = request.fromIndex;
  if (from === null || request.storeId !== db.storeId) return false;
  const machine = db.core.machine;
  if (from > machine.appliedIndex + 1) return false;
  // A client that has what this member applied, at the same term, needs nothing: its last
  // entry may be in no log at all (a store installed by import, load or restore).
  if (from === machine.appliedIndex + 1 && request.lastTerm === machine.lastAppliedTerm) {
    return true;
  }
  const first = await logFirstIndex(logDir);
  if (from === 1) return first === 1;
  if (first === null || first > from - 1) return false;
  try {
    for await (const [previous] of readLogEntries({ dir: logDir, fromIndex: from - 1,
      toIndex: from - 1, batchBytesMax: 1 })) {
      return previous?.term === request.lastTerm;
    }
  } catch (error) {
    if (error instanceof LogEntriesGone) return false;
    throw error;
  }
  return false;
}

/**
 * How many entities src/graph/snapshot.ts writes per line: only for the progress estimate
 * (lines done of lines expected), so a change there makes the percentage rough, not wrong.
 */
const SNAPSHOT_ENTITIES_PER_LINE = 5000;

/** Streams a snapshot of one read view; returns the log index and term it stands at. */
async function sendSnapshot(socket: Socket, options: BackupServerOptions):
  Promise<{ index: number; term: number }> {
  const db = options.database;
  const machine = db.core.machine;
  const store = machine.store;
  // View, term and users are taken in one synchronous step, so all three are of one index.
  const view = store.openView();
  const term = machine.lastAppliedTerm;
  const system = options.system.snapshot();
  try {
    const linesTotal = 2 + Math.ceil(view.nodeCount() / SNAPSHOT_ENTITIES_PER_LINE) +
      Math.ceil(view.relationshipCount() / SNAPSHOT_ENTITIES_PER_LINE);
    const index = view.version;
    await send(socket, { kind: 'begin', mode: 'full', storeId: db.storeId, database: db.core.name,
      snapshot: index === 0 ? null : { index, term, linesTotal } });
    if (index === 0) return { index, term: 0 };
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    let linesDone = 0;
    for (const line of writeSnapshot(store, view, system)) {
      pending.push(line);
      pendingBytes += line.length;
      linesDone++;
      if (pendingBytes < BACKUP_CHUNK_BYTES) continue;
      await sendChunks(socket, pending, linesDone);
      pending = [];
      pendingBytes = 0;
    }
    await sendChunks(socket, pending, linesDone);
    return { index, term };
  } finally {
    view.close();
  }
}

/**
 * Sends gathered snapshot lines as frames no larger than the frame limit allows, each payload
 * gathered from the lines in one copy.
 */
async function sendChunks(socket: Socket, lines: Uint8Array[], linesDone: number): Promise<void> {
  const step = BACKUP_FRAME_BYTES_MAX - 16;
  let frame: Uint8Array[] = [];
  let frameBytes = 0;
  for (const line of lines) {
    for (let at = 0; at < line.length;) {
      const piece = line.subarray(at, at + step - frameBytes);
      frame.push(piece);
      frameBytes += piece.length;
      at += piece.length;
      if (frameBytes < step) continue;
      await sendFrame(socket, encodeSnapshotMessage(linesDone, frame));
      frame = [];
      frameBytes = 0;
    }
  }
  if (frameBytes > 0) await sendFrame(socket, encodeSnapshotMessage(linesDone, frame));
}

/** Writes one message, waiting for the socket to drain when its buffer is full. */
function send(socket: Socket, message: BackupMessage): Promise<void> {
  return sendFrame(socket, encodeBackupMessage(message));
}

/**
 * Writes one message payload. Up to SEND_AHEAD_BYTES may wait in the socket's buffer, so the
 * next chunk is encoded while this one is on the wire; past that, it waits for the drain.
 */
async function sendFrame(socket: Socket, payload: Uint8Array): Promise<void> {
  if (socket.destroyed) throw new Error('the backup client went away');
  if (socket.write(encodeFrame(payload)) || socket.writableLength < SEND_AHEAD_BYTES) return;
  await Promise.race([once(socket, 'drain'), once(socket, 'close').then(() => {
    throw new Error('the backup client went away');
  })]);
}
