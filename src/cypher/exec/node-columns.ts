/**
 * Nodes of an id walk (id-walk.ts) read ahead, in the order they lie in memory, into dense
 * arrays by node id: whether each fits the pattern node's labels, and the numeric properties
 * the walk's consumer reads. A walk from the smaller label (City) reaches the other end's nodes
 * (Person) scattered in memory, each one's record, label set and encoded properties a cache
 * miss; when it visits a good share of them anyway, reading them all first turns those misses
 * into reads of a few small arrays. The anchor's nodes are all visited, in the order read
 * ahead; their columns give the consumer numbers without boxing or decoding per match. The
 * walk itself, and so the order of its matches, stays as it was.
 * See docs/decisions/0041-grouped-aggregation.md ("Second pass").
 */
import { assert } from '../../assert.js';
import type { ReadView } from '../../graph/read-view.js';
import type { NodeVersion } from '../../graph/store.js';
import type { Direction, NodeId } from '../../graph/types.js';
import { NumberKind, type NumberRead } from '../../graph/snapshot-codec.js';
import type { ExecState } from './state.js';


/**
 * Reading ahead pays when the walk visits at least this share of the far label's nodes: a
 * sequential read costs a fraction of a scattered one.
 */
const VISITS_PER_CANDIDATE_MIN = 0.25;
/**
 * The arrays span every node id of the store: nodes visited must be at least this share of the
 * ids, or zeroing the arrays costs more than the reads they save.
 */
const VISITS_PER_NODE_ID_MIN = 1 / 32;
/** Bytes per node id of the fit array, of the fitting ids, and of each column. */
const FIT_BYTES = 1;
const ID_BYTES = 4;
const COLUMN_BYTES = 9;

/** One property key of a pattern node's candidates, by node id. */
export interface NumberColumn {
  /** The chain position of the node it is of. */
  readonly nodeIndex: number;
  readonly keyId: number;
  /** The value as a double where `kinds` says Integer or Float. */
  readonly values: Float64Array;
  /** NumberKind by node id; Absent also for a node that does not fit. */
  readonly kinds: Uint8Array;
  /** Whether some fitting node holds an Other value (a string, a list, an integer past 2^53). */
  readonly hasOther: boolean;
}

export interface NodeColumns {
  /** The chain position of the node read ahead. */
  readonly nodeIndex: number;
  /** Node id -> 1 when the node is visible and fits the pattern node's labels; past the end: 0. */
  readonly fits: Uint8Array;
  /** The nodes that fit, in the order of the candidates: a walk from them needs no test. */
  readonly ids: Int32Array;
  readonly columns: readonly NumberColumn[];
}

/** The far end of a hop, and where the walk starts from, as worthReadingAhead needs them. */
export interface FarEnd {
  readonly anchors: Iterable<NodeId>;
  readonly direction: Direction;
  /** How many nodes ever had the far node's rarest required label. */
  readonly candidateCount: number;
}

/**
 * Whether the walk from `anchors` visits enough far nodes to read them ahead: counts their
 * adjacency entries (no relationship read) until the share is reached.
 */
export function worthReadingAhead(view: ReadView, far: FarEnd): boolean {
  const wanted = visitsWorthReadingAhead(view, far.candidateCount);
  let visits = 0;
  for (const id of far.anchors) {
    visits += view.adjacentEntriesMax(id, far.direction);
    if (visits >= wanted) return true;
  }
  return false;
}

/** Visits of a far end's `candidateCount` candidates from which reading them ahead pays. */
export function visitsWorthReadingAhead(view: ReadView, candidateCount: number): number {
  return Math.max(candidateCount * VISITS_PER_CANDIDATE_MIN,
    view.nodeIdsBound() * VISITS_PER_NODE_ID_MIN);
}

/** Whether the columns of a label of `count` nodes, all visited, are worth their arrays. */
export function labelWorthColumns(view: ReadView, count: number): boolean {
  return count >= view.nodeIdsBound() * VISITS_PER_NODE_ID_MIN;
}

/**
 * Reads `candidates` (every node that can fit, stale ids included) in order: which fit, and
 * their properties `keyIds`. Null when the transaction's memory limits leave no room for the
 * arrays: the walk then reads as it goes, as it would have.
 */
export function readAhead(view: ReadView, state: ExecState,
  spec: { readonly nodeIndex: number; readonly candidates: Iterable<NodeId>;
    readonly fits: (node: NodeVersion | null) => boolean; readonly keyIds: readonly number[] }):
  NodeColumns | null {
  const bound = view.nodeIdsBound();
  const bytes = bound * (FIT_BYTES + ID_BYTES + COLUMN_BYTES * spec.keyIds.length);
  if (!state.guard.reserveIfAllowed(bytes)) return null;
  const fits = new Uint8Array(bound);
  const ids = new Int32Array(bound);
  let fitting = 0;
  const values = spec.keyIds.map(() => new Float64Array(bound));
  const kinds = spec.keyIds.map(() => new Uint8Array(bound));
  const other = spec.keyIds.map(() => false);
  const read: NumberRead = { kind: NumberKind.Absent, value: 0 };
  for (const id of spec.candidates) {
    state.guard.tick();
    const node = view.node(id);
    if (node === null || !spec.fits(node)) continue;
    assert(id < bound, 'readAhead: a node id beyond the store');
    fits[id] = 1;
    ids[fitting++] = id;
    for (let c = 0; c < spec.keyIds.length; c++) {
      view.versionNumberByKeyId(node, spec.keyIds[c] as number, read);
      (kinds[c] as Uint8Array)[id] = read.kind;
      if (read.kind === NumberKind.Integer || read.kind === NumberKind.Float) {
        (values[c] as Float64Array)[id] = read.value;
      } else if (read.kind === NumberKind.Other) other[c] = true;
    }
  }
  const columns = spec.keyIds.map((keyId, c) => ({ nodeIndex: spec.nodeIndex, keyId,
    values: values[c] as Float64Array, kinds: kinds[c] as Uint8Array,
    hasOther: other[c] === true }));
  return { nodeIndex: spec.nodeIndex, fits, ids: ids.subarray(0, fitting), columns };
}

/** The column of property `keyId` of chain node `nodeIndex` among `columns`, or null. */
export function columnFor(columns: readonly NodeColumns[], nodeIndex: number,
  keyId: number | undefined): NumberColumn | null {
  for (const set of columns) {
    if (set.nodeIndex !== nodeIndex) continue;
    const column = set.columns.find((c) => c.keyId === keyId);
    if (column !== undefined) return column;
  }
  return null;
}
