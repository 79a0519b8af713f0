import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompareOp } from '../../src/cypher/ast.js';
import { compare } from '../../src/cypher/exec/value-ops.js';
import type { RangeBound, ValueRange } from '../../src/graph/ordered-index.js';
import { GraphStore } from '../../src/graph/store.js';
import { WriteTx } from '../../src/graph/write-tx.js';
import type { GraphReader, NodeId } from '../../src/graph/types.js';
import {
  CypherDate, DateTime, LocalTime, Time, type PropertyValue,
} from '../../src/graph/values.js';
import { allocator, commit } from './commit-helper.js';

function indexedStore(values: readonly (PropertyValue | null)[]): GraphStore {
  const store = new GraphStore();
  commit(store, (tx) => {
    tx.createIndex({ name: 'a_v', kind: 'RANGE', entity: 'NODE', labelOrType: 'A',
      properties: ['v'] }, false);
  });
  commit(store, (tx) => {
    for (const v of values) tx.createNode(['A'], new Map(v === null ? [] : [['v', v]]));
  });
  return store;
}

function between(lower: RangeBound | null, upper: RangeBound | null): ValueRange {
  return { kind: 'between', lower, upper };
}

function incl(value: PropertyValue): RangeBound {
  return { value, inclusive: true };
}

function excl(value: PropertyValue): RangeBound {
  return { value, inclusive: false };
}

function seek(graph: GraphReader, range: ValueRange): NodeId[] | null {
  const found = graph.seekNodesInRange?.('A', 'v', range) ?? null;
  return found === null ? null : [...found].sort((a, b) => a - b);
}

describe('ordered property index', () => {
  it('compares integers and floats together and leaves other types out of a number range',
    () => {
      const store = indexedStore([1n, 2.5, 3n, 10n, 'x', true, 2, Number.NaN, [3n], null]);
      const view = store.openView();
      expect(seek(view, between(incl(2n), excl(10n)))).toEqual([1, 2, 6]);
      expect(seek(view, between(excl(2.0), null))).toEqual([1, 2, 3]);
      expect(seek(view, between(null, incl(1)))).toEqual([0]);
      expect(seek(view, between(incl(Number.NaN), null))).toEqual([]);
      expect(seek(view, between(incl(1n), incl('z')))).toEqual([]);
      view.close();
    });

  it('finds strings by prefix and by range in code point order', () => {
    const store = indexedStore(['apple', 'apricot', 'banana', 'ap', 'a', 5n, '\u{1F600}x',
      '\uFFFF']);
    const view = store.openView();
    expect(seek(view, { kind: 'prefix', prefix: 'ap' })).toEqual([0, 1, 3]);
    expect(seek(view, { kind: 'prefix', prefix: '' })).toEqual([0, 1, 2, 3, 4, 6, 7]);
    expect(seek(view, { kind: 'prefix', prefix: '\uD83D' })).toEqual([6]);
    expect(seek(view, between(excl('\uFFFF'), null))).toEqual([6]);
    expect(seek(view, between(incl('b'), null))).toEqual([2, 6, 7]);
    view.close();
  });

  it('orders temporal values within their own type only', () => {
    const store = indexedStore([new CypherDate(2020, 1, 31), new CypherDate(2021, 6, 1),
      new LocalTime(5n), new Time(3_600_000_000_000n, 3600), new Time(0n, 0),
      new DateTime(100n, 0, 0, null)]);
    const view = store.openView();
    expect(seek(view, between(incl(new CypherDate(2020, 2, 1)), null))).toEqual([1]);
    expect(seek(view, between(null, incl(new LocalTime(5n))))).toEqual([2]);
    // 01:00+01:00 is the same instant as 00:00Z and sorts after it.
    expect(seek(view, between(excl(new Time(0n, 0)), null))).toEqual([3]);
    expect(seek(view, between(incl(new DateTime(99n, 0, 0, null)), null))).toEqual([5]);
    view.close();
  });

  it('sees the version of its view and reports a node once after its value moved', () => {
    const store = indexedStore([5n, 7n]);
    const range = between(incl(0n), incl(10n));
    expect(seek(store.openView(), range)).toEqual([0, 1]);
    const old = store.openView();
    commit(store, (tx) => {
      tx.setNodeProperty(0, 'v', 50n);
      tx.setNodeProperty(1, 'v', 8n);
      tx.createNode(['A'], new Map([['v', 9n]]));
    });
    const now = store.openView();
    expect(seek(old, range)).toEqual([0, 1]);
    expect(seek(now, range)).toEqual([1, 2]);
    expect(seek(now, between(incl(40n), null))).toEqual([0]);
    old.close();
    now.close();
  });

  it('shows a write transaction its own changes', () => {
    const store = indexedStore([5n, 7n, 9n]);
    const view = store.openView();
    const tx = new WriteTx(view, allocator(store));
    tx.setNodeProperty(0, 'v', 100n);
    tx.deleteNode(1);
    const created = tx.createNode(['A'], new Map([['v', 6n]]));
    expect(seek(tx, between(incl(0n), incl(10n)))).toEqual([2, created]);
    view.close();
  });

  it('declines what it cannot order and what has no index', () => {
    const store = indexedStore([[1n], 1n]);
    const view = store.openView();
    expect(seek(view, between(incl([1n]), null))).toBeNull();
    expect(view.seekNodesInRange('B', 'v', between(incl(1n), null))).toBeNull();
    expect(view.rangeFraction('A', 'v', between(incl(0n), null))).toBe(1);
    expect(view.rangeFraction('A', 'v', between(incl(2n), null))).toBe(0);
    view.close();
  });

  it('keeps answering while keys arrive after its first seek, past its merges', () => {
    const store = indexedStore([0n]);
    const range = between(excl(100n), incl(250n));
    expect(seek(store.openView(), range)).toEqual([]);
    for (let i = 1; i <= 300; i++) {
      // Descending values, so every new key sorts before the ones already merged.
      commit(store, (tx) => { tx.createNode(['A'], new Map([['v', BigInt(301 - i)]])); });
    }
    const view = store.openView();
    expect(seek(view, range)).toEqual(Array.from({ length: 150 }, (_, i) => 51 + i));
    view.close();
  });

  it('estimates the fraction of distinct values in a range', () => {
    const store = indexedStore(Array.from({ length: 100 }, (_, i) => BigInt(i)));
    const view = store.openView();
    expect(view.rangeFraction('A', 'v', between(incl(10n), excl(30n)))).toBeCloseTo(0.2);
    expect(view.rangeFraction('A', 'v', { kind: 'prefix', prefix: 'a' })).toBe(0);
    view.close();
  });
});

