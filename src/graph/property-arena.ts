/**
 * Compact storage of entity properties that were never updated: the store keeps the properties of
 * a node or relationship as created (or as loaded from a snapshot or an import) encoded here, and
 * the entity holds only the offset. Most entities never change, and a Map of a few properties
 * costs several times their encoded bytes (about 300 bytes for an empty-ish Map's hash table
 * alone), a boxed bigint per integer and a heap string per text. The first update of an entity
 * gives it a version record with a Map instead.
 */
import { assert } from '../assert.js';
import {
  ByteReader, ByteWriter, findPropAt, PROP_COUNT_BYTES, readNumberPropAt, readPropsMap,
  textPropEqualsAt, writeProps, type NumberRead,
} from './snapshot-codec.js';
import type { Props } from './store.js';
import type { PropertyValue } from './values.js';

/** Where an entity's encoded properties start in its PropertyArena. */
export type ArenaOffset = number;

/** Keys and values alternating, the form the bulk paths hand properties over in. */
export type FlatProps = readonly (number | PropertyValue)[];

/**
 * Properties in their encoded form inside a larger buffer (a snapshot being loaded, a
 * ChangeSet being applied). With `keyIds`, the key numbers in the bytes index it rather than
 * being the store's key ids (a ChangeSet names keys by its own table).
 */
export interface EncodedRange {
  readonly bytes: Uint8Array;
  readonly start: number;
  readonly end: number;
  readonly keyIds?: readonly number[] | undefined;
}

/** Largest arena: offsets must stay small integers. */
const ARENA_BYTES_MAX = 2 ** 31 - 1;

/**
 * Encoded properties (snapshot-codec.ts form), appended and never moved in place. Bytes of
 * entities that were deleted or updated stay until the store is next loaded from a snapshot,
 * which writes only live ones.
 */
export class PropertyArena {
  private readonly writer = new ByteWriter();
  /**
   * The bytes written so far, a view made again only after a write: queries read many
   * properties between two writes, and a view per read was an allocation each.
   */
  private written: Buffer | null = null;

  /** Stores `props` unless there are none (then undefined: no bytes spent on an empty set). */
  addProps(props: FlatProps | Props | EncodedRange): ArenaOffset | undefined {
    if (isEncodedRange(props)) {
      // Four bytes hold only a property count, which is then zero.
      return props.end - props.start <= PROP_COUNT_BYTES ? undefined : this.addEncoded(props);
    }
    const empty = props instanceof Map ? props.size === 0 : (props as FlatProps).length === 0;
    return empty ? undefined : this.add(props);
  }

  add(props: FlatProps | Props): ArenaOffset {
    const at = this.writer.length;
    writeProps(this.writer, props);
    return this.grown(at);
  }

  /** Copies properties that are already encoded: bytes [start, end) of a snapshot or import. */
  addEncoded(e: EncodedRange): ArenaOffset {
    const at = this.writer.length;
    if (e.keyIds === undefined) this.writer.rawRange(e.bytes, e.start, e.end);
    else this.writer.propsRemapped(e.bytes, e.start, e.end, e.keyIds);
    return this.grown(at);
  }

  private grown(at: ArenaOffset): ArenaOffset {
    assert(this.writer.length <= ARENA_BYTES_MAX, 'property arena is full');
    this.written = null;
    return at;
  }

  private bytesFor(at: ArenaOffset): Buffer {
    assert(at < this.writer.length, 'property arena: offset past the end');
    this.written ??= this.writer.view();
    return this.written;
  }

  get(at: ArenaOffset, key: number): PropertyValue | undefined {
    return findPropAt(this.bytesFor(at), at, key);
  }

  /** Property `key` at `at` as a plain number when it is one (snapshot-codec's NumberRead). */
  readNumber(at: ArenaOffset, key: number, out: NumberRead): void {
    readNumberPropAt(this.bytesFor(at), at, key, out);
  }

  /** Whether property `key` at `at` is the well-formed string whose UTF-8 bytes are `utf8`. */
  textEquals(at: ArenaOffset, key: number, utf8: Uint8Array): boolean {
    return textPropEqualsAt(this.bytesFor(at), at, key, utf8);
  }

  map(at: ArenaOffset): Map<number, PropertyValue> {
    const r = new ByteReader(this.bytesFor(at));
    r.at = at;
    return readPropsMap(r);
  }

  /** Appends the encoded properties at `at` to `into`, as they are (a snapshot being written). */
  copyTo(at: ArenaOffset, into: ByteWriter): void {
    this.writer.copyPropsTo(at, into);
  }
}

function isEncodedRange(p: FlatProps | Props | EncodedRange): p is EncodedRange {
  return !(p instanceof Map) && !Array.isArray(p);
}
