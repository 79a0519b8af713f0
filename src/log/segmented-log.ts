/**
 * The write-ahead log, which is also the Raft log: entries with an index and a term, kept in
 * segment files, durable (fsynced) before append() resolves.
 *
 * Two views of the log live here. The logical one (firstIndex, lastIndex, terms, the tail
 * cache) changes at once when append/truncateSuffix is called, so a caller may append right
 * after truncating without waiting. The disk one trails it: one writer works through a queue
 * of operations in call order, and consecutive appends are written and synced together, so
 * appends made while a sync is in flight share the next one (group commit).
 */
import { assert } from '../assert.js';
import { QuiverError } from '../errors/quiver-error.js';
import { ensureDir, fsyncDir } from './durable-fs.js';
import { recoverLog } from './log-recovery.js';
import { LOG_DEFAULTS } from './log-types.js';
import type { LogEntry, LogLine, LogStats, SegmentedLogOptions } from './log-types.js';
import { recordBytes } from './record-codec.js';
import { SegmentFile } from './segment-file.js';
import type { IndexRange } from './segment-file.js';
import { TailCache } from './tail-cache.js';

/** Told once a queued operation is durable (null) or the log has failed (the error). */
export type LogDone = (error: unknown) => void;

/** An operation waiting for the writer; `done` is called exactly once. */
type QueuedOp =
  | { readonly kind: 'append'; readonly entries: readonly LogEntry[]; readonly bytes: number;
    readonly done: LogDone }
  | { readonly kind: 'truncate'; readonly fromIndex: number; readonly done: LogDone }
  | { readonly kind: 'compact'; readonly index: number; readonly done: LogDone }
  | { readonly kind: 'reset'; readonly index: number; readonly done: LogDone };

type Limits = Required<Omit<SegmentedLogOptions, 'logger'>>;

const RESOLVED = Promise.resolve();

export class SegmentedLog {
  private readonly counters = { appends: 0, entries: 0, fsyncs: 0, bytes: 0 };
  private readonly queue: QueuedOp[] = [];
  private readonly cache: TailCache;
  private draining = false;
  private failure: unknown = null;
  private closing: Promise<void> | null = null;
  /** Bytes of appended records the writer has not written yet. */
  private pendingBytes = 0;

  private constructor(
    private readonly dir: string,
    private readonly limits: Limits,
    private readonly logger: LogLine,
    /** Disk view: the segment files in index order. */
    private readonly segments: SegmentFile[],
    /** Logical view: entries [base, base + terms.length) with their terms. */
    private base: number,
    private terms: number[],
  ) {
    this.cache = new TailCache(this.lastIndex() + 1);
  }

  static async open(dir: string, options: SegmentedLogOptions = {}): Promise<SegmentedLog> {
    const limits = resolveLimits(options);
    const logger = options.logger ?? (() => undefined);
    await ensureDir(dir);
    const recovered = await recoverLog(dir, limits.entryBytesMax, logger);
    return new SegmentedLog(
      dir, limits, logger, recovered.segments, recovered.firstIndex, recovered.terms,
    );
  }

  /** First index still present, or lastIndex() + 1 when the log is empty. */
  firstIndex(): number {
    return this.base;
  }

  /** 0 for a log that never had an entry. */
  lastIndex(): number {
    return this.base + this.terms.length - 1;
  }

  termAt(index: number): number | undefined {
    if (index < this.base || index > this.lastIndex()) return undefined;
    return this.terms[index - this.base];
  }

  get entryBytesMax(): number {
    return this.limits.entryBytesMax;
  }

  stats(): LogStats {
    return { ...this.counters };
  }

  /**
   * Appends entries contiguous with lastIndex() and resolves once they are fsynced. An empty
   * list resolves once everything appended before it is durable. Refused (nothing changes)
   * for an entry over entryBytesMax or when pendingBytesMax of unwritten appends is reached.
   */
  append(entries: readonly LogEntry[]): Promise<void> {
    const { promise, done } = promiseWithDone();
    const refusal = this.appendThen(entries, done);
    return refusal === null ? promise : Promise.reject(refusal);
  }

