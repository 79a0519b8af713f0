import { describe, expect, it } from 'vitest';
import { parseSchemaRule, quoted, ruleSampleQuery } from '../../web/src/schema-sidebar.js';

describe('the schema sidebar', () => {
  it('reads an index row of SHOW INDEXES and samples what it indexes', () => {
    const rule = parseSchemaRule({ id: 1, name: 'index_1', type: 'RANGE', entityType: 'NODE',
      labelsOrTypes: ['Person'], properties: ['born'] });
    expect(rule).toEqual({ name: 'index_1', type: 'RANGE', entityType: 'NODE',
      labelOrType: 'Person', properties: ['born'] });
    expect(ruleSampleQuery(rule))
      .toBe('MATCH (x:Person) WHERE x.born IS NOT NULL RETURN x, x.born LIMIT 25');
  });

  it('samples a relationship constraint on two keys, quoting names that need it', () => {
    const rule = parseSchemaRule({ name: 'c', type: 'RELATIONSHIP_PROPERTY_UNIQUENESS',
      entityType: 'RELATIONSHIP', labelsOrTypes: ['ACTED IN'], properties: ['role', 'y`r'] });
    expect(ruleSampleQuery(rule)).toBe('MATCH ()-[x:`ACTED IN`]->() WHERE x.role IS NOT NULL ' +
      'AND x.`y``r` IS NOT NULL RETURN x, x.role, x.`y``r` LIMIT 25');
  });

  it('samples any node for a token lookup index, which names no label', () => {
    const rule = parseSchemaRule({ name: 'lookup', type: 'LOOKUP', entityType: 'NODE',
      labelsOrTypes: null, properties: null });
    expect(ruleSampleQuery(rule)).toBe('MATCH (x) RETURN x LIMIT 25');
  });

  it('quotes only names that are not plain identifiers', () => {
    expect([quoted('Movie'), quoted('_x1'), quoted('1x'), quoted('a-b')])
      .toEqual(['Movie', '_x1', '`1x`', '`a-b`']);
  });
});
