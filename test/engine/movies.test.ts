/**
 * The Neo4j movies example graph through the embedded engine: loaded from its Cypher script,
 * queried, and read again after the database is closed and reopened from its folder (log
 * replay, then snapshot plus log).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.js';
import { Node, Relationship } from '../../src/graph/values.js';
import { SHARED_DIR } from '../shared-dir.js';
import { column, scalar, tempDbDir } from './helpers.js';

const MATRIX_CAST = [
  ['Carrie-Anne Moss', 'Trinity'],
  ['Emil Eifrem', 'Emil'],
  ['Hugo Weaving', 'Agent Smith'],
  ['Keanu Reeves', 'Neo'],
  ['Laurence Fishburne', 'Morpheus'],
];

/** The script holds schema statements and one large CREATE, each ended by `;` at a line end. */
async function loadMovies(db: Database): Promise<void> {
  const text = await readFile(join(SHARED_DIR, 'datasets', 'movies.cypher'), 'utf8');
  const statements = text.split(/;\s*\n/).map((s) => s.trim()).filter((s) => s.length > 0);
  expect(statements.length).toBe(5);
  for (const statement of statements) await db.run(statement);
}

async function expectMoviesGraph(db: Database): Promise<void> {
  expect(await scalar(db, 'MATCH (n) RETURN count(n)')).toBe(171n);
  expect(await scalar(db, 'MATCH (m:Movie) RETURN count(m)')).toBe(38n);
  expect(await scalar(db, 'MATCH (p:Person) RETURN count(p)')).toBe(133n);
  expect(await scalar(db, 'MATCH ()-[r]->() RETURN count(r)')).toBe(253n);
  const cast = await db.run(
    "MATCH (p:Person)-[r:ACTED_IN]->(:Movie {title: 'The Matrix'}) " +
    'RETURN p.name AS name, r.roles[0] AS role ORDER BY name');
  expect(cast.records).toEqual(MATRIX_CAST);
}

describe('movies graph in the embedded engine', () => {
  it('loads 171 nodes and 253 relationships and answers who acted in The Matrix', async () => {
    const db = await Database.open(null);
    await loadMovies(db);
    await expectMoviesGraph(db);
    expect(await column(db, "MATCH (d:Person)-[:DIRECTED]->(:Movie {title: 'The Matrix'}) " +
      'RETURN d.name ORDER BY d.name')).toEqual(['Lana Wachowski', 'Lilly Wachowski']);
    await db.close();
  });

  it('describes its labels and relationship types in db.schema.visualization', async () => {
    const db = await Database.open(null);
    await loadMovies(db);
    const result = await db.run('CALL db.schema.visualization()');
    expect(result.keys).toEqual(['nodes', 'relationships']);
    expect(result.records).toHaveLength(1);
    const [nodes, rels] = result.records[0] as [Node[], Relationship[]];
    expect(nodes.every((n) => n instanceof Node)).toBe(true);
    expect(nodes.flatMap((n) => n.labels).sort()).toEqual(['Movie', 'Person']);
    expect(rels.every((r) => r instanceof Relationship)).toBe(true);
    expect(rels.map((r) => r.type).sort()).toEqual(
      ['ACTED_IN', 'DIRECTED', 'FOLLOWS', 'PRODUCED', 'REVIEWED', 'WROTE']);
    const label = (id: number): string | undefined => nodes.find((n) => n.id === id)?.labels[0];
    const actedIn = rels.find((r) => r.type === 'ACTED_IN');
    expect(actedIn && [label(actedIn.startId), label(actedIn.endId)]).toEqual(['Person', 'Movie']);
    await db.close();
  });

  it('recovers the same graph, indexes and constraints from its log after a reopen', async () => {
    const dir = await tempDbDir();
    const first = await Database.open(dir);
    await loadMovies(first);
    await first.close();
    const reopened = await Database.open(dir);
    await expectMoviesGraph(reopened);
    const constraints = await column(reopened, 'SHOW CONSTRAINTS YIELD labelsOrTypes ' +
      'RETURN labelsOrTypes[0] ORDER BY labelsOrTypes[0]');
    expect(constraints).toEqual(['Movie', 'Person']);
    // The unique constraint still holds after recovery.
    await expect(reopened.run("CREATE (:Person {name: 'Keanu Reeves'})"))
      .rejects.toMatchObject({ code: 'Neo.ClientError.Schema.ConstraintValidationFailed' });
    await reopened.close();
  });

  it('recovers from a snapshot plus the log written after it', async () => {
    const dir = await tempDbDir();
    const first = await Database.open(dir);
    await loadMovies(first);
    expect(await first.snapshot()).toBeGreaterThan(0);
    await first.run("MATCH (m:Movie {title: 'The Matrix'}) SET m.seenAfterSnapshot = true");
    await first.close();
    const reopened = await Database.open(dir);
    await expectMoviesGraph(reopened);
    expect(await scalar(reopened,
      "MATCH (m:Movie {title: 'The Matrix'}) RETURN m.seenAfterSnapshot")).toBe(true);
    await reopened.close();
  });
});
