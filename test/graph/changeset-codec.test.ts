import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AssertionFailed } from '../../src/assert.js';
import {
  decodeChangeSet, encodeChangeSet, type ChangeSet, type EncodedProps, type NodeChange,
  type RelChange, type SchemaChange,
} from '../../src/graph/changeset.js';
import { ChangeSetFrame, CorruptChangeSet } from '../../src/graph/changeset-frame.js';
import { encodeProperty } from '../../src/graph/property-codec.js';
import { GraphStore } from '../../src/graph/store.js';
import {
  CypherDate, DateTime, Duration, LocalDateTime, LocalTime, Point, Time, type PropertyValue,
} from '../../src/graph/values.js';
import { WriteTx } from '../../src/graph/write-tx.js';
import { allocator } from './commit-helper.js';
import { snapshotBytes } from '../helpers/snapshot-bytes.js';

const float = fc.oneof(fc.double(), fc.constantFrom(-0, NaN, Infinity, -Infinity, 1.0));
const text = fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 6 }));
const integer = fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n });
const nanosOfDay = fc.bigInt({ min: 0n, max: 86_399_999_999_999n });
const seconds = fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n });
const nanos = fc.integer({ min: 0, max: 999_999_999 });
const offset = fc.integer({ min: -64_800, max: 64_800 });
const temporal: fc.Arbitrary<PropertyValue> = fc.oneof(
  fc.tuple(fc.integer({ min: -9999, max: 9999 }), fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 })).map(([y, m, d]) => new CypherDate(y, m, d)),
  nanosOfDay.map((n) => new LocalTime(n)),
  fc.tuple(nanosOfDay, offset).map(([n, o]) => new Time(n, o)),
  fc.tuple(seconds, nanos).map(([s, n]) => new LocalDateTime(s, n)),
  fc.tuple(seconds, nanos, offset, fc.option(fc.constantFrom('Europe/Paris', 'Asia/Tokyo')))
    .map(([s, n, o, z]) => new DateTime(s, n, o, z)),
  fc.tuple(seconds, seconds, seconds, nanos).map(([m, d, s, n]) => new Duration(m, d, s, n)));
const point = fc.tuple(fc.constantFrom(7203, 9157, 4326, 4979), float, float, fc.option(float))
  .map(([srid, x, y, z]) => new Point(srid, x, y, z));
const scalars: fc.Arbitrary<PropertyValue>[] = [float, text, fc.boolean(), integer, temporal,
  point, fc.uint8Array({ maxLength: 8 })];
/** Every property type, and lists of each kind (a stored list holds one kind). */
const value: fc.Arbitrary<PropertyValue> = fc.oneof(...scalars,
  ...scalars.slice(0, 4).map((s) => fc.array(s, { maxLength: 3 })));

const name = fc.constantFrom('Person', 'KNOWS', 'since', 'é ✓', '', 'k'.repeat(40));
const id = fc.nat({ max: 2 ** 31 - 1 });
const props: fc.Arbitrary<EncodedProps> = fc.uniqueArray(fc.tuple(name, value),
  { selector: ([k]) => k, maxLength: 4 }).map((ps) => ps.map(([k, v]) => [k, encodeProperty(v)]));
const nodeChange: fc.Arbitrary<NodeChange> = fc.oneof(
  fc.record({ op: fc.constantFrom('create' as const, 'update' as const), id,
    labels: fc.uniqueArray(name, { maxLength: 3 }), props }),
  fc.record({ op: fc.constant('delete' as const), id }));
const relChange: fc.Arbitrary<RelChange> = fc.oneof(
  fc.record({ op: fc.constant('create' as const), id, type: name, start: id, end: id, props }),
  fc.record({ op: fc.constant('update' as const), id, props }),
  fc.record({ op: fc.constant('delete' as const), id }));
const schemaChange: fc.Arbitrary<SchemaChange> = fc.oneof(
  fc.record({ op: fc.constant('dropIndex' as const), name }),
  name.map((label) => ({ op: 'createIndex' as const, index: { name: `ix_${label}`,
    kind: 'RANGE' as const, entity: 'NODE' as const, labelOrType: label, properties: ['k'],
    owningConstraint: null } })));