const strings = fc.string({ unit: fc.constantFrom('a', 'b', 'ab', '\uFFFF', '\u{1F600}', '\uD83D'),
  maxLength: 3 });
const values: fc.Arbitrary<PropertyValue> = fc.oneof(
  fc.bigInt({ min: -5n, max: 5n }),
  fc.constantFrom(-0, 0.5, 2, -1.5, Infinity, -Infinity, Number.NaN, 2 ** 60),
  fc.constant(2n ** 60n),
  strings,
  fc.boolean(),
  fc.integer({ min: 1, max: 4 }).map((d) => new CypherDate(2024, 1, d)),
  fc.array(fc.bigInt({ min: 0n, max: 2n }), { maxLength: 2 }),
);
const bound: fc.Arbitrary<RangeBound | null> = fc.option(
  fc.record({ value: values, inclusive: fc.boolean() }), { nil: null });
const ranges: fc.Arbitrary<ValueRange> = fc.oneof(
  fc.record({ kind: fc.constant('between' as const), lower: bound, upper: bound })
    .filter((r) => r.lower !== null || r.upper !== null),
  fc.record({ kind: fc.constant('prefix' as const), prefix: strings }),
);
type Op = { op: 'set'; node: number; value: PropertyValue | null } |
  { op: 'seek'; range: ValueRange };
const ops: fc.Arbitrary<Op[]> = fc.array(fc.oneof(
  fc.record({ op: fc.constant('set' as const), node: fc.integer({ min: 0, max: 29 }),
    value: fc.option(values, { nil: null }) }),
  fc.record({ op: fc.constant('seek' as const), range: ranges }),
), { maxLength: 60 });

/** What WHERE would keep: the Cypher comparison operators, straight from the executor. */
function expected(graph: GraphReader, range: ValueRange): NodeId[] {
  const out: NodeId[] = [];
  for (const id of graph.nodesByLabel('A')) {
    const v = graph.nodeProperty(id, 'v');
    if (v === null) continue;
    if (range.kind === 'prefix') {
      if (typeof v === 'string' && v.startsWith(range.prefix)) out.push(id);
      continue;
    }
    const test = (b: RangeBound | null, op: CompareOp): boolean => b === null ||
      compare(op, v, b.value) === true;
    if (test(range.lower, range.lower?.inclusive === true ? '>=' : '>') &&
      test(range.upper, range.upper?.inclusive === true ? '<=' : '<')) out.push(id);
  }
  return out.sort((a, b) => a - b);
}

function listBound(range: ValueRange): boolean {
  return range.kind === 'between' &&
    [range.lower, range.upper].some((b) => b !== null && Array.isArray(b.value));
}

describe('ordered property index, property', () => {
  it('seeks exactly the nodes a filter over all nodes keeps, through writes', () => {
    fc.assert(fc.property(fc.array(fc.option(values, { nil: null }), { minLength: 30,
      maxLength: 30 }), ops, (initial, script) => {
      const store = indexedStore(initial);
      for (const step of script) {
        if (step.op === 'set') {
          commit(store, (tx) => tx.setNodeProperty(step.node, 'v', step.value));
          continue;
        }
        const view = store.openView();
        try {
          const got = seek(view, step.range);
          if (listBound(step.range)) expect(got).toBeNull();
          else expect(got).toEqual(expected(view, step.range));
        } finally {
          view.close();
        }
      }
    }), { numRuns: 200, seed: 9027 });
  });
});
