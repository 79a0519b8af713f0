/**
 * The consistency check of a graph snapshot's bytes (format 2, src/graph/snapshot.ts), in one
 * pass and without building a GraphStore: bytes are pushed as they arrive (the backup client
 * pushes each chunk while the next one is on the wire), whole blocks are decoded into bitmaps,
 * and nothing per relationship is allocated. Building the store cost 3 s of a 9 s backup of the
 * benchmark graph and then the store check decoded it again (docs/decisions/0013).
 *
 * A snapshot holds records only: adjacency lists, label sets and property indexes are derived
 * from them when the snapshot is loaded. So the check verifies what they are derived from:
 * framing and every value's encoding, ids unique and below the header's allocators, name ids
 * known, every relationship's endpoints among the nodes before it (the loader's order), unique
 * constraints held, block counts equal to the records in them, users and schema readable.
 */
import { AssertionFailed } from '../assert.js';
import { UserStore } from '../auth/user-store.js';
import type { SchemaChange } from '../graph/changeset.js';
import { propertyIndexKey, type IndexKey } from '../graph/property-codec.js';
import { SchemaState } from '../graph/schema-state.js';
import { ByteReader, readValue, Tag } from '../graph/snapshot-codec.js';
import {
  BLOCK_HEADER_BYTES, FORMAT_BINARY, NEWLINE, NODE_BLOCK, REL_BLOCK,
} from '../graph/snapshot.js';
import { IDS_MAX } from '../graph/rel-columns.js';
import type { PropertyValue } from '../graph/values.js';
import { ProblemList, type ConsistencyReport } from './consistency-check.js';

/** Largest header line or block buffered: writeSnapshot's blocks hold 5000 entities. */
const UNIT_BYTES_MAX = 256 * 1024 * 1024;
/** The allocators are one past the largest id the store's Int32 columns can hold. */
const NEXT_ID_MAX = IDS_MAX + 1;
/** Shapes the default user only; the check ignores users beyond their records reading back. */
const CHECK_PASSWORD = { password: 'neo4j', changeRequired: true };
const EMPTY = Buffer.alloc(0);

export interface SnapshotCheckReport extends ConsistencyReport {
  /** The log index the snapshot stands at (its header's version; 0 when unreadable). */
  readonly index: number;
}

/** A set of u32 ids as a bitmap that grows to the largest id added. */
class IdBitmap {
  private words = new Uint32Array(1024);

  /** Adds `id`; false when it was already there. */
  add(id: number): boolean {
    const word = id >>> 5;
    if (word >= this.words.length) {
      const grown = new Uint32Array(Math.max(word + 1, this.words.length * 2));
      grown.set(this.words);
      this.words = grown;
    }
    const bit = 1 << (id & 31);
    const had = ((this.words[word] as number) & bit) !== 0;
    this.words[word] = (this.words[word] as number) | bit;
    return !had;
  }

  has(id: number): boolean {
    return (((this.words[id >>> 5] ?? 0) >>> (id & 31)) & 1) === 1;
  }
}

/** A uniqueness rule on one label and key, with the owner of each value seen so far. */
interface UniqueRule {
  readonly keyId: number;
  readonly constraint: string;
  readonly label: string;
  readonly key: string;
  readonly owners: Map<IndexKey, number>;
}

interface Header {
  readonly version: number;
  readonly nextNodeId: number;
  readonly nextRelId: number;
  readonly labelCount: number;
  readonly typeCount: number;
  readonly keyCount: number;
  /** Label id -> the uniqueness rules on nodes with that label. */
  readonly unique: ReadonlyMap<number, readonly UniqueRule[]>;
}

export class SnapshotChecker {
  private readonly problems: ProblemList;
  private readonly nodes = new IdBitmap();
  private readonly rels = new IdBitmap();
  /** Bytes pushed but not yet checked: the start of an incomplete header line or block. */
  private pieces: Buffer[] = [];
  private piecesBytes = 0;
  /** Bytes the incomplete block needs before it can be checked. */
  private unitBytes = BLOCK_HEADER_BYTES;
  private header: Header | null = null;
  /** Set when the bytes stop making sense: nothing after that point is read. */
  private stopped = false;
  /** Set when the snapshot is in the older JSON-lines format, which this check does not read. */
  private olderFormat = false;
  private nodeCount = 0;
  private relationshipCount = 0;
  /** Every byte pushed, checked or not. */
  bytesPushed = 0;

