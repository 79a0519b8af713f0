/**
 * The relationships one write transaction created, as columns in id order. A load creates
 * thousands per statement: an object and a map entry each (and the garbage they become at
 * commit) cost more than the writes themselves. Ids come from a counter, so they ascend and a
 * created relationship is found by binary search; adjacency by node is built only when
 * something reads it (most loads never do).
 */
import { assert } from '../assert.js';
import type { Adjacent, NodeId, RelId } from './types.js';
import type { PropertyValue } from './values.js';

/** A node's created relationships by side: positions into the columns. */
interface CreatedAdjacency {
  readonly out: Map<NodeId, number[]>;
  readonly in: Map<NodeId, number[]>;
  /** Positions indexed so far; later ones are added on the next read. */
  builtCount: number;
}

export class CreatedRels {
  private readonly ids: RelId[] = [];
  private readonly types: string[] = [];
  private readonly starts: NodeId[] = [];
  private readonly ends: NodeId[] = [];
  /** null: no properties. A map is this transaction's own, so it may be changed in place. */
  private readonly props: (Map<string, PropertyValue> | null)[] = [];
  /** Positions deleted again in this transaction (rare, so a set rather than a column). */
  private readonly deleted = new Set<number>();
  private adjacency: CreatedAdjacency | null = null;

  /** Positions, the deleted ones included. */
  get count(): number {
    return this.ids.length;
  }

  add(args: { id: RelId; type: string; start: NodeId; end: NodeId;
    props: Map<string, PropertyValue> | null }): void {
    const last = this.ids[this.ids.length - 1];
    assert(last === undefined || args.id > last, 'CreatedRels.add: ids must ascend');
    this.ids.push(args.id);
    this.types.push(args.type);
    this.starts.push(args.start);
    this.ends.push(args.end);
    this.props.push(args.props);
  }

  /** The position of relationship `id`, or -1 when this transaction did not create it. */
  positionOf(id: RelId): number {
    const ids = this.ids;
    const first = ids[0];
    if (first === undefined || id < first || id > (ids[ids.length - 1] as number)) return -1;
    // Ids are usually consecutive within one transaction: then the offset is the position.
    const guess = id - first;
    if (ids[guess] === id) return guess;
    let lo = 0;
    let hi = ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = ids[mid] as number;
      if (at === id) return mid;
      if (at < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  isLive(position: number): boolean {
    return !this.deleted.has(position);
  }

  delete(position: number): void {
    this.deleted.add(position);
  }

  idAt(position: number): RelId {
    return this.ids[position] as RelId;
  }

  typeAt(position: number): string {
    return this.types[position] as string;
  }

  startAt(position: number): NodeId {
    return this.starts[position] as NodeId;
  }

  endAt(position: number): NodeId {
    return this.ends[position] as NodeId;
  }

  propsAt(position: number): ReadonlyMap<string, PropertyValue> | null {
    return this.props[position] ?? null;
  }

  /** The properties of `position` as a map that may be changed (made on first change). */
  writableProps(position: number): Map<string, PropertyValue> {
    let props = this.props[position] ?? null;
    if (props === null) this.props[position] = props = new Map();
    return props;
  }

  *liveIds(): Iterable<RelId> {
    for (let i = 0; i < this.ids.length; i++) if (!this.deleted.has(i)) yield this.ids[i] as RelId;
  }

  /** Distinct types of the live ones. */
  liveTypes(): Set<string> {
    const out = new Set<string>();
    for (let i = 0; i < this.ids.length; i++) {
      if (!this.deleted.has(i)) out.add(this.types[i] as string);
    }
    return out;
  }

  /** Property keys of the live ones. */
  liveKeys(): Set<string> {
    const out = new Set<string>();
    for (let i = 0; i < this.ids.length; i++) {
      const props = this.props[i];
      if (props && !this.deleted.has(i)) for (const k of props.keys()) out.add(k);
    }
    return out;
  }

  /**
   * The live created relationships at `node` on one side, of a type in `types` (any when
   * empty or absent). `skipLoops` leaves out those that also start at `node`.
   */
  adjacent(node: NodeId, side: 'out' | 'in', types: readonly string[] | undefined,
    skipLoops: boolean): Adjacent[] {
    const adjacency = this.builtAdjacency();
    const positions = (side === 'out' ? adjacency.out : adjacency.in).get(node);
    const found: Adjacent[] = [];
    for (const i of positions ?? []) {
      if (this.deleted.has(i)) continue;
      if (types && types.length > 0 && !types.includes(this.types[i] as string)) continue;
      if (skipLoops && this.starts[i] === node) continue;
      const other = side === 'out' ? this.ends[i] : this.starts[i];
      found.push({ rel: this.ids[i] as RelId, other: other as NodeId });
    }
    return found;
  }

  private builtAdjacency(): CreatedAdjacency {
    const adjacency = this.adjacency ??= { out: new Map(), in: new Map(), builtCount: 0 };
    for (let i = adjacency.builtCount; i < this.ids.length; i++) {
      pushTo(adjacency.out, this.starts[i] as NodeId, i);
      pushTo(adjacency.in, this.ends[i] as NodeId, i);
    }
    adjacency.builtCount = this.ids.length;
    return adjacency;
  }
}

function pushTo(map: Map<number, number[]>, key: number, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
