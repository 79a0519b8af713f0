import neo4j from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { formatPlain, formatVerbose } from '../../../src/cli/shell/result-format.js';
import { formatDuration, formatFloat, formatValue } from '../../../src/cli/shell/value-format.js';

/** A driver Duration as the server sends it: every field an Integer. */
function duration(months: number, days: number, seconds: number, nanos: number) {
  return new neo4j.types.Duration(neo4j.int(months), neo4j.int(days), neo4j.int(seconds),
    neo4j.int(nanos));
}

const { types } = neo4j;
const int = neo4j.int;

describe('value rendering', () => {
  it('renders scalars as cypher-shell does', () => {
    expect(formatValue(null)).toBe('NULL');
    expect(formatValue(true)).toBe('TRUE');
    expect(formatValue(int(-42))).toBe('-42');
    expect(formatValue('say "hi"\n')).toBe('"say \\"hi\\"\n"');
    expect(formatValue(new Int8Array([10, 31, -1]))).toBe('#0a1fff');
  });

  it.each([
    [1, '1.0'], [0.001, '0.001'], [0.0001, '1.0E-4'], [12345678, '1.2345678E7'],
    [1234567.5, '1234567.5'], [NaN, 'NaN'], [-Infinity, '-Infinity'], [0, '0.0'],
  ])('renders the float %d as Java does', (value, text) => {
    expect(formatFloat(value)).toBe(text);
  });

  it('renders lists, maps and escaped keys', () => {
    expect(formatValue([int(1), 'x', null])).toBe('[1, "x", NULL]');
    expect(formatValue({ a: int(1), 'my key': [] })).toBe('{a: 1, `my key`: []}');
  });

  it('renders nodes, relationships and paths without ids', () => {
    const keanu = new types.Node(int(1), ['Person', 'Actor'], { name: 'Keanu' }, 'n1');
    const matrix = new types.Node(int(2), ['Movie'], {}, 'n2');
    const actedIn = new types.Relationship(int(3), int(1), int(2), 'ACTED_IN',
      { roles: ['Neo'] }, 'r3', 'n1', 'n2');
    expect(formatValue(keanu)).toBe('(:Person:Actor {name: "Keanu"})');
    expect(formatValue(new types.Node(int(4), [], {}, 'n4'))).toBe('()');
    expect(formatValue(actedIn)).toBe('[:ACTED_IN {roles: ["Neo"]}]');
    const forward = new types.Path(keanu, matrix,
      [new types.PathSegment(keanu, actedIn, matrix)]);
    expect(formatValue(forward))
      .toBe('(:Person:Actor {name: "Keanu"})-[:ACTED_IN {roles: ["Neo"]}]->(:Movie)');
    const backward = new types.Path(matrix, keanu,
      [new types.PathSegment(matrix, actedIn, keanu)]);
    expect(formatValue(backward))
      .toBe('(:Movie)<-[:ACTED_IN {roles: ["Neo"]}]-(:Person:Actor {name: "Keanu"})');
  });

  it('renders points and temporals in ISO / Java shapes', () => {
    expect(formatValue(new types.Point(int(4326), 12.99, 55.61)))
      .toBe('point({srid:4326, x:12.99, y:55.61})');
    expect(formatValue(new types.Date(2020, 1, 31))).toBe('2020-01-31');
    expect(formatValue(new types.LocalTime(12, 50, 0, 0))).toBe('12:50');
    expect(formatValue(new types.LocalTime(12, 50, 35, 556000000))).toBe('12:50:35.556');
    expect(formatValue(new types.Time(12, 50, 35, 556000000, 3600))).toBe('12:50:35.556+01:00');
    expect(formatValue(new types.LocalDateTime(2015, 7, 21, 21, 40, 32, 142000000)))
      .toBe('2015-07-21T21:40:32.142');
    expect(formatValue(
      new types.DateTime(2015, 7, 21, 21, 40, 32, 142000000, 3600, 'Europe/London')))
      .toBe('2015-07-21T21:40:32.142+01:00[Europe/London]');
    expect(formatValue(new types.DateTime(2015, 7, 21, 21, 40, 32, 0, 0)))
      .toBe('2015-07-21T21:40:32Z');
  });

  it('renders durations with zero units left out', () => {
    expect(formatDuration(duration(14, 3, 14706, 500000000))).toBe('P1Y2M3DT4H5M6.5S');
    expect(formatDuration(duration(0, 0, 0, 0))).toBe('PT0S');
    expect(formatDuration(duration(0, 0, 60, 0))).toBe('PT1M');
  });
});

const people = {
  keys: ['name', 'born'],
  rows: [['Keanu Reeves', int(1964)], ['Carrie-Anne Moss', int(1967)]],
  counters: {}, availableAfterMs: 9, consumedAfterMs: 0,
};

describe('plain format', () => {
  it('prints a header and comma-separated rows', () => {
    expect(formatPlain(people))
      .toBe('name, born\n"Keanu Reeves", 1964\n"Carrie-Anne Moss", 1967\n');
  });

  it('prints nothing at all for an empty result', () => {
    expect(formatPlain({ ...people, rows: [] })).toBe('');
  });
});

describe('verbose format', () => {
  it('prints the boxed table and the 5.x footer', () => {
    expect(formatVerbose(people)).toBe([
      '+---------------------------+',
      '| name               | born |',
      '+---------------------------+',
      '| "Keanu Reeves"     | 1964 |',
      '| "Carrie-Anne Moss" | 1967 |',
      '+---------------------------+',
      '',
      '2 rows',
      'ready to start consuming query after 9 ms, results consumed after another 0 ms',
      '',
    ].join('\n'));
  });

  it('prints only the footer and statistics for a write without columns', () => {
    expect(formatVerbose({ keys: [], rows: [], availableAfterMs: 38, consumedAfterMs: 0,
      counters: { nodesCreated: 1, propertiesSet: 2, labelsAdded: 1, nodesDeleted: 0 } })).toBe(
      '0 rows\nready to start consuming query after 38 ms, results consumed after another 0 ms\n' +
      'Added 1 nodes, Set 2 properties, Added 1 labels\n');
  });

  it('prints a result of more rows than a call takes arguments', () => {
    const rows = Array.from({ length: 300_000 }, (_, k) => [int(k)]);
    const text = formatVerbose({ keys: ['x'], rows, availableAfterMs: 1, consumedAfterMs: 2,
      counters: {} });
    const lines = text.split('\n');
    expect(lines.slice(0, 4)).toEqual(['+--------+', '| x      |', '+--------+', '| 0      |']);
    expect(lines[300_002]).toBe('| 299999 |');
    expect(text).toMatch(/\n300000 rows\n/);
  });

  it('says row for exactly one row and keeps the box for columns without rows', () => {
    expect(formatVerbose({ ...people, rows: [people.rows[0] ?? []] })).toMatch(/\n1 row\n/);
    expect(formatVerbose({ ...people, rows: [] })).toMatch(
      /^\+-+\+\n\| name \| born \|\n\+-+\+\n\+-+\+\n\n0 rows\n/);
  });
});
