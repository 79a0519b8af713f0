import { QuiverError, toQuiverError } from '../errors/quiver-error.js';
import type { RerunTurns } from '../db/conflict-retry.js';
import type { BoltBackend } from './backend.js';
import type { BoltLogger } from './bolt-logger.js';
import type { BoltVersion } from './bolt-version.js';
import { formatVersion } from './bolt-version.js';
import { ChunkDecoder } from './chunk-decoder.js';
import type { ConnectionContext, ServerHints } from './connection-context.js';
import { admit } from './connection-state.js';
import { decodeRequest } from './decode-request.js';
import { HANDSHAKE_BYTES, readHandshake, readManifestChoice } from './handshake.js';
import type { BoltLimits } from './limits.js';
import type { Request } from './messages.js';
import { Outbound } from './outbound.js';
import type { StructureHydrator } from './packstream/reader.js';
import {
  structureHydrator, structureWriter, type StructureOptions,
} from './packstream/structures.js';
import { failureMetadata } from './response-metadata.js';
import { onHello, onLogoff, onLogon, onRoute, onTelemetry } from './session-handlers.js';
import { onDiscard, onPull } from './stream-handlers.js';
import { onBegin, onCommit, onRollback, onRun } from './transaction-handlers.js';
import type { BoltTransport } from './transport.js';
import { SUPPORTED_VERSIONS, tableFor } from './versions/index.js';
import type { VersionTable } from './versions/version-table.js';

export interface ConnectionOptions {
  readonly connectionId: string;
  readonly transport: BoltTransport;
  readonly backend: BoltBackend;
  readonly limits: BoltLimits;
  readonly hints: ServerHints;
  readonly logger: BoltLogger;
  readonly nowMs: () => number;
  readonly random: () => number;
  readonly rerunTurns: RerunTurns;
  readonly onClosed: () => void;
}

type Phase =
  | { readonly name: 'handshake'; readonly received: Buffer }
  | { readonly name: 'manifest'; readonly received: Buffer }
  | { readonly name: 'bolt'; readonly decoder: ChunkDecoder }
  | { readonly name: 'closed' };

/** A framed message waiting its turn, or the marker of one that broke the size limit. */
type Inbound = { readonly bytes: Uint8Array } | { readonly tooLargeBytesMax: number };

const RESET_MESSAGE_BYTES = 2;

/**
 * One client connection: handshake, then framed messages decoded and answered strictly in
 * order. Messages are framed as they arrive, so a RESET is seen while earlier work still
 * runs: it interrupts that work and everything queued before it is IGNORED.
 */
export class BoltConnection {
  private phase: Phase = { name: 'handshake', received: Buffer.alloc(0) };
  private ctx: ConnectionContext | null = null;
  private hydrate: StructureHydrator | null = null;
  private readonly queue: Inbound[] = [];
  private queuedBytes = 0;
  private resetsQueued = 0;
  private processing = false;
  private readingPaused = false;

  constructor(private readonly options: ConnectionOptions) {}

  /** Inbound bytes from the transport. Never throws: a failure closes this connection only. */
  receive(data: Uint8Array): void {
    try {
      switch (this.phase.name) {
        case 'handshake': return this.onHandshakeBytes(this.phase.received, data);
        case 'manifest': return this.onManifestBytes(this.phase.received, data);
        case 'bolt': return this.onBoltBytes(this.phase.decoder, data);
        case 'closed': return;
      }
    } catch (error) {
      this.onBug(error);
    }
  }

  /** The peer went away (or the socket failed): drop everything, roll back. */
  transportClosed(): void {
    this.shutdown();
  }

  private onHandshakeBytes(before: Buffer, data: Uint8Array): void {
    const received = Buffer.concat([before, data]);
    if (received.byteLength > this.options.limits.handshakeBytesMax) return this.close();
    const step = readHandshake(received, SUPPORTED_VERSIONS);
    switch (step.kind) {
      case 'need-more':
        this.phase = { name: 'handshake', received };
        return;
      case 'http':
      case 'not-bolt':
        return this.close();
      case 'no-match':
        this.options.transport.write(step.reply);
        return this.close();
      case 'agreed':
        this.options.transport.write(step.reply);
        this.startBolt(step.version, false);
        return this.receive(received.subarray(HANDSHAKE_BYTES));
      case 'manifest':
        this.options.transport.write(step.reply);
        return this.onManifestBytes(Buffer.alloc(0), received.subarray(HANDSHAKE_BYTES));
    }
  }

