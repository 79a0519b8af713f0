/**
 * `quiver-admin backup`'s work: ask a member's backup server for what this backup folder lacks
 * and write it durably. A full backup is written beside the target and renamed into place when
 * sealed; an incremental one appends to the verified log and re-seals the manifest. A previous
 * backup that does not verify is kept as `<name>.err.<n>` and replaced by a full one.
 */
import { connect, type Socket } from 'node:net';
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeFrame, FrameDecoder, describeFrameError } from '../cluster/frame-codec.js';
import { QuiverError } from '../errors/quiver-error.js';
import { SegmentedLog, SnapshotStore } from '../log/index.js';
import { ensureDir } from '../log/durable-fs.js';
import {
  readManifest, sealBackup, verifyBackupFiles, type BackupManifest,
} from './backup-folder.js';
import {
  BACKUP_FRAME_BYTES_MAX, decodeBackupMessage, encodeBackupRequest, type BackupMessage,
  type BackupRequest,
} from './backup-protocol.js';
import { formatBytes } from './progress-format.js';
import type { MemberChannel } from '../security/member-channel.js';
import { dialGate } from '../security/member-gate.js';

export interface BackupOptions {
  readonly host: string;
  readonly port: number;
  readonly backupDir: string;
  readonly name: string;
  readonly database: string;
  /** One line of progress for the operator. */
  readonly progress: (line: string) => void;
  /** No message from the server for this long fails the backup. */
  readonly idleTimeoutMs?: number;
  /** TLS under dbms.ssl.policy.backup (the client's certificate, the trusted CAs); absent: TCP. */
  readonly channel?: MemberChannel;
  /** dbms.cluster.secret of the member: proved before the request is sent. */
  readonly secret?: string | null;
  /**
   * Sees each piece of a full backup's snapshot, in order, before it is written: the backup
   * command checks the snapshot while the rest of it is still on the wire.
   */
  readonly snapshotTap?: (bytes: Uint8Array) => void;
}

export interface BackupOutcome {
  readonly mode: 'full' | 'incremental';
  readonly dir: string;
  readonly manifest: BackupManifest;
  readonly entriesReceived: number;
}

const IDLE_TIMEOUT_MS_DEFAULT = 60_000;
const ERR_SUFFIXES_MAX = 1000;

function failed(message: string): QuiverError {
  return new QuiverError('DatabaseUnavailable', message);
}

export async function runBackup(options: BackupOptions): Promise<BackupOutcome> {
  const isFolder = await stat(options.backupDir).then((s) => s.isDirectory(), () => false);
  if (!isFolder) throw failed(`Directory '${options.backupDir}' does not exist.`);
  const target = join(options.backupDir, options.name);
  const previous = await usablePrevious(target, options.progress);
  const request: BackupRequest = previous === null
    ? { database: options.database, fromIndex: null, lastTerm: 0, storeId: null }
    : { database: options.database, fromIndex: previous.lastIndex + 1,
      lastTerm: previous.lastTerm, storeId: previous.storeId };
  const socket = await openConnection(options);
  try {
    const messages = new MessageReader(socket, options.idleTimeoutMs ?? IDLE_TIMEOUT_MS_DEFAULT);
    socket.write(encodeFrame(encodeBackupRequest(request)));
    const begin = await messages.expect('begin');
    const session = { options, messages, target, created: previous?.createdAt ?? null };
    if (begin.mode === 'incremental' && previous !== null) {
      return await receiveIncremental(session, previous);
    }
    if (previous !== null) options.progress('The server cannot continue this backup; ' +
      'a new full backup will be performed.');
    return await receiveFull(session, begin);
  } finally {
    socket.destroy();
  }
}

/**
 * The previous backup's manifest when it verifies. A folder that does not verify is moved
 * aside (kept for inspection) so a full backup can take its place.
 */
async function usablePrevious(target: string, progress: (line: string) => void):
  Promise<BackupManifest | null> {
  const exists = await stat(target).then(() => true, () => false);
  if (!exists) {
    progress('Previous backup not found, a new full backup will be performed.');
    return null;
  }
  let why: string;
  try {
    const manifest = await readManifest(target);
    const problems = manifest === null ? ['no backup manifest'] : await verifyBackupFiles(target,
      manifest);
    if (manifest !== null && problems.length === 0) {
      progress('Previous backup found, trying incremental backup.');
      return manifest;
    }
    why = problems.join('; ');
  } catch (error) {
    why = error instanceof Error ? error.message : String(error);
  }
  const aside = await freeSuffix(`${target}.err`);
  await rename(target, aside);
  progress(`Previous backup is not usable (${why}); moved to ${aside}, a new full backup ` +
    'will be performed.');
  return null;
}

