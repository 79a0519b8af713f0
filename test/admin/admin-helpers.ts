/**
 * Shared by the operations tests: temporary homes, a small graph written through the embedded
 * engine (the same files a standalone server writes), quiver-admin run in process, and a
 * fingerprint of a stopped database's graph to compare two stores by content.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recoverOffline } from '../../src/admin/offline-store.js';
import { main } from '../../src/cli/quiver-admin.js';
import { Database } from '../../src/db/database.js';
import { encodeProperty } from '../../src/graph/property-codec.js';
import type { GraphStore } from '../../src/graph/store.js';

export interface AdminRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const homes: string[] = [];

export function newHome(prefix = 'quiver-ops-'): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  homes.push(home);
  return home;
}

export function removeHomes(): void {
  for (const home of homes.splice(0)) fs.rmSync(home, { recursive: true, force: true });
}

export function databaseDir(home: string, name = 'neo4j'): string {
  return path.join(home, 'data', 'databases', name);
}

export async function admin(...argv: string[]): Promise<AdminRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { env: {}, stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; } });
  return { code, stdout, stderr };
}

/** People who know each other, an index and a uniqueness constraint, some deletes. */
export async function writeSampleGraph(home: string, people = 40): Promise<void> {
  const db = await Database.open(databaseDir(home), { snapshotEveryEntries: 25 });
  await db.run('CREATE CONSTRAINT person_name FOR (p:Person) REQUIRE p.name IS UNIQUE');
  await db.run('CREATE INDEX person_age FOR (p:Person) ON (p.age)');
  for (let i = 0; i < people; i++) {
    await db.run('CREATE (:Person {name: $name, age: $age, born: date("1990-01-02"), ' +
      'tags: ["a", "b"]})', { name: `p${i}`, age: i });
    if (i > 0) {
      await db.run('MATCH (a:Person {name: $a}), (b:Person {name: $b}) ' +
        'CREATE (a)-[:KNOWS {since: $i}]->(b)', { a: `p${i}`, b: `p${i - 1}`, i });
    }
  }
  await db.run('MATCH (p:Person {name: "p3"}) DETACH DELETE p');
  await db.run('MATCH (p:Person {name: "p5"}) SET p:Admin, p.age = 500');
  await db.close();
}

export function storeFingerprint(store: GraphStore): string {
  const view = store.openView();
  try {
    const nodes = [...view.allNodes()].map((id) => JSON.stringify([id, [...view.nodeLabels(id)]
      .sort(), [...view.nodeProperties(id)].map(([k, v]) => [k, encodeProperty(v)]).sort()]));
    const rels = [...view.allRelationships()].map((id) => JSON.stringify([id, view.relType(id),
      view.relStart(id), view.relEnd(id),
      [...view.relProperties(id)].map(([k, v]) => [k, encodeProperty(v)]).sort()]));
    const schema = JSON.stringify([view.indexes().map((i) => i.name).sort(),
      view.constraints().map((c) => c.name).sort()]);
    return [...nodes.sort(), ...rels.sort(), schema].join('\n');
  } finally {
    view.close();
  }
}

/** The graph a stopped database folder recovers to. */
export async function fingerprintOf(dbDir: string): Promise<string> {
  const recovered = await recoverOffline(dbDir,
    { initialPassword: { password: 'neo4j', changeRequired: true } });
  return storeFingerprint(recovered.store);
}

/** Flips one byte at `offsetFromEnd` bytes before the end of the file. */
export function flipByte(file: string, offsetFromEnd: number): void {
  const bytes = fs.readFileSync(file);
  const at = bytes.length - offsetFromEnd;
  bytes[at] = (bytes[at] ?? 0) ^ 0x5a;
  fs.writeFileSync(file, bytes);
}
