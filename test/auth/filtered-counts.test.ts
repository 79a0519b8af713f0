/**
 * A restricted user's counts come from the store's counts less what denied labels hide; they
 * must equal counting the visible elements one by one, whatever the graph and privileges.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FilteredReader } from '../../src/auth/filtered-reader.js';
import { PrivilegeSet } from '../../src/auth/privilege-set.js';
import type { ElementKind, GraphAction, Privilege } from '../../src/auth/privileges.js';
import { GraphStore } from '../../src/graph/store.js';
import { commit } from '../graph/commit-helper.js';

const LABELS = ['A', 'B', 'C', 'D'];
const TYPES = ['T', 'U'];

function privilege(access: Privilege['access'], action: GraphAction, kind: ElementKind,
  name: string, qualifier: string | null): Privilege {
  return { access, action, graph: '*', segment: { kind, name }, qualifier };
}

/** TRAVERSE, MATCH {*} or (which hides nothing) MATCH {x}, on one name or all. */
const rule = (access: Privilege['access'], kind: ElementKind, names: string[]) =>
  fc.tuple(fc.constantFrom('traverse', 'match-all', 'match-x'), fc.constantFrom('*', ...names))
    .map(([what, name]) => what === 'traverse'
      ? privilege(access, 'traverse', kind, name, null)
      : privilege(access, 'match', kind, name, what === 'match-all' ? '*' : 'x'));

const scenario = fc.record({
  nodes: fc.array(fc.subarray(LABELS), { maxLength: 25 }),
  rels: fc.array(fc.tuple(fc.nat(24), fc.nat(24), fc.constantFrom(...TYPES)), { maxLength: 25 }),
  privileges: fc.array(fc.oneof(rule('GRANTED', 'NODE', LABELS), rule('DENIED', 'NODE', LABELS),
    rule('GRANTED', 'RELATIONSHIP', TYPES), rule('DENIED', 'RELATIONSHIP', TYPES)),
  { maxLength: 6 }),
});

function count(items: Iterable<unknown>): number {
  return [...items].length;
}

describe('counts for a user with denied labels', () => {
  it('equal counting the visible nodes and relationships one by one', () => {
    fc.assert(fc.property(scenario, ({ nodes, rels, privileges }) => {
      const store = new GraphStore();
      commit(store, (tx) => {
        const ids = nodes.map((labels) => tx.createNode(labels, new Map()));
        for (const [from, to, type] of rels) {
          const start = ids[from % Math.max(1, ids.length)];
          const end = ids[to % Math.max(1, ids.length)];
          if (start !== undefined && end !== undefined) {
            tx.createRelationship({ type, start, end, properties: new Map() });
          }
        }
      });
      const view = store.openView();
      const reader = new FilteredReader(view, new PrivilegeSet(privileges, ['r'], 'u'));
      for (const label of [...LABELS, 'Missing']) {
        expect(reader.labelCount(label)).toBe(count(reader.nodesByLabel(label)));
      }
      expect(reader.nodeCount()).toBe(count(reader.allNodes()));
      expect(reader.relationshipCount()).toBe(count(reader.allRelationships()));
      view.close();
    }), { numRuns: 300 });
  });

  it('answers from the store without reading the labels nobody denied', () => {
    const store = new GraphStore();
    commit(store, (tx) => {
      for (let i = 0; i < 50; i++) tx.createNode(['Person'], new Map());
      tx.createNode(['Secret'], new Map());
      tx.createNode(['Person', 'Secret'], new Map());
    });
    const view = store.openView();
    const rules = new PrivilegeSet([privilege('GRANTED', 'match', 'NODE', '*', '*'),
      privilege('DENIED', 'traverse', 'NODE', 'Secret', null)], ['r'], 'u');
    const read: string[] = [];
    const spy = new Proxy(view, { get(target, prop) {
      if (prop === 'nodesByLabel') {
        return (label: string) => { read.push(label); return target.nodesByLabel(label); };
      }
      const member: unknown = Reflect.get(target, prop, target);
      return typeof member === 'function' ? member.bind(target) : member;
    } });
    const reader = new FilteredReader(spy, rules);
    expect(reader.labelCount('Person')).toBe(50);
    expect(reader.nodeCount()).toBe(50);
    expect(read.every((l) => l === 'Secret')).toBe(true);
    view.close();
  });
});

describe('index seeks for a user with denied labels', () => {
  it('find by range and prefix only the nodes the user may see', () => {
    const store = new GraphStore();
    commit(store, (tx) => {
      tx.createIndex({ name: 'person_age', kind: 'RANGE', entity: 'NODE', labelOrType: 'Person',
        properties: ['age'] }, false);
    });
    commit(store, (tx) => {
      for (let age = 0; age < 40; age += 1) {
        tx.createNode(age % 4 === 0 ? ['Person', 'Secret'] : ['Person'], new Map([['age', BigInt(age)]]));
      }
    });
    const view = store.openView();
    const rules = new PrivilegeSet([privilege('GRANTED', 'match', 'NODE', '*', '*'),
      privilege('DENIED', 'traverse', 'NODE', 'Secret', null)], ['r'], 'u');
    const reader = new FilteredReader(view, rules);
    const range = { kind: 'between' as const, lower: { value: 10n, inclusive: true },
      upper: { value: 20n, inclusive: false } };
    const found = [...reader.seekNodesInRange('Person', 'age', range) ?? []]
      .map((id) => reader.nodeProperty(id, 'age')).sort();
    expect(found).toEqual([10n, 11n, 13n, 14n, 15n, 17n, 18n, 19n]);
    expect(reader.rangeFraction('Person', 'age', range)).toBeGreaterThan(0);
    view.close();
  });
});
