/**
 * The positional path for relationship lines (docs/decisions/0023): reads :START_ID, :END_ID,
 * :TYPE, integer and string property columns straight from the characters of an unquoted line,
 * with no row object and no string per field (but a non-ASCII string value), and hands the
 * store batches of relationships with their properties already in the arena's encoded form.
 * A line it cannot take whole (an id that is not plain digits of a known node, an integer that
 * is not plain digits in range, an empty id or type, extra fields) is left untouched, to be
 * read and reported by the general path exactly as before.
 */
import { assert } from '../../assert.js';
import type { RelBatch } from '../../graph/rel-columns.js';
import {
  INTEGER_PROP_BYTES, PROP_COUNT_BYTES, putIntegerProp, putPropCount, putStringProp,
  stringPropBytesMax,
} from '../../graph/snapshot-codec.js';
import type { GraphStore } from '../../graph/store.js';
import type { Column, PropertyType } from './import-header.js';
import type { IdSpace } from './id-space.js';

const enum Slot { Skip, Start, End, Type, Integer, Text }

/** Longest decimal text that is surely a safe integer (also the importer's id rule). */
const SAFE_DIGITS_MAX = 15;
const ZERO = 0x30;
const MINUS = 0x2d;
const NO_KEY = -1;
/** Relationships per store call: enough to spread its cost, small enough to stay in cache. */
const BATCH_RELS = 4096;
/** Most encoded property bytes of one line; a line with more takes the general path. */
const LINE_PROPS_BYTES_MAX = 16 * 1024 * 1024;
/** Property bytes a batch starts with room for, per column; longer strings flush it early. */
const COLUMN_BYTES_INITIAL = 16;
/** Node ids the batch's Int32Array columns hold; a larger one takes the general path. */
const NODE_ID_MAX = 0x7fffffff;

const INTEGER_BOUNDS: Partial<Record<PropertyType, readonly [number, number]>> = {
  byte: [-128, 127], short: [-32768, 32767], int: [-(2 ** 31), 2 ** 31 - 1],
  long: [-Infinity, Infinity],
};

export interface RelLineContext {
  readonly store: GraphStore;
  readonly delimiter: string;
  readonly version: number;
  /** The type of rows whose :TYPE is absent (the group's default), if any. */
  readonly defaultType: string | null;
  /** The nodes of a column's id space, or undefined when it has none. */
  readonly idSpace: (group: string) => IdSpace | undefined;
}

/** The batch filled line by line, and handed to the store when full. */
interface MutableRelBatch extends RelBatch {
  firstId: number;
  count: number;
  props: Uint8Array;
}

export class RelLineReader {
  /** Of the last line parse() accepted. */
  type: string;
  private readonly slots: Slot[] = [];
  private readonly spaces: (IdSpace | undefined)[] = [];
  private readonly bounds: (readonly [number, number])[] = [];
  private readonly names: string[] = [];
  private readonly keyIds: Int32Array;
  private readonly values: Float64Array;
  private readonly present: Uint8Array;
  /** Where a string column's value lies in `line`. */
  private readonly textFrom: Int32Array;
  private readonly textTo: Int32Array;
  /** Of the last line parse() accepted. */
  private line = '';
  /** Two views of the batch's property bytes. */
  private out: DataView;
  private bytes: Buffer;
  private readonly batch: MutableRelBatch;
  private readonly delimiterCode: number;
  private start = 0;
  private end = 0;
  /** Index after the delimiter that ended the last field read. */
  private next = 0;

  /** A reader for a header, or null when some column needs the general path. */
  static forColumns(columns: readonly Column[], context: RelLineContext): RelLineReader | null {
    if (context.delimiter.length !== 1) return null;
    if (!columns.some((c) => c.kind === 'type') && !context.defaultType) return null;
    const names = new Set<string>();
    for (const c of columns) {
      if (c.kind !== 'property') continue;
      // A repeated name merges into one property (setRelProp): the general path's business.
      const typed = INTEGER_BOUNDS[c.type] !== undefined || c.type === 'string'
        || c.type === 'char';
      if (c.array || !typed || names.has(c.name)) return null;
      names.add(c.name);
    }
    return new RelLineReader(columns, context);
  }