  constructor(problemsMax = 1000) {
    this.problems = new ProblemList(problemsMax);
  }

  /**
   * Checks every whole header line or block that `bytes` completes and keeps the rest. Pieces
   * are gathered into one buffer only once they complete something, so a unit arriving in many
   * pieces is copied once.
   */
  push(bytes: Uint8Array): void {
    this.bytesPushed += bytes.length;
    if (this.stopped || bytes.length === 0) return;
    const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pieces.push(chunk);
    this.piecesBytes += chunk.length;
    const ready = this.header === null ? chunk.includes(NEWLINE)
      : this.piecesBytes >= this.unitBytes;
    if (!ready) {
      if (this.piecesBytes > UNIT_BYTES_MAX) this.stop('the header line never ends');
      return;
    }
    const buffer = this.pieces.length === 1 ? chunk : Buffer.concat(this.pieces);
    let at = 0;
    for (let used = -1; used !== 0 && !this.stopped; at += used) {
      used = this.header === null ? this.readHeaderLine(buffer, at) : this.readBlock(buffer, at);
    }
    const rest = this.stopped ? EMPTY : buffer.subarray(at);
    this.pieces = rest.length === 0 ? [] : [rest];
    this.piecesBytes = rest.length;
    this.unitBytes = rest.length < BLOCK_HEADER_BYTES ? BLOCK_HEADER_BYTES
      : BLOCK_HEADER_BYTES + rest.readUInt32LE(5);
    if (this.unitBytes > UNIT_BYTES_MAX) {
      this.stop(`a block of ${this.unitBytes} bytes is over the limit of ${UNIT_BYTES_MAX}`);
    }
  }

  /** The report once every byte was pushed; null for a snapshot in the older format. */
  finish(): SnapshotCheckReport | null {
    if (this.olderFormat) return null;
    if (!this.stopped && this.header === null) this.stop('the snapshot has no header line');
    if (!this.stopped && this.piecesBytes > 0) {
      this.stop('the snapshot ends in the middle of a block');
    }
    return { problems: this.problems.lines, problemsUnlisted: this.problems.unlisted,
      nodeCount: this.nodeCount, relationshipCount: this.relationshipCount,
      index: this.header?.version ?? 0 };
  }

  private stop(why: string): void {
    this.problems.add(`The snapshot is damaged: ${why}`);
    this.stopped = true;
  }

  /** Bytes used by the header line at `at`, or 0 when it is not complete yet. */
  private readHeaderLine(buffer: Buffer, at: number): number {
    const end = buffer.indexOf(NEWLINE, at);
    if (end < 0) return 0;
    const text = buffer.toString('utf8', at, end);
    const header = parseHeader(text);
    if (header === 'older') this.olderFormat = true;
    if (typeof header === 'string') {
      this.stopped = true;
      if (header !== 'older') this.problems.add(`The snapshot is damaged: ${header}`);
      return 0;
    }
    this.header = header;
    return end + 1 - at;
  }

  /** Bytes used by the block at `at`, or 0 when it is not complete yet. */
  private readBlock(buffer: Buffer, at: number): number {
    if (buffer.length - at < BLOCK_HEADER_BYTES) return 0;
    const kind = buffer[at] as number;
    const count = buffer.readUInt32LE(at + 1);
    const payloadBytes = buffer.readUInt32LE(at + 5);
    if (kind !== NODE_BLOCK && kind !== REL_BLOCK) {
      this.stop(`unknown block kind ${kind}`);
      return 0;
    }
    const end = at + BLOCK_HEADER_BYTES + payloadBytes;
    if (end > buffer.length) return 0;
    const c = new RecordCursor(buffer.subarray(at + BLOCK_HEADER_BYTES, end));
    try {
      if (kind === NODE_BLOCK) this.readNodes(c, count);
      else this.readRels(c, count);
    } catch (error) {
      // The codec's own messages start with its name; ours already say it is the snapshot.
      this.stop(error instanceof RangeError ? 'a record runs past the end of its block'
        : String(error instanceof Error ? error.message : error).replace(/^snapshot: /, ''));
      return 0;
    }
    if (!c.done) this.stop('a block does not end where its length says');
    return end - at;
  }

