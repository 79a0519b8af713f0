/**
 * Variable-length expansion by iterative depth-first search (no recursion, so a long chain
 * cannot overflow the stack). Relationship uniqueness is shared with the rest of the MATCH
 * through `used`; the depth is bounded by varLengthDepthMax when the pattern gives no maximum.
 */
import { QuiverError } from '../../errors/quiver-error.js';
import type { Adjacent, Direction, NodeId, RelId } from '../../graph/types.js';
import type { ExecState } from './state.js';

export const varLengthDepthMax = 10_000;

export interface Segment {
  readonly end: NodeId;
  /** In traversal order, starting after the start node. */
  readonly rels: readonly RelId[];
  readonly nodes: readonly NodeId[];
}

export interface ExpandSpec {
  readonly direction: Direction;
  readonly types: readonly string[];
  readonly min: number;
  readonly max: number | null;
  /** Extra per-relationship check (inline properties). */
  readonly accept: (rel: RelId) => boolean;
}

export function* expandVarLength(state: ExecState, start: NodeId, spec: ExpandSpec,
  used: Set<RelId>): Generator<Segment> {
  const max = spec.max ?? varLengthDepthMax;
  if (spec.min === 0) yield { end: start, rels: [], nodes: [] };
  if (max === 0) return;
  const adjacency = (node: NodeId): Iterator<Adjacent> =>
    state.graph.relationshipsOf(node, spec.direction, spec.types)[Symbol.iterator]();
  const stack: Iterator<Adjacent>[] = [adjacency(start)];
  const rels: RelId[] = [];
  const nodes: NodeId[] = [];
  try {
    while (stack.length > 0) {
      const step = (stack[stack.length - 1] as Iterator<Adjacent>).next();
      if (step.done === true) {
        stack.pop();
        if (stack.length > 0) used.delete(rels.pop() as RelId);
        nodes.length = rels.length;
        continue;
      }
      const { rel, other } = step.value;
      if (used.has(rel) || !spec.accept(rel)) continue;
      rels.push(rel);
      nodes.push(other);
      used.add(rel);
      if (rels.length >= spec.min) yield { end: other, rels: [...rels], nodes: [...nodes] };
      if (rels.length < max) {
        stack.push(adjacency(other));
      } else {
        used.delete(rels.pop() as RelId);
        nodes.pop();
      }
      if (rels.length > varLengthDepthMax) {
        throw new QuiverError('ArgumentError',
          `Variable-length expansion deeper than ${varLengthDepthMax} relationships`);
      }
    }
  } finally {
    for (const rel of rels) used.delete(rel);
  }
}