  /**
   * append() without a promise, for the commit path: `done` is called once the entries are
   * fsynced, or with the error that stopped the log. A refusal is returned instead (and `done`
   * is never called), so a caller is never called back from inside its own call.
   */
  appendThen(entries: readonly LogEntry[], done: LogDone): unknown {
    assert(this.closing === null, 'append after close');
    const refusal = this.refuseAppend(entries);
    if (refusal !== null) return refusal;
    let previousTerm = this.terms[this.terms.length - 1] ?? 0;
    let bytes = 0;
    // Fixed messages: a template would build its text on every commit, failing or not.
    for (let k = 0, next = this.lastIndex() + 1; k < entries.length; k++, next++) {
      const entry = entries[k] as LogEntry;
      assert(entry.index === next, 'an append must continue the log without a gap');
      assert(entry.term >= previousTerm, 'an append must not go back in term');
      previousTerm = entry.term;
      bytes += recordBytes(entry);
    }
    for (const entry of entries) this.terms.push(entry.term);
    this.cache.push(entries);
    this.pendingBytes += bytes;
    this.counters.appends++;
    this.counters.entries += entries.length;
    this.queueOp({ kind: 'append', entries, bytes, done });
    return null;
  }

  /** Raft conflict handling: drops entries with index >= fromIndex, durably. */
  truncateSuffix(fromIndex: number): Promise<void> {
    assert(this.closing === null, 'truncate after close');
    assert(Number.isSafeInteger(fromIndex), 'truncation index must be an integer');
    assert(fromIndex >= this.base, `cannot truncate at ${fromIndex}, before the first index`);
    assert(fromIndex <= this.lastIndex() + 1, `cannot truncate at ${fromIndex}, past the end`);
    if (fromIndex === this.lastIndex() + 1) return this.barrier();
    this.terms.length = fromIndex - this.base;
    this.cache.truncateFrom(fromIndex);
    return this.enqueue((done) => ({ kind: 'truncate', fromIndex, done }));
  }

  /**
   * After a snapshot: drops whole segments whose entries are all before `index` (so some
   * older entries may remain; the newest segment always does). An index past lastIndex()
   * empties the log, which then continues at `index` (a follower given a newer snapshot).
   */
  compactPrefix(index: number): Promise<void> {
    assert(this.closing === null, 'compact after close');
    assert(Number.isSafeInteger(index) && index > 0, 'compaction index must be positive');
    if (index <= this.base) return Promise.resolve();
    if (index <= this.lastIndex()) {
      return this.enqueue((done) => ({ kind: 'compact', index, done }));
    }
    this.base = index;
    this.terms = [];
    this.cache.reset(index);
    return this.enqueue((done) => ({ kind: 'reset', index, done }));
  }

  /**
   * Entries [fromIndex, toIndexExclusive), stopping before bytesMax record bytes (default
   * readBytesMax) but returning at least one entry: callers must expect a shorter answer.
   */
  read(fromIndex: number, toIndexExclusive: number, bytesMax?: number): LogEntry[] {
    assert(this.closing === null, 'read after close');
    assert(fromIndex >= this.base, `read from ${fromIndex} is before the first index`);
    assert(toIndexExclusive <= this.lastIndex() + 1, `read to ${toIndexExclusive} is past the end`);
    assert(fromIndex <= toIndexExclusive, 'read range must not be reversed');
    const out: LogEntry[] = [];
    let budget = bytesMax ?? this.limits.readBytesMax;
    let index = fromIndex;
    while (index < toIndexExclusive) {
      const chunk = index >= this.cache.firstIndex
        ? this.readCached({ fromIndex: index, toIndex: toIndexExclusive }, budget, out.length === 0)
        : this.readDisk({ fromIndex: index, toIndex: toIndexExclusive }, budget, out.length === 0);
      if (chunk.length === 0) break;
      // One push per entry: a chunk can hold more entries than a call takes arguments.
      for (const entry of chunk) {
        budget -= recordBytes(entry);
        out.push(entry);
      }
      index += chunk.length;
    }
    return out;
  }

  /** Waits for every queued write, then closes the files. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.closeFiles();
    return this.closing;
  }

  private async closeFiles(): Promise<void> {
    await this.barrier().catch(() => undefined);
    // A closed log's files hold exactly their records (no preallocated zeros): what backups,
    // dumps and tools that copy the folder expect.
    if (this.failure === null) await this.segments[this.segments.length - 1]?.seal();
    for (const segment of this.segments) await segment.close();
  }

  /** Resolves once everything queued before it is done. */
  private barrier(): Promise<void> {
    return this.enqueue((done) => ({ kind: 'append', entries: [], bytes: 0, done }));
  }

