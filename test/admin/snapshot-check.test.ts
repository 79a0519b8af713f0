import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sealBackup } from '../../src/admin/backup-folder.js';
import { checkSnapshotBytes, SnapshotChecker } from '../../src/admin/snapshot-check.js';
import { checkBackupDirectory } from '../../src/admin/store-check.js';
import type { ChangeSet, EncodedProps } from '../../src/graph/changeset.js';
import { encodeProperty } from '../../src/graph/property-codec.js';
import { GraphStore } from '../../src/graph/store.js';
import type { PropertyValue } from '../../src/graph/values.js';
import { SnapshotStore } from '../../src/log/index.js';
import { main } from '../../src/cli/quiver-admin.js';
import { newHome, removeHomes } from './admin-helpers.js';
import { snapshotBytes } from '../helpers/snapshot-bytes.js';

afterEach(removeHomes);

const VERSION = 7;

function props(entries: Record<string, PropertyValue>): EncodedProps {
  return Object.entries(entries).map(([k, v]) => [k, encodeProperty(v)]);
}

/**
 * People in a chain of KNOWS, a city everyone lives in, a uniqueness constraint and an index;
 * values of every kind the codec tags (booleans, integers, floats, strings, JSON ones).
 */
function sampleStore(people: number, names: (i: number) => string = (i) => `p${i}`):
  GraphStore {
  const cs: ChangeSet = {
    nodes: [{ op: 'create', id: people, labels: ['City'], props: props({ name: 'Oslo' }) }],
    rels: [],
    schema: [
      { op: 'createConstraint', constraint: { name: 'person_name', kind: 'UNIQUENESS',
        entity: 'NODE', labelOrType: 'Person', properties: ['name'] } },
      { op: 'createIndex', index: { name: 'person_age', kind: 'RANGE', entity: 'NODE',
        labelOrType: 'Person', properties: ['age'], owningConstraint: null } },
    ],
  };
  for (let i = 0; i < people; i++) {
    cs.nodes.push({ op: 'create', id: i, labels: ['Person'], props: props({ name: names(i),
      age: BigInt(i), score: i / 3, active: i % 2 === 0, tags: ['a', String(i)] }) });
    cs.rels.push({ op: 'create', id: 2 * i, type: 'LIVES_IN', start: i, end: people,
      props: [] });
    if (i > 0) {
      cs.rels.push({ op: 'create', id: 2 * i + 1, type: 'KNOWS', start: i, end: i - 1,
        props: props({ since: BigInt(2000 + i), weight: 0.5, note: `n${i}`, ok: true,
          list: [1n, 2n] }) });
    }
  }
  const store = new GraphStore();
  store.restore(cs, VERSION);
  return store;
}


/** Offset of the first record of the first block of `kind` ('N' or 'R'). */
function firstRecordOf(bytes: Buffer, kind: 'N' | 'R'): number {
  let at = bytes.indexOf(0x0a) + 1;
  while (at < bytes.length) {
    if (bytes[at] === kind.charCodeAt(0)) return at + 9;
    at += 9 + bytes.readUInt32LE(at + 5);
  }
  throw new Error(`no ${kind} block`);
}

