/**
 * The positional relationship path (rel-line-reader.ts) against the general one: a file whose
 * every non-empty field is quoted goes through csv-parse and the row path only, so importing it
 * and its unquoted twin must give the same store, byte for byte, and the same report.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { importCsv, type IdType } from '../../src/admin/import/csv-importer.js';
import { writeSnapshot } from '../../src/graph/snapshot.js';
import {
  ByteWriter, putIntegerProp, putPropCount, writeProps,
} from '../../src/graph/snapshot-codec.js';
import { newHome, removeHomes } from './admin-helpers.js';

afterEach(removeHomes);

const NODES = ['id:ID(P),name', '1,a', '2,b', '007,c', '40,d', '-3,e', '123456789012345678,f'];

interface Outcome {
  readonly snapshot: string;
  readonly report: string[];
  readonly counts: readonly number[];
}

/** Imports NODES and `rels` (a header and lines, as written); the store's snapshot as hex. */
async function importRels(rels: readonly string[], options: { idType?: IdType;
  delimiter?: string; skipBadRelationships?: boolean } = {}): Promise<Outcome | string> {
  const dir = newHome('quiver-rel-lines-');
  const delimiter = options.delimiter ?? ',';
  const nodes = path.join(dir, 'nodes.csv');
  fs.writeFileSync(nodes, NODES.map((l) => l.replaceAll(',', delimiter)).join('\n'));
  const relFile = path.join(dir, 'rels.csv');
  fs.writeFileSync(relFile, `${rels.join('\r\n')}\r\n`);
  const report: string[] = [];
  try {
    const result = await importCsv({ delimiter, quote: '"', arrayDelimiter: ';',
      nodes: [{ files: [nodes], defaults: ['Person'] }],
      relationships: [{ files: [relFile], defaults: ['KNOWS'] }],
      idType: options.idType ?? 'integer',
      skipBadRelationships: options.skipBadRelationships ?? true, skipDuplicateNodes: false,
      badTolerance: 1000, report: (l) => report.push(l.replaceAll(`${dir}${path.sep}`, '')),
      progress: () => undefined });
    const view = result.store.openView();
    const chunks = [...writeSnapshot(result.store, view)];
    result.store.closeView(view.version);
    return { snapshot: Buffer.concat(chunks).toString('hex'), report,
      counts: [result.relationships, result.properties, result.badEntries] };
  } catch (error) {
    return error instanceof Error ? error.message.replaceAll(`${dir}${path.sep}`, '')
      : String(error);
  }
}

/** Every non-empty field in quotes: the line then takes the general (csv-parse) path. */
function quoted(line: string, delimiter = ','): string {
  return line.split(delimiter).map((f) => (f === '' || f.startsWith('"') ? f : `"${f}"`))
    .join(delimiter);
}

async function expectSameAsGeneralPath(header: string, lines: readonly string[],
  options: { idType?: IdType; delimiter?: string; skipBadRelationships?: boolean } = {}):
  Promise<Outcome | string> {
  const d = options.delimiter ?? ',';
  const plain = await importRels([header, ...lines], options);
  const general = await importRels([header, ...lines.map((l) => quoted(l, d))], options);
  expect(plain).toEqual(general);
  return plain;
}