  private readNodes(c: RecordCursor, count: number): void {
    const header = this.header as Header;
    for (let i = 0; i < count; i++) {
      const id = c.u32();
      this.nodeCount++;
      if (!this.nodes.add(id)) this.problems.add(`Node ${id} is in the snapshot twice`);
      if (id >= header.nextNodeId) this.problems.add(`Node ${id} is at or above the next node id`);
      let rules: UniqueRule[] | null = null;
      const labelCount = c.u32();
      for (let l = 0; l < labelCount; l++) {
        const label = c.u32();
        if (label >= header.labelCount) this.problems.add(`Node ${id} has unknown label ${label}`);
        const onLabel = header.unique.get(label);
        if (onLabel !== undefined) rules = [...(rules ?? []), ...onLabel];
      }
      const propertyCount = c.u32();
      for (let p = 0; p < propertyCount; p++) {
        const key = c.u32();
        if (key >= header.keyCount) this.problems.add(`Node ${id} has unknown property key ${key}`);
        const rule = rules?.find((r) => r.keyId === key);
        if (rule === undefined) c.skipValue();
        else this.claimValue(rule, propertyIndexKey(c.value()), id);
      }
    }
  }

  private claimValue(rule: UniqueRule, value: IndexKey, id: number): void {
    const other = rule.owners.get(value);
    if (other !== undefined) {
      this.problems.add(`Constraint ${rule.constraint}: nodes ${other} and ${id} share the ` +
        `value of :${rule.label}.${rule.key}`);
    }
    rule.owners.set(value, id);
  }

  private readRels(c: RecordCursor, count: number): void {
    const header = this.header as Header;
    for (let i = 0; i < count; i++) {
      const id = c.u32();
      const type = c.u32();
      const start = c.u32();
      const end = c.u32();
      for (let p = c.u32(); p > 0; p--) {
        c.u32();
        c.skipValue();
      }
      this.relationshipCount++;
      if (!this.rels.add(id)) this.problems.add(`Relationship ${id} is in the snapshot twice`);
      if (id >= header.nextRelId) {
        this.problems.add(`Relationship ${id} is at or above the next id`);
      }
      if (type >= header.typeCount) {
        this.problems.add(`Relationship ${id} has unknown type ${type}`);
      }
      if (!this.nodes.has(start)) {
        this.problems.add(`Relationship ${id} starts at missing node ${start}`);
      }
      if (!this.nodes.has(end)) this.problems.add(`Relationship ${id} ends at missing node ${end}`);
    }
  }
}

/**
 * A cursor over one block's records that allocates nothing for the values it skips: the
 * codec's ByteReader makes a view per string and per number, 2.2M times for the benchmark
 * graph. Values that can fail to decode (JSON ones) and values a check needs are decoded by
 * the codec itself. Past the end, DataView throws RangeError.
 */
class RecordCursor {
  private readonly view: DataView;
  private readonly reader: ByteReader;
  at = 0;

  constructor(bytes: Buffer) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.reader = new ByteReader(bytes);
  }

  get done(): boolean {
    return this.at === this.view.byteLength;
  }

  u32(): number {
    const v = this.view.getUint32(this.at, true);
    this.at += 4;
    return v;
  }

  /** Moves past one value; a JSON value is decoded, as reading it would, to prove it reads. */
  skipValue(): void {
    const tag = this.view.getUint8(this.at);
    if (tag === Tag.Json) {
      this.value();
    } else if (tag === Tag.Integer || tag === Tag.Float) {
      this.view.getUint8(this.at + 8); // the last byte is there
      this.at += 9;
    } else if (tag === Tag.String) {
      const n = this.view.getUint32(this.at + 1, true);
      if (n > 0) this.view.getUint8(this.at + 4 + n);
      this.at += 5 + n;
    } else if (tag === Tag.False || tag === Tag.True) {
      this.at += 1;
    } else {
      throw new Error(`unknown value tag ${tag}`);
    }
  }

  value(): PropertyValue {
    this.reader.at = this.at;
    const value = readValue(this.reader);
    this.at = this.reader.at;
    return value;
  }
}