const changeSet: fc.Arbitrary<ChangeSet> = fc.record({
  nodes: fc.array(nodeChange, { maxLength: 5 }),
  rels: fc.array(relChange, { maxLength: 5 }),
  schema: fc.array(schemaChange, { maxLength: 2 }),
  system: fc.option(fc.array(fc.json().map((j) => JSON.parse(j) as unknown), { minLength: 1,
    maxLength: 3 }), { nil: undefined }),
}).map(({ system, ...rest }): ChangeSet => (system === undefined ? rest : { ...rest, system }));

function plain(cs: ChangeSet): ChangeSet {
  const out: ChangeSet = { nodes: cs.nodes, rels: cs.rels, schema: cs.schema };
  if (cs.system !== undefined) out.system = cs.system;
  return out;
}

/** What a ChangeSet's JSON form was before format 1: the bytes logs already hold. */
function oldJson(cs: ChangeSet): Uint8Array {
  return Buffer.from(JSON.stringify(cs), 'utf8');
}


function contents(store: GraphStore): unknown {
  const view = store.openView();
  try {
    return {
      nodes: [...view.allNodes()].map((n) => [n, [...view.nodeLabels(n)].sort(),
        [...view.nodeProperties(n)]]),
      rels: [...view.allRelationships()].map((r) => [r, view.relType(r), view.relStart(r),
        view.relEnd(r), [...view.relProperties(r)]]),
    };
  } finally {
    view.close();
  }
}