  private refuseAppend(entries: readonly LogEntry[]): unknown {
    if (this.failure !== null) return this.failure;
    let bytes = 0;
    for (const entry of entries) {
      if (entry.data.byteLength > this.limits.entryBytesMax) {
        return new QuiverError('RequestInvalid', `log entry ${entry.index} has ` +
          `${entry.data.byteLength} bytes, over entryBytesMax ${this.limits.entryBytesMax}`);
      }
      bytes += recordBytes(entry);
    }
    if (this.pendingBytes + bytes > this.limits.pendingBytesMax) {
      return new QuiverError('MemoryPoolOutOfMemoryError', 'the log write queue is full ' +
        `(${this.pendingBytes} of pendingBytesMax ${this.limits.pendingBytesMax} bytes waiting)`);
    }
    return null;
  }

  private readCached(range: IndexRange, budget: number, atLeastOne: boolean): LogEntry[] {
    const out: LogEntry[] = [];
    let left = budget;
    for (let index = range.fromIndex; index < range.toIndex; index++) {
      const entry = this.cache.get(index);
      assert(entry !== undefined, `entry ${index} must be cached`);
      left -= recordBytes(entry);
      if (left < 0 && !(atLeastOne && out.length === 0)) break;
      out.push(entry);
    }
    return out;
  }

  private readDisk(range: IndexRange, budget: number, atLeastOne: boolean): LogEntry[] {
    const segment = this.segmentHolding(range.fromIndex);
    const toIndex = Math.min(range.toIndex, segment.lastIndex + 1, this.cache.firstIndex);
    return segment.read({ fromIndex: range.fromIndex, toIndex }, budget, atLeastOne);
  }

