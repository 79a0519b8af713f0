/**
 * `quiver-admin import`: CSV files in Neo4j's import format into a new graph. All node groups
 * are read first (ids resolved per id space), then the relationship groups. Rows that cannot be
 * imported are bad entries: written to the report with file and line and skipped, until more
 * than `badTolerance` of them stop the import. A relationship to a missing node or a duplicate
 * node id stops it at once unless the matching --skip flag says to skip such rows.
 */
import { assert } from '../../assert.js';
import { QuiverError } from '../../errors/quiver-error.js';
import type { EncodedProps, NodeChange, RelChange } from '../../graph/changeset.js';
import { encodeProperty } from '../../graph/property-codec.js';
import { GraphStore } from '../../graph/store.js';
import { readRows, type CsvFormat, type CsvRow } from './csv-rows.js';
import { parseHeader, GLOBAL_GROUP, type Column, type PropertyColumn } from './import-header.js';
import { convertField } from './import-values.js';

export interface ImportGroup {
  readonly files: readonly string[];
  /** Labels added to every node of the group, or the relationship type of rows without one. */
  readonly defaults: readonly string[];
}

export type IdType = 'string' | 'integer' | 'actual';

export interface ImportOptions extends CsvFormat {
  readonly nodes: readonly ImportGroup[];
  readonly relationships: readonly ImportGroup[];
  readonly arrayDelimiter: string;
  readonly idType: IdType;
  readonly skipBadRelationships: boolean;
  readonly skipDuplicateNodes: boolean;
  readonly badTolerance: number;
  /** One bad entry, for the report file. */
  readonly report: (line: string) => void;
  readonly progress: (line: string) => void;
}

export interface ImportResult {
  readonly store: GraphStore;
  readonly nodes: number;
  readonly relationships: number;
  readonly properties: number;
  readonly badEntries: number;
}

/** The graph version an imported store stands at: the snapshot index it is installed with. */
export const IMPORT_VERSION = 1;
const BATCH_ENTITIES = 10_000;
const PROGRESS_ROWS = 1_000_000;

function importFailed(message: string): QuiverError {
  return new QuiverError('InvalidFormat', message);
}

export async function importCsv(options: ImportOptions): Promise<ImportResult> {
  assert(Number.isSafeInteger(options.badTolerance) && options.badTolerance >= 0, 'badTolerance');
  const importer = new CsvImporter(options);
  options.progress('(1/2) Node import');
  for (const group of options.nodes) await importer.group(group, 'nodes');
  importer.flush();
  options.progress('(2/2) Relationship import');
  for (const group of options.relationships) await importer.group(group, 'relationships');
  importer.flush();
  return importer.result();
}

class CsvImporter {
  private readonly store = new GraphStore();
  private readonly idSpaces = new Map<string, Map<string, number>>();
  private nodes: NodeChange[] = [];
  private rels: RelChange[] = [];
  private nextNodeId = 0;
  private nextRelId = 0;
  private properties = 0;
  private badEntries = 0;
  private nodeCount = 0;
  private relCount = 0;

  constructor(private readonly options: ImportOptions) {}

  async group(group: ImportGroup, entity: 'nodes' | 'relationships'): Promise<void> {
    let columns: readonly Column[] | null = null;
    let rows = 0;
    for await (const row of readRows(group.files, this.options)) {
      if ('error' in row) {
        throw importFailed(`Error in input data at ${row.file}:${row.line}: ${row.error}`);
      }
      if (columns === null) {
        columns = this.header(row, group, entity);
        continue;
      }
      if (++rows % PROGRESS_ROWS === 0) this.options.progress(`  ${rows} rows of ${entity}`);
      const problem = entity === 'nodes' ? this.nodeRow(row, columns, group)
        : this.relRow(row, columns, group);
      if (problem !== null) this.bad(`${row.file}:${row.line}: ${problem}`);
    }
    this.options.progress(`  ${group.files.join(', ')}: ${rows} rows`);
  }

  private header(row: CsvRow, group: ImportGroup, entity: 'nodes' | 'relationships'):
    readonly Column[] {
    const parsed = parseHeader(row.fields.map((f) => f ?? ''), entity, group.defaults[0] ?? null);
    if (!parsed.ok) throw importFailed(`Invalid header in ${row.file}: ${parsed.reason}`);
    return parsed.columns;
  }

  private bad(line: string): void {
    this.badEntries++;
    this.options.report(line);
    if (this.badEntries > this.options.badTolerance) {
      throw importFailed(`Too many bad entries ${this.badEntries}, where last one was: ${line}`);
    }
  }