/** Checks a whole snapshot held in memory (a backup's stored snapshot). */
export function checkSnapshotBytes(bytes: Uint8Array, problemsMax = 1000):
  SnapshotCheckReport | null {
  const checker = new SnapshotChecker(problemsMax);
  checker.push(bytes);
  return checker.finish();
}

/** The header's facts, 'older' for a format 1 snapshot, or why it is unreadable. */
function parseHeader(text: string): Header | string {
  let parsed: unknown;
  try {
    parsed = (JSON.parse(text) as { header?: unknown } | null)?.header;
  } catch {
    return 'the header line is not JSON';
  }
  const h = (parsed ?? {}) as Record<string, unknown>;
  if (h['format'] === 'quiver-graph-snapshot/1') return 'older';
  if (h['format'] !== FORMAT_BINARY) return 'not a QuiverDB graph snapshot';
  const isCount = (n: unknown, max: number): boolean => Number.isSafeInteger(n) &&
    (n as number) >= 0 && (n as number) <= max;
  if (!isCount(h['version'], Number.MAX_SAFE_INTEGER) || !isCount(h['nextNodeId'], NEXT_ID_MAX) ||
    !isCount(h['nextRelId'], NEXT_ID_MAX)) {
    return 'the header\'s version or id allocators are not counts';
  }
  const names = [h['labels'], h['types'], h['keys']];
  if (!names.every((list) => Array.isArray(list) && list.every((n) => typeof n === 'string'))) {
    return 'the header\'s name lists are not lists of names';
  }
  const [labels, types, keys] = names as string[][];
  const unique = uniqueRules(h['schema'], labels as string[], keys as string[]);
  if (typeof unique === 'string') return unique;
  const users = readableUsers(h['system']);
  if (users !== null) return users;
  return { version: h['version'] as number, nextNodeId: h['nextNodeId'] as number,
    nextRelId: h['nextRelId'] as number, labelCount: labels?.length ?? 0,
    typeCount: types?.length ?? 0, keyCount: keys?.length ?? 0, unique };
}

/**
 * The schema applied as the loader applies it, then the uniqueness rules the store check
 * verifies: unique single-property node indexes owned by a constraint.
 */
function uniqueRules(schema: unknown, labels: readonly string[], keys: readonly string[]):
  Map<number, UniqueRule[]> | string {
  if (!Array.isArray(schema)) return 'the header has no schema list';
  const state = new SchemaState();
  try {
    for (const change of schema as SchemaChange[]) applySchemaChange(state, change);
  } catch (error) {
    if (!(error instanceof AssertionFailed) && !(error instanceof TypeError)) throw error;
    return `the header's schema does not apply (${error.message})`;
  }
  const rules = new Map<number, UniqueRule[]>();
  for (const ix of state.indexes()) {
    const [key] = ix.properties;
    if (ix.entity !== 'NODE' || ix.kind === 'LOOKUP' || ix.properties.length !== 1 ||
      key === undefined || ix.owningConstraint === null) continue;
    const labelId = labels.indexOf(ix.labelOrType);
    const keyId = keys.indexOf(key);
    if (labelId < 0 || keyId < 0) continue; // no node has them, so no value can repeat
    const rule = { keyId, constraint: ix.owningConstraint, label: ix.labelOrType, key,
      owners: new Map<IndexKey, number>() };
    rules.set(labelId, [...(rules.get(labelId) ?? []), rule]);
  }
  return rules;
}

function applySchemaChange(state: SchemaState, change: SchemaChange): void {
  switch (change.op) {
    case 'createIndex': return state.addIndex(change.index);
    case 'dropIndex': return state.dropIndex(change.name);
    case 'createConstraint': return void state.addConstraint(change.constraint);
    case 'dropConstraint': return void state.dropConstraint(change.name);
    default: throw new TypeError(`unknown schema change ${JSON.stringify(change)}`);
  }
}

/** Null when the users and roles read back as the server reads them at start. */
function readableUsers(system: unknown): string | null {
  if (!Array.isArray(system)) return 'the header has no system records';
  try {
    new UserStore(CHECK_PASSWORD).restore(system);
    return null;
  } catch (error) {
    return `the users and roles do not read back (${error instanceof Error ? error.message
      : String(error)})`;
  }
}
