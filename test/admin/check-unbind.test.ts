import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkStoreConsistency } from '../../src/admin/consistency-check.js';
import { NodeAdjacency } from '../../src/graph/adjacency.js';
import { recoverOffline } from '../../src/admin/offline-store.js';
import {
  admin, databaseDir, flipByte, newHome, removeHomes, writeSampleGraph,
} from './admin-helpers.js';

afterEach(removeHomes);

async function recovered(home: string) {
  return recoverOffline(databaseDir(home),
    { initialPassword: { password: 'neo4j', changeRequired: true } });
}

describe('quiver-admin check-consistency', () => {
  it('passes a consistent database and says what it checked', async () => {
    const home = newHome();
    await writeSampleGraph(home, 30);
    const result = await admin('check-consistency', '--database=neo4j', '--home', home);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(
      /^Consistency check passed: 29 nodes, 27 relationships at log index \d+\.\n$/);
  });

  it('reports a damaged log record with its file and exits 1', async () => {
    const home = newHome();
    await writeSampleGraph(home, 30);
    const logDir = path.join(databaseDir(home), 'log');
    const [segment] = fs.readdirSync(logDir).filter((n) => n.endsWith('.seg'));
    const file = path.join(logDir, segment ?? '');
    const bytes = fs.readFileSync(file);
    bytes[40] = (bytes[40] ?? 0) ^ 0xff; // inside the first record's data: a good record follows
    fs.writeFileSync(file, bytes);
    const result = await admin('check-consistency', '--home', home);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/\.seg: checksum mismatch at offset 0/);
    expect(result.stderr).toBe('command failed: Inconsistencies found: 1 problems.\n');
  });

  it('reports a damaged snapshot even when an older one lets the store recover', async () => {
    const home = newHome();
    await writeSampleGraph(home, 30);
    const snapDir = path.join(databaseDir(home), 'snapshots');
    const newest = fs.readdirSync(snapDir).filter((n) => n.endsWith('.snap')).sort().at(-1);
    flipByte(path.join(snapDir, newest ?? ''), 10);
    const result = await admin('check-consistency', '--home', home);
    expect(result.stdout).toMatch(/Snapshot .* is damaged \(data checksum mismatch\)/);
    expect(result.code).toBe(1);
  });

  it('finds adjacency, label, index and count disagreements in the records', async () => {
    const home = newHome();
    await writeSampleGraph(home, 10);
    const { store } = await recovered(home);
    expect(checkStoreConsistency(store).problems).toEqual([]);
    store.outRels.clear(6); // node p6's one outgoing relationship, id 5
    store.labelNodes.get(store.labels.lookup('Person') ?? -1)?.delete(7);
    store.propertyIndexes.get('person_age')?.clear();
    store.liveNodeCount += 1;
    store.rels.end[6] = 999; // damaged on purpose, past the columns' checked writes
    const report = checkStoreConsistency(store);
    expect(report.problems).toContain('Relationship 5 is listed 0 times as outgoing of node 6, ' +
      'not once');
    expect(report.problems).toContain('Node 7 has label :Person but is missing from that ' +
      "label's node set");
    expect(report.problems).toContain('Index person_age is missing node 0 (:Person.age)');
    expect(report.problems).toContain('Node count is 10 but 9 nodes exist');
    expect(report.problems).toContain('Relationship 6 ends at missing node 999');
  });

  it('lists at most the limit and counts the rest', async () => {
    const home = newHome();
    await writeSampleGraph(home, 10);
    const { store } = await recovered(home);
    store.inRels = new NodeAdjacency();
    const report = checkStoreConsistency(store, 3);
    expect(report.problems).toHaveLength(3);
    expect(report.problemsUnlisted).toBe(4);
  });
});

describe('quiver-admin unbind', () => {
  it('removes the cluster binding and keeps data and member id', async () => {
    const home = newHome();
    await writeSampleGraph(home, 3);
    const clusterDir = path.join(databaseDir(home), 'cluster');
    fs.mkdirSync(clusterDir);
    fs.writeFileSync(path.join(clusterDir, 'cluster-id'), 'abc123\n');
    fs.writeFileSync(path.join(clusterDir, 'member-id'), 'member-1\n');
    const result = await admin('unbind', '--home', home);
    expect(result).toMatchObject({ code: 0, stdout: 'Unbound from cluster abc123.\n' });
    expect(fs.existsSync(path.join(clusterDir, 'cluster-id'))).toBe(false);
    expect(fs.readFileSync(path.join(clusterDir, 'member-id'), 'utf8')).toBe('member-1\n');
    expect((await recovered(home)).store.liveNodeCount).toBe(3);
    const again = await admin('unbind', '--home', home);
    expect(again).toMatchObject({ code: 0,
      stderr: 'This instance was not bound. No work performed.\n' });
  });
});
