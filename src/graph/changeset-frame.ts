/**
 * A ChangeSet in its binary form (format 1, docs/decisions/0042): the bytes of a log entry,
 * read in place by the applier. Layout, little-endian:
 *
 *   u8 format | u32 nodeCount | u32 relCount | u32 relDeleteCount | u32 relsAt | u32 extrasAt
 *   nodes:  u8 op | u32 id | create, update: u32 labelCount, u32 label… , props
 *   rels:   u8 op | u32 id | create: u32 type, u32 start, u32 end | create, update: props
 *   extras: u32 bytes + schema JSON | u32 bytes + system JSON (0: none)
 *           | three name tables (labels, types, keys): u32 count, (u32 bytes, UTF-8)…
 *
 * `props` is u32 byteCount then the property arena's form (snapshot-codec.ts writeProps) with
 * key numbers indexing the key table: a member copies them into its arena, mapping each key
 * number to its own key id, without decoding a value. Labels and types index their tables.
 */
import type { EncodedRange } from './property-arena.js';
import type { ChangeSet, EncodedProps, NodeChange, RelChange, SchemaChange } from './changeset.js';
import { encodeProperty } from './property-codec.js';
import type { Interner } from './interner.js';
import { IDS_MAX } from './rel-columns.js';
import { ByteReader, checkValue, PROP_COUNT_BYTES, u32At, valueAt } from './snapshot-codec.js';
import type { NodeId, RelId } from './types.js';

/** The first byte of a binary ChangeSet; a JSON one (written before) starts with '{'. */
export const FRAME_FORMAT = 1;
export const FRAME_HEADER_BYTES = 21;
/** Where the header's fields are. */
export const HeaderAt = { NodeCount: 1, RelCount: 5, RelDeleteCount: 9, RelsAt: 13,
  ExtrasAt: 17 } as const;
/** The op byte of a node or relationship change. */
export const Op = { Create: 0, Update: 1, Delete: 2 } as const;
const OP_NAMES = ['create', 'update', 'delete'] as const;

/** Names of a frame's labels, types and keys, and what they are in one store. */
export interface FrameNames {
  readonly labels: readonly number[];
  readonly types: readonly number[];
  readonly keys: readonly number[];
}

/** What a frame's header and extras say, read once when it is written or parsed. */
export interface FrameParts {
  readonly nodeCount: number;
  readonly relCount: number;
  readonly relDeleteCount: number;
  readonly relsAt: number;
  readonly labelNames: readonly string[];
  readonly typeNames: readonly string[];
  readonly keyNames: readonly string[];
  readonly schema: SchemaChange[];
  readonly system: unknown[] | undefined;
}

export class ChangeSetFrame implements ChangeSet {
  readonly schema: SchemaChange[];
  readonly system?: unknown[];
  private objectNodes: NodeChange[] | null = null;
  private objectRels: RelChange[] | null = null;

  /** `bytes` must be a whole, well-formed frame: written here, or checked by parseFrame. */
  constructor(readonly bytes: Buffer, readonly parts: FrameParts) {
    this.schema = parts.schema;
    if (parts.system !== undefined) this.system = parts.system;
  }

  /** The node changes as objects, for readers other than the applier (made once). */
  get nodes(): NodeChange[] {
    return (this.objectNodes ??= this.objectNodeChanges());
  }

  get rels(): RelChange[] {
    return (this.objectRels ??= this.objectRelChanges());
  }

  /** Interns the frame's names into a store's interners, in table order. */
  namesIn(labels: Interner, types: Interner, keys: Interner): FrameNames {
    return { labels: internAll(this.parts.labelNames, labels), types: internAll(this.parts.typeNames, types),
      keys: internAll(this.parts.keyNames, keys) };
  }

  private objectNodeChanges(): NodeChange[] {
    const out: NodeChange[] = [];
    const c = new FrameCursor(this, undefined);
    for (c.toNodes(); c.nextNode();) {
      const id = c.id as NodeId;
      if (c.op === Op.Delete) {
        out.push({ op: 'delete', id });
        continue;
      }
      const labels: string[] = [];
      for (let i = 0; i < c.labelCount; i++) labels.push(this.parts.labelNames[c.labelAt(i)] as string);
      out.push({ op: c.op === Op.Create ? 'create' : 'update', id, labels,
        props: this.objectProps(c) });
    }
    return out;
  }

