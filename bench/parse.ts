/**
 * Parser throughput: the movies dataset (long CREATE statements) and a set of typical short
 * queries, each parsed repeatedly. Prints ops/s and writes bench/results/parse.json.
 * Run: npx tsx bench/parse.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseStatement } from '../src/cypher/parser/parser.js';

const SHORT_QUERIES = [
  'MATCH (n:Person {name: $name}) RETURN n',
  'MATCH (a:Person)-[:ACTED_IN]->(m:Movie) WHERE m.released > 2000 RETURN a.name, m.title ' +
    'ORDER BY m.released DESC LIMIT 10',
  'MATCH (p:Person) RETURN p.born AS year, count(*) AS people ORDER BY year',
  'MERGE (n:Person {name: $name}) ON CREATE SET n.created = timestamp() RETURN n',
  'MATCH p = shortestPath((a:Person {name: $a})-[*..6]-(b:Person {name: $b})) RETURN p',
  'UNWIND $rows AS row CREATE (n:Item {id: row.id, tags: row.tags})',
  'MATCH (n) WHERE n.name STARTS WITH $prefix AND NOT (n)-->() RETURN n {.name, .born} LIMIT 25',
  'CALL db.labels() YIELD label RETURN label',
];

function measure(name: string, statements: string[], minMs: number): { name: string;
  statements: number; opsPerSec: number; bytesPerSec: number } {
  const bytes = statements.reduce((sum, s) => sum + s.length, 0);
  for (const s of statements) parseStatement(s);
  let rounds = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (const s of statements) parseStatement(s);
    rounds++;
    elapsed = performance.now() - start;
  }
  const opsPerSec = (rounds * statements.length) / (elapsed / 1000);
  const bytesPerSec = (rounds * bytes) / (elapsed / 1000);
  return { name, statements: statements.length, opsPerSec: Math.round(opsPerSec),
    bytesPerSec: Math.round(bytesPerSec) };
}

const movies = readFileSync('/work/shared/datasets/movies.cypher', 'utf8')
  .split(';').map((s) => s.trim()).filter((s) => s.length > 0);
const results = [
  measure('movies.cypher statements', movies, 2000),
  measure('typical short queries', SHORT_QUERIES, 2000),
];
for (const r of results) {
  console.log(`${r.name}: ${r.opsPerSec.toLocaleString()} statements/s, ` +
    `${(r.bytesPerSec / 1e6).toFixed(1)} MB/s (${r.statements} statements)`);
}
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/parse.json', import.meta.url),
  `${JSON.stringify({ node: process.version, date: new Date().toISOString(), results },
    null, 2)}\n`);
