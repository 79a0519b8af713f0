/**
 * A linearizability checker in the manner of Wing & Gong with Lowe's memoisation (the algorithm
 * behind Knossos' "wgl" and Porcupine): search for an order of the operations that respects
 * real time (an operation that returned before another was called comes first) and in which
 * every operation is legal for a sequential model.
 *
 * An indeterminate operation never returned: it may take effect at any point after its call,
 * or never, and its output is unknown. It is given a return time of +infinity, so it can always
 * be placed at the very end, where it is invisible; that is "never". Models must accept it
 * with any output.
 *
 * The memo prunes by dominance, not only equality: a configuration that reached the same model
 * state with the same completed operations linearized, but with a subset of the indeterminate
 * ones placed, can do everything this one can (an unplaced indeterminate operation may still
 * be placed later, or never), so this one need not be explored. Without it, every subset of the
 * indeterminate writes a failover leaves behind is a distinct state, and the search explodes.
 *
 * The search is bounded: past `statesMax` memoised configurations it gives up and says so
 * instead of running for hours.
 */
export interface LinOp<I, O> {
  readonly id: number;
  readonly callMs: number;
  /** +Infinity for an indeterminate operation. */
  readonly returnMs: number;
  readonly input: I;
  /** undefined when the operation is indeterminate. */
  readonly output: O | undefined;
}

export interface SequentialModel<S, I, O> {
  readonly initial: S;
  /** The states the operation can lead to from `state`; empty when it is illegal there. */
  step(state: S, input: I, output: O | undefined): readonly S[];
  /** Equal states must give equal keys (for the memo). */
  key(state: S): string;
}

export type LinResult =
  | { readonly valid: true; readonly statesExplored: number }
  | { readonly valid: false; readonly statesExplored: number;
      /** The longest prefix that could be linearized, as op ids in order. */
      readonly longestPrefix: readonly number[];
      /** Completed operations none of which could be placed after that prefix. */
      readonly stuckAt: readonly number[] }
  | { readonly valid: 'unknown'; readonly statesExplored: number };

interface Move<S> {
  /** The op's position in call order. */
  readonly position: number;
  readonly state: S;
}

interface Frame<S> {
  readonly moves: readonly Move<S>[];
  next: number;
  /** The op (position in call order) this frame placed, or -1 for the root. */
  readonly placed: number;
}

/** Positions (in call order) of the ops that may be linearized next. */
function candidatesOf<I, O>(ops: readonly LinOp<I, O>[], done: Uint8Array): number[] {
  let minReturn = Infinity;
  let minAt = -1;
  let secondReturn = Infinity;
  for (let i = 0; i < ops.length; i += 1) {
    if (done[i] === 1) continue;
    const r = ops[i]!.returnMs;
    if (r < minReturn) {
      secondReturn = minReturn;
      minReturn = r;
      minAt = i;
    } else if (r < secondReturn) {
      secondReturn = r;
    }
  }
  const out: number[] = [];
  for (let i = 0; i < ops.length; i += 1) {
    if (done[i] === 1) continue;
    const bound = i === minAt ? secondReturn : minReturn;
    if (ops[i]!.callMs > bound) break;
    out.push(i);
  }
  // Completed operations first: a valid history is usually found without moving
  // indeterminate ones, which can always wait until the end.
  return out.sort((a, b) => Number(ops[a]!.output === undefined) -
    Number(ops[b]!.output === undefined));
}

function movesOf<S, I, O>(model: SequentialModel<S, I, O>, ops: readonly LinOp<I, O>[],
  done: Uint8Array, state: S): Move<S>[] {
  return candidatesOf(ops, done).flatMap((position) => {
    const op = ops[position]!;
    return model.step(state, op.input, op.output).map((next) => ({ position, state: next }));
  });
}

/**
 * Configurations seen, grouped by (model state, completed ops placed); each group keeps the
 * sets of indeterminate ops placed, and a configuration is new unless a kept set is a subset.
 */
class DominanceMemo {
  private readonly groups = new Map<string, Uint32Array[]>();
  /** Positions of the indeterminate ops, in call order. */
  private readonly indeterminate: number[];
  size = 0;

  constructor(ops: readonly LinOp<unknown, unknown>[]) {
    this.indeterminate = ops.flatMap((op, i) => (op.output === undefined ? [i] : []));
  }

  /** Records the configuration; false when it is dominated by one already seen. */
  visit(stateKey: string, done: Uint8Array): boolean {
    const placed = new Uint32Array(Math.ceil(this.indeterminate.length / 32));
    const completed = Uint8Array.from(done);
    this.indeterminate.forEach((position, bit) => {
      if (done[position] === 1) placed[bit >>> 5]! |= 1 << (bit & 31);
      completed[position] = 0;
    });
    const groupKey = `${stateKey}|${completed.join('')}`;
    const group = this.groups.get(groupKey);
    if (group?.some((kept) => isSubset(kept, placed))) return false;
    if (group) group.push(placed);
    else this.groups.set(groupKey, [placed]);
    this.size += 1;
    return true;
  }
}

function isSubset(small: Uint32Array, big: Uint32Array): boolean {
  for (let i = 0; i < small.length; i += 1) {
    if ((small[i]! & ~big[i]!) !== 0) return false;
  }
  return true;
}

export function checkLinearizable<S, I, O>(model: SequentialModel<S, I, O>,
  history: readonly LinOp<I, O>[], statesMax = 500_000): LinResult {
  const ops = [...history].sort((a, b) => a.callMs - b.callMs);
  const done = new Uint8Array(ops.length);
  const seen = new DominanceMemo(ops);
  const stack: Frame<S>[] = [{ moves: movesOf(model, ops, done, model.initial), next: 0,
    placed: -1 }];
  let best: { prefix: number[]; stuck: number[] } | null = null;
  let completedLeft = ops.filter((op) => op.output !== undefined).length;
  while (stack.length > 0) {
    if (completedLeft === 0) return { valid: true, statesExplored: seen.size };
    if (seen.size > statesMax) return { valid: 'unknown', statesExplored: seen.size };
    const frame = stack[stack.length - 1]!;
    const move = frame.moves[frame.next];
    if (move === undefined) {
      if (best === null || stack.length - 1 > best.prefix.length) {
        best = { prefix: stack.slice(1).map((f) => ops[f.placed]!.id),
          stuck: candidatesOf(ops, done).filter((i) => ops[i]!.output !== undefined)
            .map((i) => ops[i]!.id) };
      }
      stack.pop();
      if (frame.placed >= 0) {
        done[frame.placed] = 0;
        if (ops[frame.placed]!.output !== undefined) completedLeft += 1;
      }
      continue;
    }
    frame.next += 1;
    done[move.position] = 1;
    if (!seen.visit(model.key(move.state), done)) {
      done[move.position] = 0;
      continue;
    }
    if (ops[move.position]!.output !== undefined) completedLeft -= 1;
    stack.push({ moves: movesOf(model, ops, done, move.state), next: 0,
      placed: move.position });
  }
  return { valid: false, statesExplored: seen.size, longestPrefix: best?.prefix ?? [],
    stuckAt: best?.stuck ?? [] };
}