describe('the binary ChangeSet', () => {
  it('gives back every change of any ChangeSet, every property type exactly', () => {
    fc.assert(fc.property(changeSet, (cs) => {
      const bytes = encodeChangeSet(cs);
      expect(bytes[0]).toBe(1);
      expect(plain(decodeChangeSet(bytes))).toEqual(cs);
    }), { numRuns: 400 });
  });

  it('keeps names apart in a ChangeSet that names many labels, types and keys', () => {
    const names = Array.from({ length: 30 }, (_, i) => `name${i}`);
    const cs: ChangeSet = {
      nodes: names.map((n, i) => ({ op: 'create', id: i, labels: [n, names[(i + 7) % 30] ?? ''],
        props: [[n, { i }], [`other${i % 11}`, n]] })),
      rels: names.map((n, i) => ({ op: 'create', id: i, type: n, start: i, end: (i * 3) % 30,
        props: [[`other${i % 13}`, i + 0.5]] })),
      schema: [],
    };
    expect(plain(decodeChangeSet(encodeChangeSet(cs)))).toEqual(cs);
  });

  it('still reads ChangeSets logged as JSON before the binary format', () => {
    fc.assert(fc.property(changeSet, (cs) => {
      expect(plain(decodeChangeSet(oldJson(cs)))).toEqual(cs);
    }), { numRuns: 100 });
    // Logs written before -0 was tagged hold a plain number.
    const legacy = '{"nodes":[{"op":"create","id":0,"labels":["V"],"props":[["f",1.5],' +
      '["i",{"i":7}],["s","x"]]}],"rels":[],"schema":[]}';
    const store = new GraphStore();
    store.apply(decodeChangeSet(Buffer.from(legacy)), 1);
    expect(contents(store)).toStrictEqual({ nodes: [[0, ['V'], [['f', 1.5], ['i', 7n],
      ['s', 'x']]]], rels: [] });
  });

  it('builds exactly the store the JSON form builds, creates, updates and deletes', () => {
    fc.assert(fc.property(graphChanges, ([first, second]) => {
      const fromJson = new GraphStore();
      const fromBinary = new GraphStore();
      for (const [version, cs] of [[1, first], [2, second]] as const) {
        fromJson.apply(decodeChangeSet(oldJson(cs)), version);
        const frame = decodeChangeSet(encodeChangeSet(cs));
        expect(frame).toBeInstanceOf(ChangeSetFrame);
        fromBinary.apply(frame, version);
        expect(contents(fromBinary)).toStrictEqual(contents(fromJson));
        expect(snapshotBytes(fromBinary).equals(snapshotBytes(fromJson))).toBe(true);
      }
    }), { numRuns: 150 });
  });

  it('applies a write transaction alike from its own frame, its bytes and its JSON form', () => {
    const routes: ((cs: ChangeSet) => ChangeSet)[] = [(cs) => cs,
      (cs) => decodeChangeSet(encodeChangeSet(cs)), (cs) => decodeChangeSet(oldJson(plain(cs)))];
    const stores = routes.map(() => new GraphStore());
    for (const write of [createEveryKind, changeSome]) {
      stores.forEach((store, i) => {
        const view = store.openView();
        const tx = new WriteTx(view, allocator(store));
        write(tx);
        const cs = tx.toChangeSet();
        view.close();
        store.apply((routes[i] as (cs: ChangeSet) => ChangeSet)(cs), store.version + 1);
      });
      const [direct, ...others] = stores as [GraphStore, ...GraphStore[]];
      for (const other of others) {
        expect(contents(other)).toStrictEqual(contents(direct));
        expect(snapshotBytes(other).equals(snapshotBytes(direct))).toBe(true);
      }
    }
  });

  it('refuses a frame cut short anywhere, before applying anything', () => {
    const bytes = Buffer.from(encodeChangeSet(sampleChangeSet()));
    for (let length = 0; length < bytes.length; length++) {
      expect(() => decodeChangeSet(bytes.subarray(0, length))).toThrowError(CorruptChangeSet);
    }
  });

  it('refuses a frame with a wrong byte, or applies it only through the applier checks', () => {
    const bytes = Buffer.from(encodeChangeSet(sampleChangeSet()));
    for (let at = 0; at < bytes.length; at++) {
      for (const flip of [0x01, 0x80, 0xff]) {
        const bad = Buffer.from(bytes);
        bad[at] = (bad[at] as number) ^ flip;
        let decoded: ChangeSet;
        try {
          decoded = decodeChangeSet(bad);
        } catch (thrown) {
          expect(thrown).toBeInstanceOf(CorruptChangeSet);
          continue;
        }
        // Whatever passed the checks reads whole; applied, it meets only the applier's checks
        // (an id may have become huge: the applier would fill arrays up to it).
        const ids = [...decoded.nodes, ...decoded.rels].map((c) => c.id);
        if (ids.some((n) => n > 1000)) continue;
        try {
          new GraphStore().apply(decoded, 1);
        } catch (thrown) {
          expect(thrown).toBeInstanceOf(AssertionFailed);
        }
      }
    }
  });

  it('names what is wrong with bytes that are no ChangeSet', () => {
    expect(() => decodeChangeSet(Buffer.from([2, 0, 0]))).toThrowError(/unknown format 2/);
    expect(() => decodeChangeSet(Buffer.from('{"nodes":'))).toThrowError(CorruptChangeSet);
    expect(() => decodeChangeSet(Buffer.from('{"nodes":[]}'))).toThrowError(/without nodes/);
    const bytes = Buffer.from(encodeChangeSet({ schema: [],
      nodes: [0, 1].map((id) => ({ op: 'create', id, labels: [], props: [] })),
      rels: [{ op: 'create', id: 0, type: 'R', start: 0, end: 1, props: [['w', 2.5]] }] }));
    expect(bytes.subarray(-9).toString('latin1')).toBe('\x01\x00\x00\x00\x01\x00\x00\x00w');
    // The key table emptied: the relationship's property names a key it no longer has.
    const noKeys = Buffer.concat([bytes.subarray(0, -9), Buffer.alloc(4)]);
    expect(() => decodeChangeSet(noKeys)).toThrowError(/key outside the table/);
    const badOp = Buffer.from(bytes);
    badOp[21] = 7;
    expect(() => decodeChangeSet(badOp)).toThrowError(/unknown op 7/);
    expect(() => decodeChangeSet(bytes.subarray(0, 30))).toThrowError(/cut short/);
    expect(() => decodeChangeSet(bytes.subarray(0, -1))).toThrowError(/ends in the middle/);
  });
});

function sampleChangeSet(): ChangeSet {
  return {
    nodes: [
      { op: 'create', id: 0, labels: ['P'], props: [['name', 'a'], ['n', { i: 1 }]] },
      { op: 'create', id: 1, labels: ['P', 'Q'], props: [['pt', encodeProperty(
        new Point(7203, -0, 1, null))]] },
    ],
    rels: [{ op: 'create', id: 0, type: 'R', start: 0, end: 1, props: [['w', 2.5]] }],
    schema: [],
  };
}

