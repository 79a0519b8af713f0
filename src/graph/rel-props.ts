/**
 * Compact storage of relationship properties that were never updated (see CreatedRelProps).
 */
import { assert } from '../assert.js';
import {
  ByteReader, ByteWriter, findProp, readPropsMap, writeProps,
} from './snapshot-codec.js';
import type { Props, RelPropsVersion } from './store.js';
import type { PropertyValue } from './values.js';

/**
 * A relationship's properties as created and not updated since: an offset into the store's
 * RelPropArena. Most relationships never change, and a Map plus a version record (or even a
 * small array and a boxed integer) for each costs several times the encoded bytes in a large
 * graph. The first update turns it into a RelPropsVersion chain.
 */
export type CreatedRelProps = number;

/** Keys and values alternating, the form the bulk paths hand properties over in. */
export type FlatProps = readonly (number | PropertyValue)[];

export function isCreatedRelProps(p: RelPropsVersion | CreatedRelProps): p is CreatedRelProps {
  return typeof p === 'number';
}

/** Properties in their encoded form inside a larger buffer (a snapshot being loaded). */
export interface EncodedRange {
  readonly bytes: Uint8Array;
  readonly start: number;
  readonly end: number;
}

/**
 * Relationships of a bulk load, as columns (GraphStore.loadRelBatch): relationship
 * `firstId + i` has type id `types[i]`, ends `starts[i]` and `ends[i]`, and the encoded
 * properties in bytes [propsAt[i], propsAt[i + 1]) of `props`, none when that range is empty.
 */
export interface RelBatch {
  readonly firstId: number;
  readonly count: number;
  readonly version: number;
  readonly types: Int32Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** `count + 1` offsets into `props`. */
  readonly propsAt: Int32Array;
  readonly props: Uint8Array;
}

/** Largest arena: offsets must stay small integers. */
const ARENA_BYTES_MAX = 2 ** 31 - 1;

/**
 * Encoded properties (snapshot-codec.ts form), appended and never moved in place. Bytes of
 * relationships that were deleted or updated stay until the store is next loaded from a
 * snapshot, which writes only live ones.
 */
export class RelPropArena {
  private readonly writer = new ByteWriter();

  add(props: FlatProps | Props): CreatedRelProps {
    const at = this.writer.length;
    writeProps(this.writer, props);
    assert(this.writer.length <= ARENA_BYTES_MAX, 'relationship property arena is full');
    return at;
  }

  /** Copies properties that are already encoded: bytes [start, end) of a snapshot or import. */
  addEncoded(e: EncodedRange): CreatedRelProps {
    const at = this.writer.length;
    this.writer.rawRange(e.bytes, e.start, e.end);
    assert(this.writer.length <= ARENA_BYTES_MAX, 'relationship property arena is full');
    return at;
  }

  private readerAt(at: CreatedRelProps): ByteReader {
    const r = new ByteReader(this.writer.view());
    r.at = at;
    return r;
  }

  get(at: CreatedRelProps, key: number): PropertyValue | undefined {
    return findProp(this.readerAt(at), key);
  }

  map(at: CreatedRelProps): Map<number, PropertyValue> {
    return readPropsMap(this.readerAt(at));
  }

  /** Appends the encoded properties at `at` to `into`, as they are (a snapshot being written). */
  copyTo(at: CreatedRelProps, into: ByteWriter): void {
    this.writer.copyPropsTo(at, into);
  }
}