  private segmentHolding(index: number): SegmentFile {
    let low = 0;
    let high = this.segments.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.segments[middle]?.firstIndex ?? Infinity) <= index) low = middle;
      else high = middle - 1;
    }
    const segment = this.segments[low];
    assert(segment !== undefined, `no segment for index ${index}`);
    assert(segment.firstIndex <= index && index <= segment.lastIndex, `${index} not on disk`);
    return segment;
  }

  /** Queues the operation `make` builds around the promise's settlement. */
  private enqueue(make: (done: LogDone) => QueuedOp): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const { promise, done } = promiseWithDone();
    this.queueOp(make(done));
    return promise;
  }

  private queueOp(op: QueuedOp): void {
    this.queue.push(op);
    if (this.draining) return;
    this.draining = true;
    // Start on the next microtask so appends made in the same turn share the first sync.
    // A resolved promise rather than queueMicrotask, which builds an AsyncResource per call.
    void RESOLVED.then(() => this.drainNext());
  }

  /**
   * The one writer: takes the next batch, and once it is done (batchDone) comes back for the
   * next, until the queue is empty. The common commit (appends that fit the newest segment's
   * preallocated space) is written here and synced through a callback, so no promise or async
   * frame stands between the fdatasync and the committers; anything else runs runBatch.
   */
  private drainNext(): void {
    if (this.queue.length === 0) {
      this.draining = false;
      return;
    }
    const batch = this.takeBatch();
    let inPlace: SegmentFile | null;
    try {
      inPlace = this.writeInPlace(batch);
    } catch (error) {
      this.fail(error, batch);
      return;
    }
    if (inPlace === null) {
      this.runBatch(batch).then(() => this.batchDone(batch), (e: unknown) => this.fail(e, batch));
      return;
    }
    inPlace.syncThen((error) => {
      if (error !== null) return this.fail(error, batch);
      this.counters.fsyncs++;
      this.batchDone(batch);
    });
  }

  private batchDone(batch: readonly QueuedOp[]): void {
    for (const op of batch) {
      if (op.kind === 'append') this.pendingBytes -= op.bytes;
      op.done(null);
    }
    this.cache.evict(this.stableIndex(), this.limits.cacheBytesMax);
    this.drainNext();
  }

  /**
   * Writes a batch of appends into the newest segment on this thread when they fit its
   * preallocated space, and returns that segment (to be synced); null when runBatch must.
   */
  private writeInPlace(batch: readonly QueuedOp[]): SegmentFile | null {
    const tail = this.segments[this.segments.length - 1];
    const entries = appendedEntries(batch);
    if (tail === undefined || entries.length === 0) return null;
    let bytes = 0;
    for (const entry of entries) bytes += recordBytes(entry);
    if (tail.sizeBytes + bytes > this.limits.segmentBytesMax) return null;
    const written = tail.appendInPlace(entries);
    this.counters.bytes += written;
    return written > 0 ? tail : null;
  }

  /** All appends at the head of the queue, written with one sync; or the one other op. */
  private takeBatch(): QueuedOp[] {
    const batch: QueuedOp[] = [];
    do {
      const op = this.queue.shift();
      assert(op !== undefined, 'takeBatch needs a queued op');
      batch.push(op);
    } while (batch[0]?.kind === 'append' && this.queue[0]?.kind === 'append');
    return batch;
  }

  private async runBatch(batch: readonly QueuedOp[]): Promise<void> {
    const op = batch[0];
    assert(op !== undefined, 'a batch is never empty');
    switch (op.kind) {
      case 'append': {
        const entries = appendedEntries(batch);
        if (entries.length > 0) await this.writeEntries(entries);
        return;
      }
      case 'truncate':
        return this.truncateOnDisk(op.fromIndex);
      case 'compact':
        return this.compactOnDisk(op.index);
      case 'reset':
        return this.resetOnDisk(op.index);
    }
  }

  /**
   * After a failed write or sync nothing on disk can be trusted to match memory (a failed
   * fsync may have dropped dirty pages), so the log stops: every waiting and later call fails.
   */
  private fail(error: unknown, batch: readonly QueuedOp[]): void {
    this.failure = error;
    const message = error instanceof Error ? error.message : String(error);
    this.logger(`The log in ${this.dir} stopped after a failed write: ${message}`);
    this.draining = false;
    for (const op of [...batch, ...this.queue.splice(0)]) op.done(error);
  }

  private async writeEntries(entries: readonly LogEntry[]): Promise<void> {
    let start = 0;
    while (start < entries.length) {
      const first = entries[start];
      assert(first !== undefined, 'writeEntries walks existing entries');
      const segment = await this.segmentFor(first);
      const end = this.fittingEnd(segment, entries, start);
      const fitting = start === 0 && end === entries.length ? entries : entries.slice(start, end);
      this.counters.bytes += await segment.append(fitting, this.limits.segmentBytesMax);
      // A full segment is made durable before the next one exists, so only the newest
      // segment can ever end in a torn record.
      if (end < entries.length) await this.syncFile(segment);
      start = end;
    }
    await this.syncFile(this.tailSegment());
  }

  /** The newest segment if `entry` fits in it, else a new segment starting at `entry`. */
  private async segmentFor(entry: LogEntry): Promise<SegmentFile> {
    const tail = this.segments[this.segments.length - 1];
    assert(tail === undefined || tail.lastIndex + 1 === entry.index, 'disk log is contiguous');
    const fits = (segment: SegmentFile): boolean => segment.recordCount === 0 ||
      segment.sizeBytes + recordBytes(entry) <= this.limits.segmentBytesMax;
    if (tail !== undefined && fits(tail)) return tail;
    if (tail !== undefined) {
      await tail.seal();
      this.counters.fsyncs++;
    }
    const created = await SegmentFile.create(this.dir, entry.index);
    this.segments.push(created);
    await this.syncDir();
    return created;
  }

  /** How far from `start` the entries fit in `segment` (always at least one). */
  private fittingEnd(segment: SegmentFile, entries: readonly LogEntry[], start: number): number {
    let size = segment.sizeBytes + recordBytes(entries[start] as LogEntry);
    let end = start + 1;
    while (end < entries.length) {
      size += recordBytes(entries[end] as LogEntry);
      if (size > this.limits.segmentBytesMax) break;
      end++;
    }
    return end;
  }

  private async truncateOnDisk(fromIndex: number): Promise<void> {
    // Newest segments go first, one durable step at a time, so a crash in between leaves a
    // shorter log without a gap.
    while (this.segments.length > 1 && this.tailSegment().firstIndex >= fromIndex) {
      await this.deleteSegment(this.segments.pop());
    }
    const tail = this.tailSegment();
    assert(tail.firstIndex <= fromIndex, 'truncation must not reach before the disk log');
    if (tail.lastIndex < fromIndex) return;
    await tail.truncateFrom(fromIndex);
    await this.syncFile(tail);
  }

  private async compactOnDisk(index: number): Promise<void> {
    // Oldest segments go first, so a crash in between leaves a log without a gap.
    while (this.segments.length > 1 && (this.segments[0]?.lastIndex ?? Infinity) < index) {
      const oldest = this.segments.shift();
      this.dropLogicalBelow(this.segments[0]?.firstIndex ?? index);
      await this.deleteSegment(oldest);
    }
  }

  private async resetOnDisk(index: number): Promise<void> {
    while (this.segments.length > 0) await this.deleteSegment(this.segments.pop());
    // The empty segment records where the log continues, so a reopen finds the same state.
    this.segments.push(await SegmentFile.create(this.dir, index));
    await this.syncDir();
  }

  private dropLogicalBelow(newFirst: number): void {
    if (newFirst <= this.base) return; // a later reset already moved past it
    assert(newFirst <= this.lastIndex() + 1, 'compaction must not pass the end of the log');
    this.terms.splice(0, newFirst - this.base);
    this.base = newFirst;
    this.cache.dropBelow(newFirst);
  }

  /**
   * The highest index whose disk copy is final: written, and not about to be truncated or
   * reset by a queued operation. Cached entries after it must stay in memory.
   */
  private stableIndex(): number {
    const tail = this.segments[this.segments.length - 1];
    let stable = tail === undefined ? 0 : tail.lastIndex;
    for (const op of this.queue) {
      if (op.kind === 'reset') return 0;
      if (op.kind === 'truncate') stable = Math.min(stable, op.fromIndex - 1);
    }
    return stable;
  }

  private tailSegment(): SegmentFile {
    const tail = this.segments[this.segments.length - 1];
    assert(tail !== undefined, 'the disk log has a segment here');
    return tail;
  }

  private async deleteSegment(segment: SegmentFile | undefined): Promise<void> {
    assert(segment !== undefined, 'deleting an existing segment');
    await segment.closeAndDelete();
    await this.syncDir();
  }

  private async syncFile(segment: SegmentFile): Promise<void> {
    await segment.sync();
    this.counters.fsyncs++;
  }

  private async syncDir(): Promise<void> {
    await fsyncDir(this.dir);
    this.counters.fsyncs++;
  }
}

