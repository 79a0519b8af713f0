/**
 * The serving half of catchup: any member with a graph (core or read replica) answers read
 * replicas' pulls with committed entries from its own log (never past what it has applied, so
 * never an entry that could still change), or with a snapshot of one read view when the
 * replica's position is compacted away or does not match. On each commit it wakes the replicas
 * that stream and, for those that pull, ha.tx_push_factor of them in turn (best effort).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { assert } from '../assert.js';
import type { LogEntry } from '../log/index.js';
import { peerOf, type MemberChannel } from '../security/member-channel.js';
import { acceptGate } from '../security/member-gate.js';
import {
  CATCHUP_FRAME_BYTES_MAX, CATCHUP_REPLY_BYTES_MAX, CATCHUP_REPLY_ENTRIES_MAX,
  CATCHUP_SNAPSHOT_CHUNK_BYTES, decodeCatchup, encodeCatchup, type CatchupReply,
} from './catchup-protocol.js';
import { describeFrameError, encodeFrame, FrameDecoder } from './frame-codec.js';

/** What the member offers: its applied position, its log, and a snapshot of a read view. */
export interface CatchupSource {
  appliedIndex(): number;
  firstIndex(): number;
  termAt(index: number): number | undefined;
  read(fromIndex: number, toIndexExclusive: number, bytesMax: number): LogEntry[];
  snapshot(): Promise<{ index: number; term: number; membership: unknown; data: Uint8Array }>;
}

export interface CatchupServerOptions {
  readonly host: string;
  readonly port: number;
  readonly clusterId: string;
  readonly source: CatchupSource;
  /** ha.tx_push_factor: pulling replicas woken on each commit; 0 wakes none. */
  readonly pushFactor: number;
  readonly log: { info(line: string): void; warn(line: string): void };
  readonly channel?: MemberChannel;
  readonly secret?: string | null;
}

interface Session {
  readonly socket: Socket;
  memberId: string | null;
  streaming: boolean;
  /** The last index this replica holds, as far as we know (its pull, plus what we sent). */
  position: number;
  busy: boolean;
  woken: boolean;
}

/** Replicas served at once; more are refused and choose another upstream. */
export const CATCHUP_SESSIONS_MAX = 64;

export class CatchupServer {
  private server: Server | null = null;
  private readonly sessions: Session[] = [];
  private pushCursor = 0;
  private wakeScheduled = false;
  /** Replicas this member has served, so each is logged once (bounded by sessions). */
  private readonly announced = new Set<string>();

  constructor(private readonly options: CatchupServerOptions) {
    assert(options.pushFactor >= 0, 'a push factor is never negative');
  }

  async start(): Promise<number> {
    const channel = this.options.channel;
    const server = channel ? channel.createServer('catchup', (s) => this.accept(s))
      : createServer((s) => this.accept(s));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    const address = server.address();
    return typeof address === 'object' && address ? address.port : this.options.port;
  }

  /** Member ids of the replicas pulling from this member now. */
  servedReplicas(): string[] {
    return this.sessions.flatMap((s) => (s.memberId === null ? [] : [s.memberId]));
  }