async function freeSuffix(base: string): Promise<string> {
  for (let n = 0; n < ERR_SUFFIXES_MAX; n++) {
    if (!await stat(`${base}.${n}`).then(() => true, () => false)) return `${base}.${n}`;
  }
  throw failed(`no free name left for ${base}.N; remove old failed backups`);
}

async function openConnection(options: BackupOptions): Promise<Socket> {
  const socket = await new Promise<Socket>((resolve, reject) => {
    const address = { host: options.host, port: options.port };
    const socket = options.channel ? options.channel.connect('backup', address) : connect(address);
    socket.once(options.channel?.readyEvent ?? 'connect', () => {
      socket.off('error', onError);
      resolve(socket);
    });
    const onError = (error: Error): void => reject(failed(`cannot connect to the backup ` +
      `server at ${options.host}:${options.port}: ${error.message}`));
    socket.once('error', onError);
  });
  if (options.secret === undefined || options.secret === null) return socket;
  const problem = await dialGate(socket, { secret: options.secret, service: 'backup',
    name: 'quiver-admin' });
  if (problem === null) return socket;
  socket.destroy();
  throw failed(`the backup server at ${options.host}:${options.port} refused the backup: ` +
    `${problem.why} (is dbms.cluster.secret the same as the member's?)`);
}

interface Session {
  readonly options: BackupOptions;
  readonly messages: MessageReader;
  readonly target: string;
  readonly created: string | null;
}

async function receiveFull(session: Session, begin: BeginMessage): Promise<BackupOutcome> {
  const { options, messages } = session;
  const building = `${session.target}.temp`;
  await rm(building, { recursive: true, force: true });
  await ensureDir(building);
  const snapshotIndex = begin.snapshot?.index ?? 0;
  if (begin.snapshot !== null) {
    options.progress('Start receiving store files');
    const snapshots = await SnapshotStore.open(join(building, 'snapshots'));
    const received = { bytes: 0 };
    await snapshots.save({ index: begin.snapshot.index, term: begin.snapshot.term, config: null },
      snapshotChunks(messages, begin.snapshot.linesTotal, received, options));
    options.progress(`Finish receiving store files (${formatBytes(received.bytes)})`);
  }
  const log = await SegmentedLog.open(join(building, 'log'));
  if (snapshotIndex > 0) await log.compactPrefix(snapshotIndex + 1);
  const tail = await receiveTail(session, log, begin.snapshot?.term ?? 0);
  const manifest = await sealBackup(building, {
    database: options.database, storeId: begin.storeId, source: `${options.host}:${options.port}`,
    snapshotIndex, lastIndex: tail.lastIndex, lastTerm: tail.lastTerm,
    createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(),
  });
  await rm(session.target, { recursive: true, force: true });
  await rename(building, session.target);
  return { mode: 'full', dir: session.target, manifest, entriesReceived: tail.count };
}

async function receiveIncremental(session: Session, previous: BackupManifest):
  Promise<BackupOutcome> {
  const log = await SegmentedLog.open(join(session.target, 'log'));
  const tail = await receiveTail(session, log, previous.lastTerm);
  const manifest = await sealBackup(session.target, { ...previous,
    lastIndex: tail.lastIndex, lastTerm: tail.lastTerm, updatedAt: new Date().toISOString() });
  return { mode: 'incremental', dir: session.target, manifest, entriesReceived: tail.count };
}