  private objectRelChanges(): RelChange[] {
    const out: RelChange[] = [];
    const c = new FrameCursor(this, undefined);
    for (c.toRels(); c.nextRel();) {
      const id = c.id as RelId;
      if (c.op === Op.Delete) out.push({ op: 'delete', id });
      else if (c.op === Op.Update) out.push({ op: 'update', id, props: this.objectProps(c) });
      else {
        out.push({ op: 'create', id, type: this.parts.typeNames[c.type] as string,
          start: c.startNode as NodeId, end: c.endNode as NodeId, props: this.objectProps(c) });
      }
    }
    return out;
  }

  private objectProps(c: FrameCursor): EncodedProps {
    const out: EncodedProps = [];
    const bytes = this.bytes;
    const r = new ByteReader(bytes);
    r.at = c.start + PROP_COUNT_BYTES;
    for (let i = 0; i < u32At(bytes, c.start); i++) {
      const key = this.parts.keyNames[r.u32()] as string;
      const at = r.at;
      checkValue(r);
      out.push([key, encodeProperty(valueAt(bytes, at))]);
    }
    return out;
  }
}

function internAll(names: readonly string[], into: Interner): number[] {
  const out = new Array<number>(names.length);
  for (let i = 0; i < names.length; i++) out[i] = into.intern(names[i] as string);
  return out;
}

/**
 * Reads a frame's changes one at a time into its own fields: no object per change. It is also
 * the EncodedRange of the current change's properties, which the arena copies at once.
 */
export class FrameCursor implements EncodedRange {
  readonly bytes: Buffer;
  /** The current change's encoded properties: [start, end) of `bytes` (empty for deletes). */
  start = 0;
  end = 0;
  op = 0;
  id = 0;
  labelCount = 0;
  type = 0;
  /** Node ids of the ends of a created relationship. */
  startNode = 0;
  endNode = 0;
  private labelsAt = 0;
  private at = 0;
  private left = 0;

  /** `keyIds` maps key numbers to the store's ids for the arena; undefined: reading only. */
  constructor(private readonly frame: ChangeSetFrame,
    readonly keyIds: readonly number[] | undefined) {
    this.bytes = frame.bytes;
  }

  toNodes(): void {
    this.at = FRAME_HEADER_BYTES;
    this.left = this.frame.parts.nodeCount;
  }

  toRels(): void {
    this.at = this.frame.parts.relsAt;
    this.left = this.frame.parts.relCount;
  }

  labelAt(i: number): number {
    return u32At(this.bytes, this.labelsAt + 4 * i);
  }

  /** The current node's labels as ids of a store (`labelIds` from namesIn), a new array. */
  labelIds(labelIds: readonly number[]): number[] {
    const out = new Array<number>(this.labelCount);
    for (let i = 0; i < this.labelCount; i++) out[i] = labelIds[this.labelAt(i)] as number;
    return out;
  }

  nextNode(): boolean {
    if (this.left === 0) return false;
    this.left--;
    this.head();
    if (this.op !== Op.Delete) {
      this.labelCount = u32At(this.bytes, this.at);
      this.labelsAt = this.at + 4;
      this.at = this.labelsAt + 4 * this.labelCount;
      this.props();
    }
    return true;
  }

  nextRel(): boolean {
    if (this.left === 0) return false;
    this.left--;
    this.head();
    const bytes = this.bytes;
    if (this.op === Op.Create) {
      this.type = u32At(bytes, this.at);
      this.startNode = u32At(bytes, this.at + 4);
      this.endNode = u32At(bytes, this.at + 8);
      this.at += 12;
    }
    if (this.op !== Op.Delete) this.props();
    return true;
  }

  private head(): void {
    this.op = this.bytes[this.at] as number;
    this.id = u32At(this.bytes, this.at + 1);
    this.at += 5;
    this.start = this.end = this.at;
  }

  private props(): void {
    const n = u32At(this.bytes, this.at);
    this.start = this.at + 4;
    this.end = this.at = this.start + n;
  }
}

/** Thrown for bytes that are not a well-formed ChangeSet (decodeChangeSet says which entry). */
export class CorruptChangeSet extends Error {
  override name = 'CorruptChangeSet';
}