  /** The member applied entries: wake replicas once the current burst of applies is over. */
  committed(): void {
    if (this.wakeScheduled || this.sessions.length === 0) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      this.wake();
    });
  }

  async close(): Promise<void> {
    for (const s of this.sessions) s.socket.destroy();
    this.sessions.length = 0;
    const server = this.server;
    this.server = null;
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private wake(): void {
    const applied = this.options.source.appliedIndex();
    const behind = this.sessions.filter((s) => s.memberId !== null && !s.busy && !s.woken &&
      s.position < applied);
    const pulling = behind.filter((s) => !s.streaming);
    const pushed = Math.min(this.options.pushFactor, pulling.length);
    const chosen = behind.filter((s) => s.streaming);
    for (let i = 0; i < pushed; i += 1) {
      const session = pulling[(this.pushCursor + i) % pulling.length];
      if (session !== undefined) chosen.push(session);
    }
    if (pulling.length > 0) this.pushCursor = (this.pushCursor + pushed) % pulling.length;
    for (const s of chosen) {
      s.woken = true;
      this.send(s, { kind: 'wake' });
    }
  }

  private accept(socket: Socket): void {
    socket.on('error', () => socket.destroy());
    if (this.sessions.length >= CATCHUP_SESSIONS_MAX) {
      socket.end(encodeFrame(encodeCatchup({ kind: 'error',
        message: `this member already serves ${CATCHUP_SESSIONS_MAX} read replicas` })));
      return;
    }
    const session: Session = { socket, memberId: null, streaming: false, position: 0,
      busy: false, woken: false };
    this.sessions.push(session);
    socket.setNoDelay(true);
    socket.on('close', () => {
      const at = this.sessions.indexOf(session);
      if (at >= 0) this.sessions.splice(at, 1);
      if (session.memberId !== null) this.announced.delete(session.memberId);
    });
    const secret = this.options.secret ?? null;
    if (secret === null) {
      this.read(session);
      return;
    }
    void acceptGate(socket, { secret, service: 'catchup' }).then((problem) => {
      if (problem === null) this.read(session);
      else this.refuse(session, problem.why);
    });
  }

  private read(session: Session): void {
    const decoder = new FrameDecoder(CATCHUP_FRAME_BYTES_MAX);
    session.socket.on('data', (chunk: Buffer) => {
      const out = decoder.push(chunk);
      if ('error' in out) return this.refuse(session, describeFrameError(out.error));
      for (const payload of out.payloads) this.onRequest(session, payload);
      return undefined;
    });
  }

  private onRequest(session: Session, payload: Uint8Array): void {
    const request = decodeCatchup(payload);
    if (typeof request === 'string') return this.refuse(session, request);
    if (request.kind === 'hello') {
      if (request.clusterId !== this.options.clusterId) {
        return this.refuse(session, `member ${request.memberId} belongs to cluster ` +
          request.clusterId);
      }
      session.memberId = request.memberId;
      session.streaming = request.streaming;
      if (!this.announced.has(request.memberId)) {
        this.announced.add(request.memberId);
        this.options.log.info(`Serving committed transactions to read replica ` +
          `${request.memberId} (${request.streaming ? 'streaming' : 'pulling'}).`);
      }
      return undefined;
    }
    if (request.kind !== 'pull' || session.memberId === null || session.busy) {
      return this.refuse(session, 'a pull before the hello, or two at once');
    }
    session.busy = true;
    session.woken = false;
    session.position = request.after;
    void this.answer(session, request.after, request.afterTerm)
      .catch((e: unknown) => this.refuse(session, `cannot serve: ${String(e)}`))
      .finally(() => {
        session.busy = false;
      });
    return undefined;
  }

  private async answer(session: Session, after: number, afterTerm: number): Promise<void> {
    const source = this.options.source;
    const applied = source.appliedIndex();
    const first = source.firstIndex();
    const compacted = after + 1 < first;
    const differs = after >= first && after <= applied && source.termAt(after) !== afterTerm;
    if (compacted || differs) {
      await this.sendSnapshot(session);
      return;
    }
    const upTo = Math.min(applied, after + CATCHUP_REPLY_ENTRIES_MAX);
    const entries = upTo > after ? source.read(after + 1, upTo + 1, CATCHUP_REPLY_BYTES_MAX) : [];
    const last = entries[entries.length - 1];
    assert(last === undefined || last.index <= applied, 'only applied (committed) entries go out');
    assert(entries[0] === undefined || entries[0].index === after + 1, 'entries follow the pull');
    if (last !== undefined) session.position = last.index;
    this.send(session, { kind: 'entries', upstreamApplied: applied, entries });
  }

  private async sendSnapshot(session: Session): Promise<void> {
    const snap = await this.options.source.snapshot();
    this.options.log.info(`Sending a snapshot at index ${snap.index} to read replica ` +
      `${session.memberId ?? '?'}.`);
    const total = snap.data.length;
    for (let offset = 0; offset === 0 || offset < total; offset += CATCHUP_SNAPSHOT_CHUNK_BYTES) {
      const end = Math.min(total, offset + CATCHUP_SNAPSHOT_CHUNK_BYTES);
      const more = this.send(session, { kind: 'snapshot', index: snap.index, term: snap.term,
        membership: snap.membership, totalBytes: total, last: end >= total,
        chunk: snap.data.subarray(offset, end) });
      if (session.socket.destroyed) return;
      if (!more) await drainedOrClosed(session.socket);
    }
    session.position = snap.index;
  }

  /** False when the socket asks us to wait for 'drain' before writing more. */
  private send(session: Session, reply: CatchupReply): boolean {
    if (session.socket.destroyed) return true;
    return session.socket.write(encodeFrame(encodeCatchup(reply)));
  }

  private refuse(session: Session, why: string): void {
    const socket = session.socket;
    const peer = peerOf(socket);
    this.options.log.warn(`Catchup connection from ${peer} refused: ${why}`);
    this.options.channel?.refused('catchup', peer, why);
    socket.destroy();
  }
}

function drainedOrClosed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}