  private constructor(columns: readonly Column[], private readonly context: RelLineContext) {
    for (const c of columns) {
      const slot = c.kind === 'start' ? Slot.Start : c.kind === 'end' ? Slot.End
        : c.kind === 'type' ? Slot.Type : c.kind !== 'property' ? Slot.Skip
        : INTEGER_BOUNDS[c.type] === undefined ? Slot.Text : Slot.Integer;
      assert(c.kind !== 'id' && c.kind !== 'label', 'relationship headers have no :ID or :LABEL');
      this.slots.push(slot);
      this.spaces.push(c.kind === 'start' || c.kind === 'end' ? context.idSpace(c.group)
        : undefined);
      this.bounds.push(c.kind === 'property' ? INTEGER_BOUNDS[c.type] ?? [0, 0] : [0, 0]);
      this.names.push(c.kind === 'property' ? c.name : '');
    }
    this.type = context.defaultType ?? '';
    this.keyIds = new Int32Array(columns.length).fill(NO_KEY);
    this.values = new Float64Array(columns.length);
    this.present = new Uint8Array(columns.length);
    this.textFrom = new Int32Array(columns.length);
    this.textTo = new Int32Array(columns.length);
    const props = new Uint8Array(BATCH_RELS * (PROP_COUNT_BYTES
      + COLUMN_BYTES_INITIAL * columns.length));
    this.out = new DataView(props.buffer);
    this.bytes = Buffer.from(props.buffer);
    this.batch = { firstId: 0, count: 0, version: context.version,
      types: new Int32Array(BATCH_RELS), starts: new Int32Array(BATCH_RELS),
      ends: new Int32Array(BATCH_RELS), propsAt: new Int32Array(BATCH_RELS + 1), props };
    this.delimiterCode = context.delimiter.charCodeAt(0);
  }

  /** True when the line was read whole; false leaves it to the general path. */
  parse(text: string, from: number, to: number): boolean {
    let at = from;
    for (let i = 0; i < this.slots.length; i++) {
      const slot = this.slots[i] as Slot;
      if (at > to) {
        // Fewer fields than columns: the rest are null; a null end or type is the general
        // path's to report or to default.
        if (slot === Slot.Start || slot === Slot.End || slot === Slot.Type) return false;
        this.present[i] = 0;
        continue;
      }
      if (slot === Slot.Start || slot === Slot.End) {
        const node = this.node(i, text, at, to);
        if (node < 0) return false;
        if (slot === Slot.Start) this.start = node;
        else this.end = node;
      } else if (slot === Slot.Integer) {
        if (!this.integer(i, text, at, to)) return false;
      } else if (slot === Slot.Text) {
        this.textFrom[i] = at;
        this.textTo[i] = this.skipField(text, at, to);
        this.present[i] = this.textTo[i] === at ? 0 : 1;
      } else if (slot === Slot.Type) {
        if (!this.typeField(text, at, to)) return false;
      } else {
        this.skipField(text, at, to);
      }
      at = this.next;
    }
    this.line = text;
    return at > to && this.propsBytesMax() <= LINE_PROPS_BYTES_MAX;
  }

  /**
   * Adds the last accepted line as relationship `id` of type id `type` to the batch; returns
   * how many properties it has. Key ids are interned at a property's first use, in column
   * order, as the general path interns them.
   */
  add(id: number, type: number): number {
    this.makeRoom(this.propsBytesMax());
    const b = this.batch;
    if (b.count === 0) b.firstId = id;
    assert(id === b.firstId + b.count, 'batched relationships have consecutive ids');
    const countAt = b.propsAt[b.count] as number;
    let at = countAt + PROP_COUNT_BYTES;
    let count = 0;
    for (let i = 0; i < this.slots.length; i++) {
      if (this.present[i] === 0) continue;
      const key = this.keyId(i);
      at = this.slots[i] === Slot.Integer
        ? putIntegerProp(this.out, at, key, this.values[i] as number)
        : putStringProp(this.bytes, at, key, this.line, this.textFrom[i] as number,
          this.textTo[i] as number);
      count++;
    }
    if (count > 0) putPropCount(this.out, countAt, count);
    b.types[b.count] = type;
    b.starts[b.count] = this.start;
    b.ends[b.count] = this.end;
    b.propsAt[++b.count] = count > 0 ? at : countAt;
    if (b.count === BATCH_RELS) this.flush();
    return count;
  }