/** A promise settled by the LogDone callback. */
function promiseWithDone(): { promise: Promise<void>; done: LogDone } {
  let done: LogDone = () => undefined;
  const promise = new Promise<void>((resolve, reject) => {
    done = (error) => {
      if (error === null) resolve();
      else reject(error);
    };
  });
  return { promise, done };
}

/** The entries of a batch of appends; one commit alone (the common case) is its own list. */
function appendedEntries(batch: readonly QueuedOp[]): readonly LogEntry[] {
  const first = batch[0];
  if (batch.length === 1 && first?.kind === 'append') return first.entries;
  return batch.flatMap((queued) => (queued.kind === 'append' ? queued.entries : []));
}

function resolveLimits(options: SegmentedLogOptions): Limits {
  const limits: Limits = {
    segmentBytesMax: options.segmentBytesMax ?? LOG_DEFAULTS.segmentBytesMax,
    entryBytesMax: options.entryBytesMax ?? LOG_DEFAULTS.entryBytesMax,
    pendingBytesMax: options.pendingBytesMax ?? LOG_DEFAULTS.pendingBytesMax,
    cacheBytesMax: options.cacheBytesMax ?? LOG_DEFAULTS.cacheBytesMax,
    readBytesMax: options.readBytesMax ?? LOG_DEFAULTS.readBytesMax,
  };
  for (const [name, value] of Object.entries(limits)) {
    assert(Number.isSafeInteger(value) && value > 0, `${name} must be a positive integer`);
  }
  // Otherwise an entry that entryBytesMax allows could never be appended.
  assert(limits.pendingBytesMax > limits.entryBytesMax, 'pendingBytesMax must be larger');
  assert(limits.entryBytesMax < 2 ** 32, 'entryBytesMax must fit the u32 record length');
  return limits;
}