describe('the one-pass snapshot check', () => {
  it('passes a consistent snapshot and counts what a store loaded from it holds', () => {
    const store = sampleStore(40);
    const report = checkSnapshotBytes(snapshotBytes(store));
    expect(report).toEqual({ problems: [], problemsUnlisted: 0, nodeCount: store.liveNodeCount,
      relationshipCount: store.liveRelCount, index: VERSION });
    expect(report?.relationshipCount).toBe(79);
  });

  it('gives the same report whatever pieces the bytes arrive in', () => {
    const bytes = snapshotBytes(sampleStore(12));
    const whole = checkSnapshotBytes(bytes);
    for (const size of [1, 3, 9, 64, 1000]) {
      const checker = new SnapshotChecker();
      for (let at = 0; at < bytes.length; at += size) checker.push(bytes.subarray(at, at + size));
      expect(checker.finish()).toEqual(whole);
      expect(checker.bytesPushed).toBe(bytes.length);
    }
  });

  it('finds a relationship whose end node is missing', () => {
    const bytes = snapshotBytes(sampleStore(10));
    const rel = firstRecordOf(bytes, 'R');
    const id = bytes.readUInt32LE(rel);
    bytes.writeUInt32LE(999, rel + 12);
    expect(checkSnapshotBytes(bytes)?.problems).toEqual([
      `Relationship ${id} ends at missing node 999`]);
  });

  it('finds two nodes sharing a value under a uniqueness constraint', () => {
    const store = sampleStore(6, (i) => (i === 4 ? 'p1' : `p${i}`));
    expect(checkSnapshotBytes(snapshotBytes(store))?.problems).toEqual([
      'Constraint person_name: nodes 1 and 4 share the value of :Person.name']);
  });

  it('finds duplicate ids, ids above the allocators and unknown names', () => {
    const bytes = snapshotBytes(sampleStore(3));
    const node = firstRecordOf(bytes, 'N');
    bytes.writeUInt32LE(50, node); // node 0 becomes 50, over nextNodeId (4)
    bytes.writeUInt32LE(9, node + 8); // its label id: the header names two labels
    const rel = firstRecordOf(bytes, 'R');
    bytes.writeUInt32LE(2, rel); // relationship 0 (no properties) takes the next one's id
    const problems = checkSnapshotBytes(bytes)?.problems ?? [];
    expect(problems).toContain('Node 50 is at or above the next node id');
    expect(problems).toContain('Node 50 has unknown label 9');
    expect(problems).toContain('Relationship 2 starts at missing node 0');
    expect(problems).toContain('Relationship 2 is in the snapshot twice');
    expect(problems).toContain('Relationship 3 ends at missing node 0');
    expect(problems).toHaveLength(5);
  });

  it('reports a truncated snapshot, a bad value tag and a wrong block length once each', () => {
    const bytes = snapshotBytes(sampleStore(5));
    expect(checkSnapshotBytes(bytes.subarray(0, bytes.length - 3))?.problems).toEqual([
      'The snapshot is damaged: the snapshot ends in the middle of a block']);
    const tagged = Buffer.from(bytes);
    const node = firstRecordOf(tagged, 'N');
    tagged[node + 4 + 4 + 4 + 4 + 4] = 77; // id, label count, label, property count, key
    expect(checkSnapshotBytes(tagged)?.problems).toEqual([
      'The snapshot is damaged: unknown value tag 77']);
    const lengthened = Buffer.from(bytes);
    const blockLength = firstRecordOf(lengthened, 'N') - 4;
    lengthened.writeUInt32LE(lengthened.readUInt32LE(blockLength) - 1, blockLength);
    expect(checkSnapshotBytes(lengthened)?.problems).toHaveLength(1);
    lengthened.writeUInt32LE(0xffffffff, blockLength);
    expect(checkSnapshotBytes(lengthened)?.problems).toEqual([expect.stringMatching(
      /^The snapshot is damaged: a block of 4294967304 bytes is over the limit of \d+$/)]);
  });

  it('leaves a snapshot in the older JSON-lines format to the store check', () => {
    const header = { format: 'quiver-graph-snapshot/1', version: 1, nextNodeId: 0,
      nextRelId: 0, system: [] };
    expect(checkSnapshotBytes(Buffer.from(`${JSON.stringify({ header })}\n`))).toBeNull();
  });
});

/** A backup folder holding `data` as its snapshot at VERSION, sealed as the client seals it. */
async function backupOf(data: Buffer): Promise<string> {
  const dir = path.join(newHome('quiver-snapcheck-'), 'b');
  const snapshots = await SnapshotStore.open(path.join(dir, 'snapshots'));
  await snapshots.save({ index: VERSION, term: 1, config: null }, [data]);
  fs.mkdirSync(path.join(dir, 'log'));
  await sealBackup(dir, { database: 'neo4j', storeId: 's', source: 'test', snapshotIndex: VERSION,
    lastIndex: VERSION, lastTerm: 1, createdAt: '', updatedAt: '' });
  return dir;
}

describe('check-consistency of a backup that is one snapshot', () => {
  it('checks the records and exits 1 on an inconsistency whose checksums are right', async () => {
    const bytes = snapshotBytes(sampleStore(8));
    const good = await backupOf(bytes);
    expect(await checkBackupDirectory(good)).toMatchObject({ problems: [], nodeCount: 9,
      relationshipCount: 15, index: VERSION });
    bytes.writeUInt32LE(12345, firstRecordOf(bytes, 'R') + 8);
    let stdout = '';
    const code = await main(['check-consistency', `--backup=${await backupOf(bytes)}`],
      { env: {}, stdout: (t) => { stdout += t; }, stderr: () => undefined });
    expect(code).toBe(1);
    expect(stdout).toMatch(/^Relationship 0 starts at missing node 12345\n$/);
  });

  it('uses a checker that saw the snapshot stream only when it saw every byte', async () => {
    const bytes = snapshotBytes(sampleStore(8));
    const dir = await backupOf(bytes);
    const partial = new SnapshotChecker();
    partial.push(bytes.subarray(0, 100));
    expect((await checkBackupDirectory(dir, { streamed: partial })).problems).toEqual([]);
    const streamed = new SnapshotChecker();
    streamed.push(bytes);
    expect(await checkBackupDirectory(dir, { streamed })).toMatchObject({ problems: [],
      nodeCount: 9, relationshipCount: 15 });
  });

  it('says so when the snapshot stands at another index than the manifest', async () => {
    const store = sampleStore(3);
    store.version = VERSION + 1;
    const outcome = await checkBackupDirectory(await backupOf(snapshotBytes(store)));
    expect(outcome.problems).toEqual([expect.stringMatching(
      /is damaged: it stands at log index 8, its manifest says 7$/)]);
  });
});
