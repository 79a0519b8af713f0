/**
 * Raft's hard state (current term, vote, commit index) in one small file that is replaced
 * atomically: a crash leaves the old state or the new one, never a mix.
 *
 * File: u32 magic 'QVHS', u32 CRC-32C of the rest, u32 JSON length, JSON {term, vote, commit}.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assert } from '../assert.js';
import { QuiverError } from '../errors/quiver-error.js';
import { crc32c } from './crc32c.js';
import { ensureDir, removeTemporary, replaceFileAtomically } from './durable-fs.js';
import { isCount, isNotFound } from './field-checks.js';

export interface HardStateRecord {
  readonly term: number;
  readonly vote: string | null;
  readonly commit: number;
}

const FILE_NAME = 'hard-state';
const MAGIC = 0x53485651; // 'QVHS' read as little-endian u32
const HEADER_BYTES = 12;
/** Member ids are short; a bigger file is not one we wrote. */
const FILE_BYTES_MAX = 64 * 1024;
const INITIAL: HardStateRecord = { term: 0, vote: null, commit: 0 };

export class HardStateFile {
  /** Saves run one after another, in call order. */
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly dir: string,
    private current: HardStateRecord,
  ) {}

  static async open(dir: string): Promise<HardStateFile> {
    await ensureDir(dir);
    await removeTemporary(join(dir, `${FILE_NAME}.tmp`));
    const path = join(dir, FILE_NAME);
    const bytes = await readFile(path).catch((error: unknown) => {
      if (isNotFound(error)) return null;
      throw error;
    });
    return new HardStateFile(dir, bytes === null ? INITIAL : decodeHardState(path, bytes));
  }

  /** The state of the last save() call (the initial state for a new folder). */
  read(): HardStateRecord {
    return this.current;
  }

  /** Resolves once `state` is durable. The term never goes backwards. */
  save(state: HardStateRecord): Promise<void> {
    assert(Number.isSafeInteger(state.term) && state.term >= 0, 'term must be a count');
    assert(Number.isSafeInteger(state.commit) && state.commit >= 0, 'commit must be an index');
    assert(state.term >= this.current.term, `term ${state.term} after ${this.current.term}`);
    const bytes = encodeHardState(state);
    assert(bytes.length <= FILE_BYTES_MAX, 'hard state must stay small');
    this.current = { term: state.term, vote: state.vote, commit: state.commit };
    const write = this.writing.then(() => replaceFileAtomically(this.dir, FILE_NAME, bytes));
    // The chain continues after a failure; the failed caller still sees its own rejection.
    this.writing = write.catch(() => undefined);
    return write;
  }
}

function encodeHardState(state: HardStateRecord): Buffer {
  const json = Buffer.from(JSON.stringify({
    term: state.term, vote: state.vote, commit: state.commit,
  }));
  const bytes = Buffer.alloc(HEADER_BYTES + json.length);
  bytes.writeUInt32LE(MAGIC, 0);
  bytes.writeUInt32LE(json.length, 8);
  json.copy(bytes, HEADER_BYTES);
  bytes.writeUInt32LE(crc32c(bytes.subarray(8)), 4);
  return bytes;
}

function decodeHardState(path: string, bytes: Buffer): HardStateRecord {
  const damaged = (reason: string): QuiverError => new QuiverError('StorageDamageDetected',
    `${path}: ${reason}; the Raft hard state is damaged; restore from backup or a cluster member`);
  if (bytes.length < HEADER_BYTES || bytes.length > FILE_BYTES_MAX) {
    throw damaged(`unexpected size ${bytes.length}`);
  }
  if (bytes.readUInt32LE(0) !== MAGIC) throw damaged('not a hard-state file (bad magic)');
  if (bytes.readUInt32LE(8) !== bytes.length - HEADER_BYTES) throw damaged('length mismatch');
  if (crc32c(bytes.subarray(8)) !== bytes.readUInt32LE(4)) throw damaged('checksum mismatch');
  const parsed: unknown = JSON.parse(bytes.subarray(HEADER_BYTES).toString('utf8'));
  if (!isHardState(parsed)) throw damaged('unexpected content');
  return parsed;
}

function isHardState(value: unknown): value is HardStateRecord {
  if (typeof value !== 'object' || value === null) return false;
  const { term, vote, commit } = value as Record<string, unknown>;
  return isCount(term) && isCount(commit) && (vote === null || typeof vote === 'string');
}
