/**
 * Relationship records as columns of typed arrays: 24 bytes a relationship, where plain arrays
 * of small integers cost 8 bytes an element in each of six columns plus their growth slack.
 * The version that deleted a relationship is kept aside only until no open view is older than
 * it (then `from` becomes REL_GONE): a column of it would be zeros for nearly every id.
 *
 * A typed array silently drops a write past its end, so every write goes through one method
 * here that asserts the id is within capacity; capacity grows only by `reserve`, which copies.
 * A reader that took a column before growth keeps reading the old copy, which holds every
 * relationship its view can see (growth happens only to make room for new ids).
 */
import { assert } from '../assert.js';

/** `from` of an id that was never created: above every version, so never visible. */
const REL_ABSENT = Infinity;
/** `from` of a deleted relationship that no view can see any more: no version compares. */
const REL_GONE = NaN;
/** `propsAt` of a relationship without created properties (none, or updated since). */
export const NO_PROPS_AT = -1;

/** `start` and `end` of an id that was never created. */
const NO_NODE = -1;
/** Ids are Int32 in the columns; node ids too. */
export const IDS_MAX = 2 ** 31 - 1;
/** Growth keeps a third of the size free: copies stay rare and slack stays small. */
const GROWTH_FACTOR = 1.5;
const CAPACITY_MIN = 1024;

export interface RelRecord {
  readonly id: number;
  readonly type: number;
  readonly start: number;
  readonly end: number;
  /** The version (log index) that created it. */
  readonly version: number;
  /** Offset of its properties in the arena, or NO_PROPS_AT. */
  readonly propsAt: number;
}

export class RelColumns {
  /**
   * Highest id ever created + 1; ids below it without a relationship have `from` REL_ABSENT
   * and ends NO_NODE.
   */
  count = 0;
  type = new Int32Array(0);
  start = new Int32Array(0);
  end = new Int32Array(0);
  /**
   * Versions are log indexes: Float64 holds every one exactly (a safe integer), where Uint32
   * would wrap after 2^32 entries (50 days of a server committing 1,000 transactions a second).
   */
  from = new Float64Array(0);
  /** Id -> the version that deleted it, until forget(id). */
  readonly deletedAt = new Map<number, number>();
  propsAt = new Int32Array(0);
  /**
   * By type id, the lowest id and one past the highest id ever created with that type: a scan
   * by type reads only that range (a type loaded in one go lies in a narrow one). Deletes do
   * not narrow it.
   */
  private readonly typeFirst: number[] = [];
  private readonly typeEnd: number[] = [];

  /** Makes room for ids below `count`; copies the columns when they must grow. */
  reserve(count: number): void {
    assert(Number.isInteger(count) && count <= IDS_MAX + 1, 'RelColumns: too many ids');
    const capacity = this.from.length;
    if (count <= capacity) return;
    const grown = Math.min(IDS_MAX + 1,
      Math.max(count, CAPACITY_MIN, Math.ceil(capacity * GROWTH_FACTOR)));
    this.type = grow(this.type, grown);
    this.start = grow(this.start, grown);
    this.start.fill(NO_NODE, capacity);
    this.end = grow(this.end, grown);
    this.end.fill(NO_NODE, capacity);
    this.from = grow(this.from, grown);
    this.from.fill(REL_ABSENT, capacity);
    this.propsAt = grow(this.propsAt, grown);
    this.propsAt.fill(NO_PROPS_AT, capacity);
  }

  /** Writes a new relationship's record; `reserve` must have made room for it. */
  create(r: RelRecord): void {
    assert(r.id >= 0 && r.id < this.from.length, 'RelColumns.create: id beyond capacity');
    assert(this.from[r.id] === REL_ABSENT, 'apply: create of a relationship that exists');
    assert(Number.isSafeInteger(r.version) && r.version >= 0, 'RelColumns: bad version');
    assert(r.start >= 0 && r.start <= IDS_MAX && r.end >= 0 && r.end <= IDS_MAX,
      'RelColumns: node id out of range');
    this.type[r.id] = r.type;
    this.start[r.id] = r.start;
    this.end[r.id] = r.end;
    this.from[r.id] = r.version;
    this.propsAt[r.id] = r.propsAt;
    if (r.id >= this.count) this.count = r.id + 1;
    if (!(r.id >= (this.typeFirst[r.type] ?? Infinity))) this.typeFirst[r.type] = r.id;
    if (r.id >= (this.typeEnd[r.type] ?? 0)) this.typeEnd[r.type] = r.id + 1;
  }

  /** The ids [first, end) every relationship of one of `types` lies within; empty if none. */
  typesIdRange(types: Iterable<number>): { first: number; end: number } {
    let first = Infinity;
    let end = 0;
    for (const type of types) {
      first = Math.min(first, this.typeFirst[type] ?? Infinity);
      end = Math.max(end, this.typeEnd[type] ?? 0);
    }
    return first < end ? { first, end } : { first: 0, end: 0 };
  }

  markDeleted(id: number, version: number): void {
    assert(this.live(id), `apply: delete of missing relationship ${id}`);
    assert(Number.isSafeInteger(version) && version > 0, 'RelColumns: bad version');
    this.deletedAt.set(id, version);
  }

  /** Drops what is left of deleted `id` once no open view can see it. */
  forget(id: number): void {
    assert(this.deletedAt.has(id), 'RelColumns.forget: relationship not deleted');
    this.deletedAt.delete(id);
    this.from[id] = REL_GONE;
    this.propsAt[id] = NO_PROPS_AT;
  }

  /** True when relationship `id` exists as of `version`. */
  visible(id: number, version: number): boolean {
    // REL_ABSENT (never created, or past the columns) and REL_GONE both fail this comparison.
    if (!((this.from[id] ?? REL_ABSENT) <= version)) return false;
    if (this.deletedAt.size === 0) return true;
    const to = this.deletedAt.get(id);
    return to === undefined || to > version;
  }

  /** The properties of `id` were updated: its version chain (kept by the store) takes over. */
  clearCreatedProps(id: number): void {
    assert(this.live(id), 'RelColumns.clearCreatedProps: relationship not live');
    this.propsAt[id] = NO_PROPS_AT;
  }

  /** True when relationship `id` was created and not deleted. */
  live(id: number): boolean {
    const from = this.from[id];
    return from !== undefined && Number.isFinite(from) && !this.deletedAt.has(id);
  }
}

function grow<T extends Int32Array | Float64Array>(column: T, capacity: number): T {
  const grown = (column instanceof Int32Array
    ? new Int32Array(capacity) : new Float64Array(capacity)) as T;
  grown.set(column);
  return grown;
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