/**
 * A graph made by one ChangeSet, then changed by a second: some nodes and relationships
 * updated or deleted (a node only once its relationships are), one node and one relationship
 * created.
 */
const graphChanges: fc.Arbitrary<[ChangeSet, ChangeSet]> = fc.record({
  nodes: fc.array(fc.record({ labels: fc.uniqueArray(name, { maxLength: 2 }), props }),
    { minLength: 1, maxLength: 6 }),
  rels: fc.array(fc.record({ type: name, start: fc.nat(), end: fc.nat(), props }),
    { maxLength: 8 }),
  nodeActions: fc.array(fc.constantFrom('keep', 'update', 'delete'), { minLength: 6,
    maxLength: 6 }),
  relActions: fc.array(fc.constantFrom('keep', 'update', 'delete'), { minLength: 8,
    maxLength: 8 }),
  newProps: props,
}).map((g) => {
  const n = g.nodes.length;
  const rels = g.rels.map((r, i) => ({ op: 'create' as const, id: i, type: r.type,
    start: r.start % n, end: r.end % n, props: r.props }));
  const first: ChangeSet = { nodes: g.nodes.map((node, i) => ({ op: 'create' as const, id: i,
    ...node })), rels, schema: [] };
  const second: ChangeSet = { nodes: [], rels: [], schema: [] };
  const kept = new Set<number>();
  rels.forEach((r, i) => {
    const action = g.relActions[i] ?? 'keep';
    if (action === 'delete') second.rels.push({ op: 'delete', id: r.id });
    else {
      kept.add(r.start).add(r.end);
      if (action === 'update') second.rels.push({ op: 'update', id: r.id, props: g.newProps });
    }
  });
  g.nodes.forEach((node, i) => {
    const action = g.nodeActions[i] ?? 'keep';
    if (action === 'delete' && !kept.has(i)) second.nodes.push({ op: 'delete', id: i });
    else if (action !== 'keep') {
      second.nodes.push({ op: 'update', id: i, labels: [...node.labels, 'New'],
        props: g.newProps });
    }
  });
  const survivor = [...Array(n).keys()].find((i) => !second.nodes.some((c) => c.id === i &&
    c.op === 'delete'));
  second.nodes.push({ op: 'create', id: n, labels: ['Late'], props: g.newProps });
  if (survivor !== undefined) {
    second.rels.push({ op: 'create', id: rels.length, type: 'LATE', start: survivor, end: n,
      props: g.newProps });
  }
  return [first, second];
});

const EVERY_KIND: [string, PropertyValue][] = [
  ['int', 42n], ['big', 2n ** 70n], ['float', 1.5], ['whole', 3.0], ['negZero', -0],
  ['nan', NaN], ['text', 'héllo ✓'], ['lone', '\ud800x'], ['yes', true],
  ['list', ['a', 'b']], ['ints', [1n, 2n]], ['floats', [1.0, -0]],
  ['bytes', new Uint8Array([0, 255])], ['date', new CypherDate(2024, 2, 29)],
  ['time', new Time(3_600_000_000_000n, 3600)], ['local', new LocalTime(5n)],
  ['ldt', new LocalDateTime(-5n, 7)], ['dt', new DateTime(1_700_000_000n, 5, 3600, 'Europe/Paris')],
  ['dur', new Duration(1n, 2n, 3n, 4)], ['point', new Point(9157, -0, NaN, 3)],
];

function createEveryKind(tx: WriteTx): void {
  const a = tx.createNode(['P'], new Map(EVERY_KIND));
  const b = tx.createNode(['P', 'Q'], new Map([['name', 'b']]));
  tx.createNode([], new Map());
  tx.createRelationship({ type: 'R', start: a, end: b, properties: new Map(EVERY_KIND) });
  tx.createRelationship({ type: 'S', start: b, end: a, properties: new Map() });
}

function changeSome(tx: WriteTx): void {
  tx.setNodeProperty(0, 'int', 1.0);
  tx.addLabel(1, 'Late');
  tx.setRelProperty(0, 'point', new Point(7203, 1, 2, null));
  tx.deleteRelationship(1);
  tx.deleteNode(2);
  const c = tx.createNode(['C'], new Map([['k', 'v']]));
  tx.createRelationship({ type: 'R', start: c, end: 0, properties: new Map([['w', -0]]) });
}
