import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readRows, splitPlain } from '../../src/admin/import/csv-rows.js';
import { Database } from '../../src/db/database.js';
import { CypherDate } from '../../src/graph/values.js';
import { admin, databaseDir, newHome, removeHomes } from './admin-helpers.js';

afterEach(removeHomes);

function write(dir: string, name: string, lines: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Movies and actors in two id spaces, roles between them; three rows are broken on purpose. */
function movieCsvs(dir: string) {
  return {
    moviesHeader: write(dir, 'movies_header.csv', ['movieId:ID(Movie),title,year:int,:LABEL']),
    movies: write(dir, 'movies.csv', ['m1,"The Matrix",1999,Movie;Classic', 'm2,Speed,199x,Movie',
      'm3,"Top Gun: Maverick",2022,Movie']),
    actors: write(dir, 'actors.csv', ['personId:ID(Actor),name,born:date,aliases:string[]',
      'a1,Keanu,1964-09-02,Neo;John Wick', 'a2,Carrie,1967-08-21,', 'a3,Tom,1962-07-03,x,extra']),
    roles: write(dir, 'roles.csv', [':START_ID(Actor),role,:END_ID(Movie),weight:double',
      'a1,Neo,m1,1.5', 'a2,Trinity,m1,', 'a1,Jack,m9,2', 'a2,"said ""hi""",m3,0.25']),
  };
}

describe('quiver-admin import', () => {
  it('imports typed columns, id spaces, labels and reports exactly the broken rows', async () => {
    const dir = newHome();
    const csv = movieCsvs(dir);
    const home = newHome();
    const report = path.join(dir, 'bad.report');
    const result = await admin('import', `--nodes=Film=${csv.moviesHeader},${csv.movies}`,
      `--nodes:Person=${csv.actors}`, `--relationships=ACTED_IN=${csv.roles}`,
      '--skip-bad-relationships', `--report-file=${report}`, '--home', home);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout)
      .toMatch(/IMPORT DONE in \d+ms\. \nImported:\n  4 nodes\n  3 relationships\n/);
    expect(result.stdout)
      .toContain(`There were bad entries which were skipped and logged into ${report}`);
    expect(fs.readFileSync(report, 'utf8').split('\n')).toEqual([
      `${csv.movies}:2: year: '199x' is not an integer (int)`,
      `${csv.actors}:4: 5 fields, the header has 4 columns`,
      `${csv.roles}:4: referring to missing node m9 (id space 'Movie')`, '']);
    const db = await Database.open(databaseDir(home));
    try {
      const movie = (await db.run('MATCH (m:Movie {title: "The Matrix"}) RETURN m.year AS year, ' +
        'labels(m) AS labels, m.movieId AS id')).rows()[0];
      expect(movie).toEqual({ year: 1999n, labels: expect.arrayContaining(['Movie', 'Classic',
        'Film']), id: 'm1' });
      const keanu = (await db.run('MATCH (p:Person {name: "Keanu"})-[r:ACTED_IN]->(m) ' +
        'RETURN p.born AS born, p.aliases AS aliases, r.role AS role, r.weight AS w')).rows();
      expect(keanu).toEqual([{ born: new CypherDate(1964, 9, 2), aliases: ['Neo', 'John Wick'],
        role: 'Neo', w: 1.5 }]);
      const carrie = (await db.run('MATCH (p:Person {name: "Carrie"})-[r]->(m) ' +
        'RETURN p.aliases AS aliases, r.weight AS w, m.title AS t ORDER BY t')).rows();
      expect(carrie).toEqual([{ aliases: null, w: null, t: 'The Matrix' },
        { aliases: null, w: 0.25, t: 'Top Gun: Maverick' }]);
      const quoted = await db.run('MATCH ()-[r {weight: 0.25}]->() RETURN r.role AS role');
      expect(quoted.rows()).toEqual([{ role: 'said "hi"' }]);
    } finally {
      await db.close();
    }
    expect((await admin('check-consistency', '--home', home)).code).toBe(0);
  });

  it('stops at a relationship to a missing node unless told to skip it', async () => {
    const dir = newHome();
    const csv = movieCsvs(dir);
    const home = newHome();
    const result = await admin('import', `--nodes=${csv.moviesHeader},${csv.movies}`,
      `--nodes=${csv.actors}`, `--relationships=ACTED_IN=${csv.roles}`,
      `--report-file=${path.join(dir, 'r')}`, '--home', home);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`command failed: Relationship at ${csv.roles}:4 referring to ` +
      "missing node m9 (id space 'Movie'); use --skip-bad-relationships to skip such rows\n");
    expect(fs.existsSync(databaseDir(home))).toBe(false);
  });

  it('stops past --bad-tolerance bad entries, and refuses an existing database', async () => {
    const dir = newHome();
    const csv = movieCsvs(dir);
    const home = newHome();
    const args = [`--nodes=${csv.moviesHeader},${csv.movies}`, `--nodes=${csv.actors}`,
      `--report-file=${path.join(dir, 'r')}`, '--home', home];
    const strict = await admin('import', '--bad-tolerance=1', ...args);
    expect(strict.code).toBe(1);
    expect(strict.stderr)
      .toMatch(/^command failed: Too many bad entries 2, where last one was: .*actors\.csv:4/);
    expect((await admin('import', ...args)).code).toBe(0);
    const again = await admin('import', ...args);
    expect(again.stderr).toMatch(/^command failed: database already exists: neo4j/);
    expect((await admin('import', '--overwrite-destination', ...args)).code).toBe(0);
  });

  it('imports the LDBC SNB test data with its headers mapped to the import format', async () => {
    const source = '/work/shared/datasets/ldbc-snb-interactive-v1-test';
    const dir = newHome();
    const mapped = (file: string, header: string): string => {
      const lines = fs.readFileSync(path.join(source, file), 'utf8').split('\n');
      lines[0] = header;
      const target = path.join(dir, path.basename(file));
      fs.writeFileSync(target, lines.join('\n'));
      return target;
    };
    const home = newHome();
    const result = await admin('import', '--delimiter=|', '--id-type=integer',
      `--nodes=Person=${mapped('dynamic/person_0_0.csv', 'id:ID(Person)|firstName|lastName|' +
        'gender|birthday:long|creationDate:long|locationIP|browserUsed|language:string[]|' +
        'email:string[]')}`,
      `--nodes=Place=${mapped('static/place_0_0.csv', 'id:ID(Place)|name|url|type')}`,
      `--nodes=Tag=${mapped('static/tag_0_0.csv', 'id:ID(Tag)|name|url')}`,
      `--relationships=KNOWS=${mapped('dynamic/person_knows_person_0_0.csv',
        ':START_ID(Person)|:END_ID(Person)|creationDate:long')}`,
      `--relationships=IS_LOCATED_IN=${mapped('dynamic/person_isLocatedIn_place_0_0.csv',
        ':START_ID(Person)|:END_ID(Place)')}`,
      `--relationships=IS_PART_OF=${mapped('static/place_isPartOf_place_0_0.csv',
        ':START_ID(Place)|:END_ID(Place)')}`,
      `--relationships=HAS_INTEREST=${mapped('dynamic/person_hasInterest_tag_0_0.csv',
        ':START_ID(Person)|:END_ID(Tag)')}`,
      `--report-file=${path.join(dir, 'r')}`, '--home', home);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/Imported:\n  17762 nodes\n  7278 relationships\n/);
    const db = await Database.open(databaseDir(home));
    try {
      const counts = await db.run('MATCH (p:Person)-[:KNOWS]->(:Person) RETURN count(*) AS n');
      expect(counts.rows()[0]?.['n']).toBe(825n);
      const jose = await db.run('MATCH (p:Person {id: 8796093022220}) RETURN p.language AS l');
      expect(jose.rows()).toEqual([{ l: ['es', 'en'] }]);
    } finally {
      await db.close();
    }
    expect((await admin('check-consistency', '--home', home)).stdout)
      .toMatch(/^Consistency check passed: 17762 nodes, 7278 relationships/);
  });
});