/** Receives tail, entries and end into `log`, which it closes. */
async function receiveTail(session: Session, log: SegmentedLog, termBefore: number):
  Promise<{ lastIndex: number; lastTerm: number; count: number }> {
  const { messages, options } = session;
  try {
    const tail = await messages.expect('tail');
    if (tail.fromIndex !== log.lastIndex() + 1) {
      throw failed(`the server sends entries from ${tail.fromIndex}, the backup needs ` +
        `${log.lastIndex() + 1}`);
    }
    options.progress(`Start receiving transactions from ${tail.fromIndex}`);
    let progress = new PercentProgress(options.progress, 'Receiving transactions',
      tail.toIndex - tail.fromIndex + 1);
    let lastTerm = termBefore;
    let count = 0;
    let countBeforeRange = 0;
    for (let m = await messages.next(); ; m = await messages.next()) {
      if (m.kind === 'end') {
        if (m.lastIndex !== log.lastIndex()) {
          throw failed(`the server ended at ${m.lastIndex} but sent entries to ${log.lastIndex()}`);
        }
        options.progress(`Finish receiving transactions at ${m.lastIndex}`);
        return { lastIndex: m.lastIndex, lastTerm, count };
      }
      if (m.kind === 'tail') {
        // Writes applied meanwhile: a further range, with progress of its own.
        progress = new PercentProgress(options.progress, `Receiving transactions to ${m.toIndex}`,
          m.toIndex - m.fromIndex + 1);
        countBeforeRange = count;
        continue;
      }
      if (m.kind !== 'entries') throw unexpected(m, 'entries');
      const first = m.entries[0];
      const last = m.entries[m.entries.length - 1];
      if (first === undefined || last === undefined) continue;
      if (first.index !== log.lastIndex() + 1 || first.term < lastTerm) {
        throw failed(`entry ${first.index} (term ${first.term}) does not continue the backup`);
      }
      await log.append(m.entries);
      lastTerm = last.term;
      count += m.entries.length;
      progress.update(count - countBeforeRange, 0);
    }
  } finally {
    await log.close();
  }
}

async function* snapshotChunks(messages: MessageReader, linesTotal: number,
  received: { bytes: number }, options: BackupOptions): AsyncGenerator<Uint8Array> {
  const progress = new PercentProgress(options.progress, 'Receiving store files', linesTotal);
  for (;;) {
    const m = await messages.peek();
    if (m.kind !== 'snapshot') return;
    await messages.next();
    received.bytes += m.bytes.length;
    progress.update(m.linesDone, received.bytes);
    options.snapshotTap?.(m.bytes);
    yield m.bytes;
  }
}

/** Prints `<what>: NN% (bytes)` each time another tenth of the work is done. */
class PercentProgress {
  private printedTenths = 0;

  constructor(private readonly line: (text: string) => void, private readonly what: string,
    private readonly total: number) {}

  update(done: number, bytes: number): void {
    const tenths = this.total <= 0 ? 10 : Math.min(10, Math.floor((done * 10) / this.total));
    if (tenths <= this.printedTenths) return;
    this.printedTenths = tenths;
    this.line(`  ${this.what}: ${tenths * 10}%${bytes > 0 ? ` (${formatBytes(bytes)})` : ''}`);
  }
}

type BeginMessage = Extract<BackupMessage, { kind: 'begin' }>;

function unexpected(message: BackupMessage, wanted: string): QuiverError {
  if (message.kind === 'error') return failed(`the backup server refused: ${message.message}`);
  return failed(`the backup server sent ${message.kind} where ${wanted} was due`);
}

/** Messages from the server in order, one at a time, with one of lookahead. */
class MessageReader {
  private readonly decoder = new FrameDecoder(BACKUP_FRAME_BYTES_MAX);
  private readonly queue: BackupMessage[] = [];
  private readonly chunks: AsyncIterator<unknown>;

  constructor(socket: Socket, idleTimeoutMs: number) {
    socket.setTimeout(idleTimeoutMs, () => socket.destroy(failed(
      `the backup server sent nothing for ${idleTimeoutMs} ms`)));
    this.chunks = socket[Symbol.asyncIterator]();
  }

  async peek(): Promise<BackupMessage> {
    while (this.queue.length === 0) await this.fill();
    return this.queue[0] as BackupMessage;
  }

  async next(): Promise<BackupMessage> {
    const message = await this.peek();
    this.queue.shift();
    return message;
  }

  async expect<K extends BackupMessage['kind']>(kind: K):
    Promise<Extract<BackupMessage, { kind: K }>> {
    const message = await this.next();
    if (message.kind !== kind) throw unexpected(message, kind);
    return message as Extract<BackupMessage, { kind: K }>;
  }

  private async fill(): Promise<void> {
    const chunk = await this.chunks.next();
    if (chunk.done === true) throw failed('the backup server closed the connection early');
    const result = this.decoder.push(chunk.value as Buffer);
    if ('error' in result) {
      throw failed(`bad frame from the server: ${describeFrameError(result.error)}`);
    }
    for (const payload of result.payloads) {
      const message = decodeBackupMessage(payload);
      if (typeof message === 'string') throw failed(`bad message from the server: ${message}`);
      this.queue.push(message);
    }
  }
}