describe('the positional relationship path', () => {
  it('imports clean, quoted and broken lines exactly as the general path does', async () => {
    const header = ':START_ID(P),:END_ID(P),since:int,w:byte,:TYPE,note:IGNORE';
    const lines = ['1,2,2017,5,KNOWS,x', '2,1,,,LIKES,', '"1",40,1,2,KNOWS,"a b"',
      '1,9,1,1,KNOWS,', '007,2,-5,-128,KNOWS,', '1,2,12x,1,KNOWS,', '1,2,1,128,KNOWS,',
      '1,2,1,1,,', '1,2', ',2,1,1,KNOWS,', '1,2,1,1,KNOWS,,extra', ' 1,2, 3,1,KNOWS,',
      '-3,1,+4,0,LIKES,', '123456789012345678,1,99999999999999999,1,KNOWS,'];
    const outcome = await expectSameAsGeneralPath(header, lines);
    expect(typeof outcome === 'string' ? outcome : outcome.report).toEqual([
      'rels.csv:5: referring to missing node 9 (id space \'P\')',
      'rels.csv:7: since: \'12x\' is not an integer (int)',
      'rels.csv:8: w: 128 is out of range for byte',
      'rels.csv:11: referring to missing node (empty) (id space \'P\')',
      'rels.csv:12: 7 fields, the header has 6 columns',
      'rels.csv:15: since: 99999999999999999 is out of range for int',
    ]);
    // 12 node properties (id and name of six nodes) and 12 of the eight relationships.
    expect(typeof outcome === 'string' ? [] : outcome.counts).toEqual([8, 24, 6]);
  });

  it('stops at a missing node with the general path\'s message when not skipping', async () => {
    const outcome = await expectSameAsGeneralPath(':START_ID(P),:END_ID(P)', ['1,2', '2,77'],
      { skipBadRelationships: false });
    expect(outcome).toBe('Relationship at rels.csv:3 referring to missing node 77 ' +
      '(id space \'P\'); use --skip-bad-relationships to skip such rows');
  });

  it('reads other delimiters, the group type, and actual ids the same way', async () => {
    await expectSameAsGeneralPath(':START_ID(P)\t:END_ID(P)\tn:long',
      ['1\t2\t-9007199254740991', '2\t1\t4294967296', '1\t1\t'], { delimiter: '\t' });
    await expectSameAsGeneralPath(':START_ID,:END_ID,n:short',
      ['1,2,32767', '2,1,-32769', '40,1,0'], { idType: 'actual' });
    await expectSameAsGeneralPath(':START_ID(P),:END_ID(P),n:int', ['1,2,3', '007,2,4'],
      { idType: 'string' });
  });

  it('keeps relationship ids in line order across full batches and general-path lines',
    async () => {
      const lines = Array.from({ length: 9000 }, (_, i) => (i % 997 === 5 ? `1,"2",${i}`
        : i % 1499 === 7 ? `1,2,${i}x` : `${[1, 2, 40][i % 3]},${[2, 7, 1][i % 3]},${i}`));
      const outcome = await expectSameAsGeneralPath(':START_ID(P),:END_ID(P),n:long', lines);
      expect(typeof outcome === 'string' ? outcome : outcome.counts.slice(0, 1)).toEqual([8994]);
    });

  it('reads string columns, ASCII or not, short or longer than a batch, as the general path',
    async () => {
      const long = 'L'.repeat(120_000);
      const texts = ['é', '日本', '\u{1F600}', 'plain', ' pad '];
      const lines = Array.from({ length: 6000 }, (_, i) => [1, 2, i % 5 === 0 ? '' : `s${i}`,
        texts[i % 5], i % 2500 === 9 ? long : i].join(','));
      const outcome = await expectSameAsGeneralPath(':START_ID(P),:END_ID(P),s,t:string,c:char',
        [...lines, `2,1,${long}é,x,y`]);
      expect(typeof outcome === 'string' ? outcome : outcome.counts).toEqual([6001, 12 + 16803, 0]);
    });

  it('agrees with the general path on random lines', async () => {
    const field = fc.oneof(fc.constantFrom('', '0', '1', '2', '007', '40', '-3', '9', '-',
      '2147483648', '-2147483648', '12x', ' 2', '+1', '1234567890123456', '999999999999999',
      'ü', 'KNOWS'));
    const line = fc.array(field, { minLength: 1, maxLength: 6 }).map((f) => f.join(','));
    await fc.assert(fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 12 }),
      async (lines) => {
        await expectSameAsGeneralPath(':START_ID(P),:END_ID(P),a:int,s,b:long,:TYPE', lines);
      }), { numRuns: 40, seed: 7 });
  });
});

describe('encoded integer properties', () => {
  it('match the bytes writeProps gives the same values as bigints', () => {
    const values = [0, -0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 32, -(2 ** 32) - 1,
      Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1234567890123];
    const out = new DataView(new ArrayBuffer(4 + 13 * values.length));
    let at = putPropCount(out, 0, values.length);
    values.forEach((v, i) => { at = putIntegerProp(out, at, i + 7, v); });
    const w = new ByteWriter();
    writeProps(w, values.flatMap((v, i) => [i + 7, BigInt(v)]));
    expect(Buffer.from(out.buffer, 0, at).toString('hex')).toBe(w.take().toString('hex'));
  });
});