describe('import CSV rows', () => {
  async function rowsOf(text: string): Promise<unknown[]> {
    const dir = newHome('quiver-csv-');
    const file = path.join(dir, 'rows.csv');
    fs.writeFileSync(file, text);
    const rows: unknown[] = [];
    await readRows([file], { delimiter: ',', quote: '"' }, {
      plain: (_file, line, t, from, to) => rows.push({ line,
        fields: splitPlain(t, from, to, ',') }),
      row: (row) => rows.push('error' in row ? { line: row.line, error: true }
        : { line: row.line, fields: row.fields }),
    });
    return rows;
  }

  it('splits plain lines, keeps quoted commas, newlines and empty strings, and counts lines',
    async () => {
      const text = '\uFEFFa,b,c\r\n1,,x\r\n\r\n2,"",y\n3,"two\nlines, quoted",z\n4,"say ""hi""",w';
      expect(await rowsOf(text)).toEqual([
        { line: 1, fields: ['a', 'b', 'c'] },
        { line: 2, fields: ['1', null, 'x'] },
        { line: 4, fields: ['2', '', 'y'] },
        { line: 6, fields: ['3', 'two\nlines, quoted', 'z'] },
        { line: 7, fields: ['4', 'say "hi"', 'w'] },
      ]);
    });

  it('reads lines and a quoted record that straddle the 4 MiB read blocks', async () => {
    const records: string[] = [];
    const expected: unknown[] = [];
    let bytes = 0;
    let line = 1;
    for (let i = 0; bytes < 9.5 * 1024 * 1024; i++) {
      // A quoted two-line record where a read block ends (every 4 MiB), plain lines elsewhere.
      const straddles = Math.floor(bytes / (4 << 20)) !== Math.floor((bytes + 64) / (4 << 20));
      const record = straddles ? `${i},"a\nb${'y'.repeat(50)}"` : `${i},${'x'.repeat(60)}`;
      records.push(record);
      bytes += record.length + 1;
      line += straddles ? 1 : 0;
      expected.push({ line, fields: [String(i), straddles ? `a\nb${'y'.repeat(50)}`
        : 'x'.repeat(60)] });
      line++;
    }
    const rows = await rowsOf(`${records.join('\n')}\n`);
    expect(rows.length).toBe(expected.length);
    expect(rows).toEqual(expected);
  });

  it('ends the file with an error at the line where an unreadable quoted record starts',
    async () => {
      expect(await rowsOf('a,b\n1,"x"y\n2,z\n')).toEqual([
        { line: 1, fields: ['a', 'b'] },
        { line: 2, error: true },
      ]);
    });
});