  /** At least the encoded bytes of the last accepted line's properties. */
  private propsBytesMax(): number {
    let bytes = PROP_COUNT_BYTES;
    for (let i = 0; i < this.slots.length; i++) {
      if (this.present[i] === 0) continue;
      bytes += this.slots[i] === Slot.Integer ? INTEGER_PROP_BYTES
        : stringPropBytesMax((this.textTo[i] as number) - (this.textFrom[i] as number));
    }
    return bytes;
  }

  /** Flushes a batch `bytes` more might not fit in; grows the buffer for a line larger. */
  private makeRoom(bytes: number): void {
    const b = this.batch;
    if ((b.propsAt[b.count] as number) + bytes <= b.props.length) return;
    this.flush();
    if (bytes <= b.props.length) return;
    b.props = new Uint8Array(bytes);
    this.out = new DataView(b.props.buffer);
    this.bytes = Buffer.from(b.props.buffer);
  }

  /** Loads the batched relationships: before any other is loaded, and at the group's end. */
  flush(): void {
    if (this.batch.count === 0) return;
    this.context.store.loadRelBatch(this.batch);
    this.batch.count = 0;
  }

  private keyId(column: number): number {
    let key = this.keyIds[column] as number;
    if (key === NO_KEY) {
      key = this.context.store.keys.intern(this.names[column] as string);
      this.keyIds[column] = key;
    }
    return key;
  }

  /** The node a decimal id names in the column's id space, else -1. */
  private node(column: number, text: string, at: number, to: number): number {
    // Leading zeros are fine: the general path keys an integer id by its value too.
    const key = this.decimal(text, at, to, false);
    if (Number.isNaN(key)) return -1;
    const node = this.spaces[column]?.get(key) ?? -1;
    return node > NODE_ID_MAX ? -1 : node;
  }

  private integer(column: number, text: string, at: number, to: number): boolean {
    if (at === to || text.charCodeAt(at) === this.delimiterCode) {
      this.present[column] = 0;
      this.next = at + 1;
      return true;
    }
    const value = this.decimal(text, at, to, true);
    const [min, max] = this.bounds[column] as readonly [number, number];
    if (Number.isNaN(value) || value < min || value > max) return false;
    this.values[column] = value;
    this.present[column] = 1;
    return true;
  }

  /**
   * An optionally negative run of at most 15 digits ending at the delimiter or `to`, else NaN.
   * Sets `next` past the delimiter.
   */
  private decimal(text: string, at: number, to: number, signed: boolean): number {
    let i = at;
    const negative = signed && i < to && text.charCodeAt(i) === MINUS;
    if (negative) i++;
    const digitsFrom = i;
    let value = 0;
    for (; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c === this.delimiterCode) break;
      const digit = c - ZERO;
      if (digit < 0 || digit > 9) return NaN;
      value = value * 10 + digit;
    }
    this.next = i + 1;
    const digits = i - digitsFrom;
    if (digits === 0 || digits > SAFE_DIGITS_MAX) return NaN;
    return negative ? -value : value;
  }

  /** Reads a :TYPE field; keeps the last type's string while lines repeat it. */
  private typeField(text: string, at: number, to: number): boolean {
    const fieldEnd = this.skipField(text, at, to);
    if (fieldEnd === at) return false;
    const length = fieldEnd - at;
    let same = this.type.length === length;
    for (let i = 0; same && i < length; i++) {
      same = this.type.charCodeAt(i) === text.charCodeAt(at + i);
    }
    if (!same) this.type = text.slice(at, fieldEnd);
    return true;
  }

  /** Moves past a field; returns where it ends. */
  private skipField(text: string, at: number, to: number): number {
    let i = at;
    while (i < to && text.charCodeAt(i) !== this.delimiterCode) i++;
    this.next = i + 1;
    return i;
  }
}