  private onManifestBytes(before: Buffer, data: Uint8Array): void {
    const received = Buffer.concat([before, data]);
    const choice = readManifestChoice(received, SUPPORTED_VERSIONS);
    switch (choice.kind) {
      case 'need-more':
        this.phase = { name: 'manifest', received };
        return;
      case 'refused':
        return this.close();
      case 'agreed':
        this.startBolt(choice.version, true);
        return this.receive(received.subarray(choice.consumed));
    }
  }

  private startBolt(version: BoltVersion, viaManifest: boolean): void {
    const table = tableFor(version);
    if (table === null) throw new Error(`no table for agreed Bolt ${formatVersion(version)}`);
    const structures: StructureOptions = {
      elementIds: table.features.elementIds,
      utcDateTime: table.features.dateTime === 'utc',
    };
    this.hydrate = structureHydrator(structures);
    const out = new Outbound(this.options.transport, structureWriter(structures),
      this.options.limits);
    this.ctx = this.createContext(table, out, viaManifest);
    const decoder = new ChunkDecoder(this.options.limits.boltMessageBytesMax);
    this.phase = { name: 'bolt', decoder };
    this.options.logger.debug({ connectionId: this.options.connectionId,
      version: formatVersion(version), viaManifest }, 'bolt version agreed');
  }

  private createContext(table: VersionTable, out: Outbound, viaManifest: boolean) {
    const { connectionId, transport, backend, limits, hints, nowMs, random, rerunTurns } =
      this.options;
    const ctx: ConnectionContext = {
      connectionId, peer: transport.peer, backend, table, limits, hints, out, viaManifest,
      state: 'NEGOTIATION', userAgent: '', auth: null, tx: null, helloDone: false,
      interrupted: () => this.resetsQueued > 0,
      closed: () => this.isClosed(),
      useUtcDateTime: () => {
        const structures = { elementIds: table.features.elementIds, utcDateTime: true };
        this.hydrate = structureHydrator(structures);
        out.useStructures(structureWriter(structures));
      },
      fatal: (error) => this.fatal(error),
      close: () => this.close(),
      nowMs,
      random,
      rerunTurns,
    };
    return ctx;
  }

  private onBoltBytes(decoder: ChunkDecoder, data: Uint8Array): void {
    for (const event of decoder.push(data)) {
      if (event.kind === 'too-large') this.enqueue({ tooLargeBytesMax: event.bytesMax });
      else this.enqueue({ bytes: event.bytes });
    }
    void this.processQueue();
  }

  private enqueue(item: Inbound): void {
    if ('bytes' in item) {
      const bytes = item.bytes;
      // RESET jumps the queue: it is recognised now, while earlier requests may still run.
      if (bytes.byteLength === RESET_MESSAGE_BYTES && bytes[0] === 0xb0 && bytes[1] === 0x0f) {
        this.resetsQueued += 1;
      }
      this.queuedBytes += bytes.byteLength;
    }
    this.queue.push(item);
    const { pipelineRequestsMax, boltMessageBytesMax } = this.options.limits;
    if (!this.readingPaused &&
      (this.queue.length >= pipelineRequestsMax || this.queuedBytes >= boltMessageBytesMax)) {
      this.readingPaused = true;
      this.options.transport.pauseReading();
    }
  }

  private dequeue(): Inbound | undefined {
    const item = this.queue.shift();
    if (item !== undefined && 'bytes' in item) this.queuedBytes -= item.bytes.byteLength;
    const { pipelineRequestsMax, boltMessageBytesMax } = this.options.limits;
    if (this.readingPaused && this.queue.length < pipelineRequestsMax / 2 &&
      this.queuedBytes < boltMessageBytesMax / 2) {
      this.readingPaused = false;
      this.options.transport.resumeReading();
    }
    return item;
  }

