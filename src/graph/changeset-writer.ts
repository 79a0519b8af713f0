/**
 * Writes a binary ChangeSet (changeset-frame.ts) change by change, straight from a write
 * transaction's drafts: values go through the property arena's encoder, names into per-kind
 * tables, and no object is made per change.
 */
import { assert } from '../assert.js';
import {
  ChangeSetFrame, FRAME_FORMAT, FRAME_HEADER_BYTES, HeaderAt, Op,
} from './changeset-frame.js';
import type { SchemaChange } from './changeset.js';
import { ByteWriter, writeValue } from './snapshot-codec.js';
import type { NodeId, RelId } from './types.js';
import type { PropertyValue } from './values.js';

/** Names of one kind in first-use order, so every member interns them in that order. */
class NameTable {
  readonly names: string[] = [];
  /** Made once the table outgrows a scan: most ChangeSets name a handful. */
  private numbers: Map<string, number> | null = null;

  numberOf(name: string): number {
    const names = this.names;
    if (this.numbers === null) {
      for (let i = 0; i < names.length; i++) if (names[i] === name) return i;
      names.push(name);
      if (names.length > NAMES_SCANNED_MAX) this.numbers = new Map(names.map((n, i) => [n, i]));
      return names.length - 1;
    }
    let n = this.numbers.get(name);
    if (n === undefined) {
      n = names.length;
      names.push(name);
      this.numbers.set(name, n);
    }
    return n;
  }
}

const NAMES_SCANNED_MAX = 8;

/**
 * One writer serves every ChangeSet of the process: writing is synchronous, and a fresh
 * buffer per transaction was garbage as large as the entry. A writer that grew past this
 * is dropped after use, so one huge transaction does not hold its size for good.
 */
const SHARED_WRITER_BYTES_MAX = 8 << 20;
let shared = new ByteWriter(64 << 10);
/** Bumped by each ChangeSetWriter: finish() asserts no other one used the buffer meanwhile. */
let generation = 0;

/**
 * Use: nodes (`node`, `nodeDelete`) first, then relationships, then `finish`, all in one
 * synchronous run (the buffer is shared).
 */
export class ChangeSetWriter {
  private readonly w = shared;
  private readonly generation = ++generation;
  private readonly labels = new NameTable();
  private readonly types = new NameTable();
  private readonly keys = new NameTable();
  private nodeCount = 0;
  private relCount = 0;
  private relDeleteCount = 0;
  /** Where relationships start; -1 while nodes are still being written. */
  private relsAt = -1;

  constructor() {
    this.w.reset();
    this.w.u8(FRAME_FORMAT);
    for (let at = 1; at < FRAME_HEADER_BYTES; at += 4) this.w.u32(0);
  }

  nodeDelete(id: NodeId): void {
    this.head(Op.Delete, id, false);
    this.nodeCount++;
  }

  /** A created node or the final state of an updated one. */
  node(args: { created: boolean; id: NodeId; labels: Iterable<string>; labelCount: number;
    props: ReadonlyMap<string, PropertyValue> }): void {
    this.head(args.created ? Op.Create : Op.Update, args.id, false);
    this.w.u32(args.labelCount);
    let written = 0;
    for (const label of args.labels) {
      this.w.u32(this.labels.numberOf(label));
      written++;
    }
    assert(written === args.labelCount, 'ChangeSetWriter.node: label count');
    this.props(args.props);
    this.nodeCount++;
  }

  relDelete(id: RelId): void {
    this.head(Op.Delete, id, true);
    this.relCount++;
    this.relDeleteCount++;
  }

  relUpdate(id: RelId, props: ReadonlyMap<string, PropertyValue>): void {
    this.head(Op.Update, id, true);
    this.props(props);
    this.relCount++;
  }

  relCreate(args: { id: RelId; type: string; start: NodeId; end: NodeId;
    props: ReadonlyMap<string, PropertyValue> | null }): void {
    this.head(Op.Create, args.id, true);
    this.w.u32(this.types.numberOf(args.type));
    this.w.u32(args.start);
    this.w.u32(args.end);
    this.props(args.props);
    this.relCount++;
  }

  /** Ends the frame; the writer must not be used again. */
  finish(schema: SchemaChange[], system: unknown[] | undefined): ChangeSetFrame {
    assert(this.generation === generation, 'ChangeSetWriter: another writer took the buffer');
    const w = this.w;
    if (this.relsAt < 0) this.relsAt = w.length;
    const extrasAt = w.length;
    json(w, schema.length === 0 ? null : schema);
    json(w, system === undefined || system.length === 0 ? null : system);
    names(w, this.labels);
    names(w, this.types);
    names(w, this.keys);
    w.patchU32(HeaderAt.NodeCount, this.nodeCount);
    w.patchU32(HeaderAt.RelCount, this.relCount);
    w.patchU32(HeaderAt.RelDeleteCount, this.relDeleteCount);
    w.patchU32(HeaderAt.RelsAt, this.relsAt);
    w.patchU32(HeaderAt.ExtrasAt, extrasAt);
    const bytes = w.take();
    if (w.capacity > SHARED_WRITER_BYTES_MAX) shared = new ByteWriter(64 << 10);
    const frame = new ChangeSetFrame(bytes, { nodeCount: this.nodeCount,
      relCount: this.relCount, relDeleteCount: this.relDeleteCount, relsAt: this.relsAt,
      labelNames: this.labels.names, typeNames: this.types.names, keyNames: this.keys.names,
      schema, system: system !== undefined && system.length > 0 ? system : undefined });
    return frame;
  }

  private head(op: number, id: number, rel: boolean): void {
    if (rel && this.relsAt < 0) this.relsAt = this.w.length;
    assert(rel || this.relsAt < 0, 'ChangeSetWriter: a node after relationships');
    this.w.u8(op);
    this.w.u32(id);
  }

  /** u32 byte count, then the arena's form: u32 count, (u32 key number, value)… */
  private props(props: ReadonlyMap<string, PropertyValue> | null): void {
    const w = this.w;
    const at = w.length;
    w.u32(0);
    w.u32(props === null ? 0 : props.size);
    if (props !== null) {
      for (const [key, value] of props) {
        w.u32(this.keys.numberOf(key));
        writeValue(w, value);
      }
    }
    w.patchU32(at, w.length - at - 4);
  }
}

function json(w: ByteWriter, value: unknown[] | null): void {
  if (value === null) w.u32(0);
  else w.text(JSON.stringify(value));
}

function names(w: ByteWriter, table: NameTable): void {
  const all = table.names;
  w.u32(all.length);
  for (let i = 0; i < all.length; i++) w.text(all[i] as string);
}