  /** Null when the row became a node, else why it is a bad entry. */
  private nodeRow(row: CsvRow, columns: readonly Column[], group: ImportGroup): string | null {
    if (row.fields.length > columns.length) return extraColumns(row, columns);
    const labels = new Set(group.defaults);
    const props: EncodedProps = [];
    let id: { group: string; key: string } | null = null;
    for (const [i, column] of columns.entries()) {
      const text = row.fields[i] ?? null;
      if (text === null) continue;
      if (column.kind === 'label') {
        for (const label of text.split(this.options.arrayDelimiter)) if (label) labels.add(label);
      } else if (column.kind === 'id') {
        const key = this.idKey(text);
        if (key === null) return `'${text}' is not a valid ${this.options.idType} id`;
        id = { group: column.group, key };
        if (column.property !== null) props.push([column.property, this.idProperty(text)]);
      } else if (column.kind === 'property') {
        const problem = this.addProperty(props, column, text);
        if (problem !== null) return problem;
      }
    }
    const nodeId = this.allocateNode(id, row);
    if (typeof nodeId === 'string') return nodeId;
    this.properties += props.length;
    this.nodeCount++;
    this.nodes.push({ op: 'create', id: nodeId, labels: [...labels], props });
    if (this.nodes.length >= BATCH_ENTITIES) this.flush();
    return null;
  }

  private relRow(row: CsvRow, columns: readonly Column[], group: ImportGroup): string | null {
    if (row.fields.length > columns.length) return extraColumns(row, columns);
    let type = group.defaults[0] ?? null;
    const ends: { start?: number; end?: number } = {};
    const props: EncodedProps = [];
    for (const [i, column] of columns.entries()) {
      const text = row.fields[i] ?? null;
      if (column.kind === 'start' || column.kind === 'end') {
        const node = text === null ? undefined : this.lookup(column.group, text);
        if (node === undefined) return this.missingNode(column.group, text, row);
        ends[column.kind] = node;
      } else if (text === null) {
        continue;
      } else if (column.kind === 'type') {
        type = text;
      } else if (column.kind === 'property') {
        const problem = this.addProperty(props, column, text);
        if (problem !== null) return problem;
      }
    }
    if (type === null || type === '') return 'relationship without a type';
    assert(ends.start !== undefined && ends.end !== undefined, 'relationship ends are resolved');
    this.properties += props.length;
    this.relCount++;
    this.rels.push({ op: 'create', id: this.nextRelId++, type, start: ends.start, end: ends.end,
      props });
    if (this.rels.length >= BATCH_ENTITIES) this.flush();
    return null;
  }

  private addProperty(props: EncodedProps, column: PropertyColumn, text: string): string | null {
    const converted = convertField(column, text, this.options.arrayDelimiter);
    if ('error' in converted) return `${column.name}: ${converted.error}`;
    props.push([column.name, encodeProperty(converted.value)]);
    return null;
  }

  /** The id as its id space compares it: integers by value, strings as written. */
  private idKey(text: string): string | null {
    if (this.options.idType === 'string') return text;
    const trimmed = text.trim();
    if (!/^[+-]?\d+$/.test(trimmed)) return null;
    const value = BigInt(trimmed);
    if (this.options.idType === 'actual' && (value < 0n || value > 2n ** 40n)) return null;
    return value.toString();
  }

  private idProperty(text: string): EncodedProps[number][1] {
    return this.options.idType === 'string' ? text : encodeProperty(BigInt(text.trim()));
  }

  private allocateNode(id: { group: string; key: string } | null, row: CsvRow): number | string {
    if (this.options.idType === 'actual' && id === null) return 'a node without an :ID value';
    if (id === null) return this.nextNodeId++;
    const space = this.options.idType === 'actual' ? GLOBAL_GROUP : id.group;
    let ids = this.idSpaces.get(space);
    if (ids === undefined) this.idSpaces.set(space, ids = new Map());
    if (ids.has(id.key)) {
      const message = `Id '${id.key}' is defined more than once in ${groupName(space)}`;
      if (!this.options.skipDuplicateNodes) {
        throw importFailed(`${message}, at ${row.file}:${row.line}`);
      }
      return message;
    }
    const nodeId = this.options.idType === 'actual' ? Number(id.key) : this.nextNodeId++;
    ids.set(id.key, nodeId);
    return nodeId;
  }

  private lookup(group: string, text: string): number | undefined {
    const key = this.idKey(text);
    if (key === null) return undefined;
    return this.idSpaces.get(this.options.idType === 'actual' ? GLOBAL_GROUP : group)?.get(key);
  }

  private missingNode(group: string, text: string | null, row: CsvRow): string {
    const message = `referring to missing node ${text ?? '(empty)'} (${groupName(group)})`;
    if (!this.options.skipBadRelationships) {
      throw importFailed(`Relationship at ${row.file}:${row.line} ${message}; use ` +
        '--skip-bad-relationships to skip such rows');
    }
    return message;
  }

  flush(): void {
    if (this.nodes.length === 0 && this.rels.length === 0) return;
    this.store.restore({ nodes: this.nodes, rels: this.rels, schema: [] }, IMPORT_VERSION);
    this.nodes = [];
    this.rels = [];
  }

  result(): ImportResult {
    return { store: this.store, nodes: this.nodeCount, relationships: this.relCount,
      properties: this.properties, badEntries: this.badEntries };
  }
}

function groupName(group: string): string {
  return group === GLOBAL_GROUP ? 'global id space' : `id space '${group}'`;
}

function extraColumns(row: CsvRow, columns: readonly Column[]): string {
  return `${row.fields.length} fields, the header has ${columns.length} columns`;
}