/** Checks every length, count, op, name number and id of a frame from outside, then wraps it. */
export function parseFrame(bytes: Buffer): ChangeSetFrame {
  if (bytes.length < FRAME_HEADER_BYTES) corrupt('shorter than its header');
  if (bytes[0] !== FRAME_FORMAT) corrupt(`unknown format ${String(bytes[0])}`);
  const relsAt = u32At(bytes, HeaderAt.RelsAt);
  const extrasAt = u32At(bytes, HeaderAt.ExtrasAt);
  if (extrasAt > bytes.length) corrupt(`cut short: ${bytes.length} bytes of over ${extrasAt}`);
  if (!(FRAME_HEADER_BYTES <= relsAt && relsAt <= extrasAt)) corrupt('sections out of order');
  const r = new ByteReader(bytes, 'ChangeSet');
  try {
    r.at = extrasAt;
    const schema = jsonArray(r, 'schema') ?? [];
    const system = jsonArray(r, 'system');
    const labelNames = nameTable(r);
    const typeNames = nameTable(r);
    const keyNames = nameTable(r);
    check(r.done, 'bytes after the name tables');
    const names = { labels: labelNames.length, types: typeNames.length, keys: keyNames.length };
    r.at = FRAME_HEADER_BYTES;
    const nodeCount = u32At(bytes, HeaderAt.NodeCount);
    checkChanges(r, nodeCount, names, false);
    check(r.at === relsAt, 'nodes do not end where relationships start');
    const relCount = u32At(bytes, HeaderAt.RelCount);
    const relDeleteCount = checkChanges(r, relCount, names, true);
    check(r.at === extrasAt, 'relationships do not end where the extras start');
    check(relDeleteCount === u32At(bytes, HeaderAt.RelDeleteCount),
      'wrong relationship delete count');
    return new ChangeSetFrame(bytes, { nodeCount, relCount, relDeleteCount, relsAt, labelNames,
      typeNames, keyNames, schema: schema as SchemaChange[], system });
  } catch (thrown) {
    // A name this code does not define is a bug here, not in the bytes.
    if (thrown instanceof CorruptChangeSet || thrown instanceof ReferenceError) throw thrown;
    // The reader's own errors (past the end, an unknown value tag), and JSON's.
    return corrupt(thrown instanceof Error ? thrown.message : String(thrown));
  }
}

interface NameCounts {
  readonly labels: number;
  readonly types: number;
  readonly keys: number;
}

/** Checks `count` node (or relationship) changes; returns how many are deletes. */
function checkChanges(r: ByteReader, count: number, names: NameCounts, rels: boolean): number {
  // Each change takes at least five bytes: a count larger than that is not believed.
  check(count <= (r.bytes.length - r.at) / 5, 'more changes than bytes');
  let deletes = 0;
  for (let i = 0; i < count; i++) {
    const op = r.u8();
    if (op > Op.Delete) corrupt(`unknown op ${op}`);
    check(r.u32() <= IDS_MAX, 'id out of range');
    if (op === Op.Delete) deletes++;
    else if (rels) checkRel(r, op, names);
    else checkNode(r, names);
  }
  return deletes;
}

function checkNode(r: ByteReader, names: NameCounts): void {
  const labelCount = r.u32();
  check(labelCount <= (r.bytes.length - r.at) / 4, 'more labels than bytes');
  for (let i = 0; i < labelCount; i++) check(r.u32() < names.labels, 'label outside the table');
  checkProps(r, names.keys);
}

function checkRel(r: ByteReader, op: number, names: NameCounts): void {
  if (op === Op.Create) {
    check(r.u32() < names.types, 'type outside the table');
    check(r.u32() <= IDS_MAX, 'start node id out of range');
    check(r.u32() <= IDS_MAX, 'end node id out of range');
  }
  checkProps(r, names.keys);
}

function checkProps(r: ByteReader, keyCount: number): void {
  const bytes = r.u32();
  const end = r.at + bytes;
  const count = r.u32();
  check(count <= bytes / 5, 'more properties than bytes');
  for (let i = 0; i < count; i++) {
    check(r.u32() < keyCount, 'key outside the table');
    checkValue(r);
  }
  check(r.at === end, 'properties do not fill their byte count');
}

function jsonArray(r: ByteReader, what: string): unknown[] | undefined {
  const n = r.u32();
  if (n === 0) return undefined;
  const start = r.at;
  r.skip(n);
  const parsed: unknown = JSON.parse(r.bytes.toString('utf8', start, start + n));
  if (!Array.isArray(parsed)) corrupt(`${what} is not a list`);
  return parsed as unknown[];
}

function nameTable(r: ByteReader): string[] {
  const count = r.u32();
  check(count <= (r.bytes.length - r.at) / 4, 'more names than bytes');
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = r.u32();
    const start = r.at;
    r.skip(n);
    names.push(r.bytes.toString('utf8', start, start + n));
  }
  return names;
}

/** `why` is a constant: a message built for every check would cost more than the check. */
function check(ok: boolean, why: string): void {
  if (!ok) corrupt(why);
}

function corrupt(why: string): never {
  throw new CorruptChangeSet(`corrupt ChangeSet: ${why}`);
}