  private async processQueue(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      for (let item = this.dequeue(); item !== undefined; item = this.dequeue()) {
        const ctx = this.ctx;
        if (ctx === null || this.isClosed()) return;
        await this.process(ctx, item);
        if (this.isClosed()) return;
        if (this.queue.length === 0) ctx.out.flush();
        else ctx.out.flushIfFull();
      }
    } catch (error) {
      this.onBug(error);
    } finally {
      this.processing = false;
    }
  }

  private isClosed(): boolean {
    return this.phase.name === 'closed';
  }

  private async process(ctx: ConnectionContext, item: Inbound): Promise<void> {
    if (!('bytes' in item)) {
      return this.fatal(new QuiverError('RequestInvalid',
        `A message is larger than boltMessageBytesMax (${item.tooLargeBytesMax} bytes)`));
    }
    const hydrate = this.hydrate;
    if (hydrate === null) throw new Error('bolt phase without a structure hydrator');
    const request = decodeRequest(item.bytes, {
      table: ctx.table, hydrate, depthMax: this.options.limits.packstreamDepthMax,
    });
    if (request.type === 'RESET') {
      this.resetsQueued = Math.max(0, this.resetsQueued - 1);
      return this.onReset(ctx);
    }
    if (request.type === 'GOODBYE') return this.close();
    if (this.resetsQueued > 0) {
      ctx.state = 'INTERRUPTED';
      return ctx.out.ignored();
    }
    if (request.type === 'INVALID') return this.onInvalid(ctx, request.error, request.fatal);
    switch (admit(ctx.state, request)) {
      case 'ignore': return ctx.out.ignored();
      case 'refuse-and-close': return this.fatal(notAllowed(request, ctx));
      case 'refuse': return this.fail(ctx, notAllowed(request, ctx));
      case 'handle': break;
    }
    try {
      await runHandler(ctx, request);
    } catch (error) {
      if (!(error instanceof QuiverError)) this.logBug(error);
      await this.fail(ctx, toQuiverError(error));
    }
  }

  private onInvalid(ctx: ConnectionContext, error: QuiverError, isFatal: boolean) {
    if (isFatal) return this.fatal(error);
    const admission = admit(ctx.state, { type: 'INVALID', error, fatal: false });
    if (admission === 'ignore') return ctx.out.ignored();
    if (admission === 'refuse-and-close') return this.fatal(error);
    return this.fail(ctx, error);
  }

  /** FAILURE, roll back, FAILED: every further request is IGNORED until RESET. */
  private async fail(ctx: ConnectionContext, error: QuiverError): Promise<void> {
    ctx.out.failure(failureMetadata(error, ctx.table.features));
    ctx.state = 'FAILED';
    const tx = ctx.tx;
    ctx.tx = null;
    if (tx !== null) await this.rollbackQuietly(tx.handle);
  }

  private async onReset(ctx: ConnectionContext): Promise<void> {
    const tx = ctx.tx;
    ctx.tx = null;
    if (tx !== null) await this.rollbackQuietly(tx.handle);
    if (ctx.auth !== null) ctx.state = 'READY';
    else ctx.state = ctx.helloDone ? 'AUTHENTICATION' : 'NEGOTIATION';
    ctx.out.success();
  }

  private async rollbackQuietly(handle: { rollback(): Promise<void> }): Promise<void> {
    try {
      await handle.rollback();
    } catch (error) {
      this.options.logger.warn({ connectionId: this.options.connectionId, err: error },
        'rollback failed');
    }
  }

  private fatal(error: QuiverError): void {
    const ctx = this.ctx;
    if (ctx !== null && this.phase.name !== 'closed') {
      ctx.out.failure(failureMetadata(error, ctx.table.features));
      ctx.out.flush();
    }
    this.close();
  }

  private close(): void {
    if (this.phase.name === 'closed') return;
    this.ctx?.out.flush();
    this.shutdown();
    this.options.transport.close();
  }

  private shutdown(): void {
    if (this.phase.name === 'closed') return;
    this.phase = { name: 'closed' };
    this.queue.length = 0;
    this.queuedBytes = 0;
    const ctx = this.ctx;
    if (ctx !== null) {
      ctx.state = 'DEFUNCT';
      const tx = ctx.tx;
      ctx.tx = null;
      if (tx !== null) void this.rollbackQuietly(tx.handle);
    }
    this.options.onClosed();
  }

  private onBug(error: unknown): void {
    this.logBug(error);
    this.close();
  }

  private logBug(error: unknown): void {
    this.options.logger.error({ connectionId: this.options.connectionId, err: error },
      'unexpected error on a Bolt connection');
  }
}

function notAllowed(request: Request, ctx: ConnectionContext): QuiverError {
  return new QuiverError('RequestInvalid',
    `${request.type} is not allowed in state ${ctx.state} ` +
    `(Bolt ${formatVersion(ctx.table.version)})`);
}

function runHandler(ctx: ConnectionContext, request: Request): Promise<void> {
  switch (request.type) {
    case 'HELLO': return onHello(ctx, request);
    case 'LOGON': return onLogon(ctx, request);
    case 'LOGOFF': return onLogoff(ctx);
    case 'TELEMETRY': return onTelemetry(ctx);
    case 'ROUTE': return onRoute(ctx, request);
    case 'RUN': return onRun(ctx, request);
    case 'BEGIN': return onBegin(ctx, request);
    case 'COMMIT': return onCommit(ctx);
    case 'ROLLBACK': return onRollback(ctx);
    case 'PULL': return onPull(ctx, request);
    case 'DISCARD': return onDiscard(ctx, request);
    case 'RESET': case 'GOODBYE': case 'INVALID':
      throw new Error(`${request.type} is settled before the handlers`);
  }
}
