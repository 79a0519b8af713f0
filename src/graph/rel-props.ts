/**
 * Relationship properties as the store keeps them, and the column form of a bulk load.
 */
import type { ArenaOffset } from './property-arena.js';

/**
 * A relationship's properties as created and not updated since: an offset into the store's
 * relationship PropertyArena (property-arena.ts). The first update turns it into a
 * RelPropsVersion chain.
 */
export type CreatedRelProps = ArenaOffset;

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
