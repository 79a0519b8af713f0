/**
 * `quiver-admin import`: CSV files in Neo4j's import format into a new graph. All node groups
 * are read first (ids resolved per id space), then the relationship groups. Rows that cannot be
 * imported are bad entries: written to the report with file and line and skipped, until more
 * than `badTolerance` of them stop the import. A relationship to a missing node or a duplicate
 * node id stops it at once unless the matching --skip flag says to skip such rows.
 */
import { assert } from '../../assert.js';
import { QuiverError } from '../../errors/quiver-error.js';
import { GraphStore } from '../../graph/store.js';
import type { PropertyValue } from '../../graph/values.js';
import {
  readRows, splitPlain, type CsvFormat, type CsvRow, type CsvRowError,
} from './csv-rows.js';
import { parseHeader, GLOBAL_GROUP, type Column, type PropertyColumn } from './import-header.js';
import { IdSpace, type IdKey } from './id-space.js';
import { convertField } from './import-values.js';
import { RelLineReader } from './rel-line-reader.js';

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
const PROGRESS_ROWS = 1_000_000;
/** Longest decimal text that is surely a safe integer, so Number() reads it exactly. */
const SAFE_DIGITS_MAX = 15;
/** Largest node id `--id-type=actual` accepts. */
const ACTUAL_ID_MAX = 2 ** 40;

function importFailed(message: string): QuiverError {
  return new QuiverError('InvalidFormat', message);
}

export async function importCsv(options: ImportOptions): Promise<ImportResult> {
  assert(Number.isSafeInteger(options.badTolerance) && options.badTolerance >= 0, 'badTolerance');
  const importer = new CsvImporter(options);
  options.progress('(1/2) Node import');
  for (const group of options.nodes) await importer.group(group, 'nodes');
  options.progress('(2/2) Relationship import');
  for (const group of options.relationships) await importer.group(group, 'relationships');
  return importer.result();
}

/** The state of reading one group's files. */
interface GroupReading {
  readonly group: ImportGroup;
  readonly entity: 'nodes' | 'relationships';
  /** Null until the header row is read. */
  columns: readonly Column[] | null;
  rows: number;
  /** The positional path for the group's unquoted lines, when its columns allow one. */
  lines: RelLineReader | null;
}

class CsvImporter {
  private readonly store = new GraphStore();
  private readonly idSpaces = new Map<string, IdSpace>();
  private lastType: { readonly name: string; readonly id: number } | null = null;
  private nextNodeId = 0;
  private nextRelId = 0;
  private properties = 0;
  private badEntries = 0;
  private nodeCount = 0;
  private relCount = 0;

  constructor(private readonly options: ImportOptions) {}

  async group(group: ImportGroup, entity: 'nodes' | 'relationships'): Promise<void> {
    const reading: GroupReading = { group, entity, columns: null, rows: 0, lines: null };
    await readRows(group.files, this.options, {
      plain: (file, line, text, from, to) => this.plainLine(reading, file, line, text, from, to),
      row: (row) => this.row(reading, row),
    });
    reading.lines?.flush();
    this.options.progress(`  ${group.files.join(', ')}: ${reading.rows} rows`);
  }

  /** An unquoted line: the positional path when it takes the line, else split into a row. */
  private plainLine(reading: GroupReading, file: string, line: number, text: string,
    from: number, to: number): void {
    const lines = reading.lines;
    if (lines !== null && lines.parse(text, from, to)) {
      this.countRow(reading);
      this.properties += lines.add(this.nextRelId++, this.typeId(lines.type));
      this.relCount++;
      return;
    }
    this.row(reading, { file, line, fields: splitPlain(text, from, to, this.options.delimiter) });
  }

  private row(reading: GroupReading, row: CsvRow | CsvRowError): void {
    if ('error' in row) {
      throw importFailed(`Error in input data at ${row.file}:${row.line}: ${row.error}`);
    }
    const { group, entity, columns } = reading;
    if (columns === null) {
      reading.columns = this.header(row, group, entity);
      reading.lines = entity === 'relationships' ? this.relLineReader(reading.columns, group)
        : null;
      return;
    }
    this.countRow(reading);
    // Relationships the positional path batched come first: ids are loaded in order.
    reading.lines?.flush();
    const problem = entity === 'nodes' ? this.nodeRow(row, columns, group)
      : this.relRow(row, columns, group);
    if (problem !== null) this.bad(`${row.file}:${row.line}: ${problem}`);
  }

  private countRow(reading: GroupReading): void {
    if (++reading.rows % PROGRESS_ROWS === 0) {
      this.options.progress(`  ${reading.rows} rows of ${reading.entity}`);
    }
  }

  /** The positional path, for integer ids (a string id is its text, which it does not make). */
  private relLineReader(columns: readonly Column[], group: ImportGroup): RelLineReader | null {
    if (this.options.idType === 'string') return null;
    return RelLineReader.forColumns(columns, { store: this.store,
      delimiter: this.options.delimiter, version: IMPORT_VERSION,
      defaultType: group.defaults[0] ?? null,
      idSpace: (space) => this.idSpaces.get(this.options.idType === 'actual' ? GLOBAL_GROUP
        : space) });
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
    // Keys and values alternating: the store encodes them into its arena, a Map would be garbage.
    const props: (number | PropertyValue)[] = [];
    let id: { group: string; key: IdKey } | null = null;
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i] as Column;
      const text = row.fields[i] ?? null;
      if (text === null) continue;
      if (column.kind === 'label') {
        for (const label of text.split(this.options.arrayDelimiter)) if (label) labels.add(label);
      } else if (column.kind === 'id') {
        const key = this.idKey(text);
        if (key === null) return `'${text}' is not a valid ${this.options.idType} id`;
        id = { group: column.group, key };
        if (column.property !== null) {
          setFlatProp(props, this.store.keys.intern(column.property), this.idProperty(text));
        }
      } else if (column.kind === 'property') {
        const converted = convertField(column, text, this.options.arrayDelimiter);
        if ('error' in converted) return `${column.name}: ${converted.error}`;
        setFlatProp(props, this.store.keys.intern(column.name), converted.value);
      }
    }
    const nodeId = this.allocateNode(id, row);
    if (typeof nodeId === 'string') return nodeId;
    this.properties += props.length / 2;
    this.nodeCount++;
    this.store.loadNode({ id: nodeId, labels: [...labels].map((l) => this.store.labels.intern(l)),
      props, version: IMPORT_VERSION });
    return null;
  }

  private relRow(row: CsvRow, columns: readonly Column[], group: ImportGroup): string | null {
    if (row.fields.length > columns.length) return extraColumns(row, columns);
    let type = group.defaults[0] ?? null;
    let start: number | undefined;
    let end: number | undefined;
    const props: (number | PropertyValue)[] = [];
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i] as Column;
      const text = row.fields[i] ?? null;
      if (column.kind === 'start' || column.kind === 'end') {
        const node = text === null ? undefined : this.lookup(column.group, text);
        if (node === undefined) return this.missingNode(column.group, text, row);
        if (column.kind === 'start') start = node;
        else end = node;
      } else if (text === null) {
        continue;
      } else if (column.kind === 'type') {
        type = text;
      } else if (column.kind === 'property') {
        const converted = convertField(column, text, this.options.arrayDelimiter);
        if ('error' in converted) return `${column.name}: ${converted.error}`;
        setFlatProp(props, this.store.keys.intern(column.name), converted.value);
      }
    }
    if (type === null || type === '') return 'relationship without a type';
    assert(start !== undefined && end !== undefined, 'relationship ends are resolved');
    this.properties += props.length / 2;
    this.relCount++;
    this.store.loadRel({ id: this.nextRelId++, type: this.typeId(type), start, end, props,
      version: IMPORT_VERSION, deferAdjacency: true });
    return null;
  }

  /** Rows of a group mostly share one type: remember the last one's id. */
  private typeId(type: string): number {
    if (this.lastType?.name !== type) {
      this.lastType = { name: type, id: this.store.types.intern(type) };
    }
    return this.lastType.id;
  }

  /**
   * The id as its id space compares it: strings as written, integers by value (a number when
   * safe, which hashes much faster than the text: two lookups per relationship row).
   */
  private idKey(text: string): IdKey | null {
    if (this.options.idType === 'string') return text;
    if (isCanonicalDecimal(text)) {
      const n = Number(text);
      return this.options.idType === 'actual' && n > ACTUAL_ID_MAX ? null : n;
    }
    const trimmed = text.trim();
    if (!/^[+-]?\d+$/.test(trimmed)) return null;
    const value = BigInt(trimmed);
    if (this.options.idType === 'actual' && (value < 0n || value > BigInt(ACTUAL_ID_MAX))) {
      return null;
    }
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  }

  private idProperty(text: string): PropertyValue {
    return this.options.idType === 'string' ? text : BigInt(text.trim());
  }

  private allocateNode(id: { group: string; key: IdKey } | null, row: CsvRow): number | string {
    if (this.options.idType === 'actual' && id === null) return 'a node without an :ID value';
    if (id === null) return this.nextNodeId++;
    const space = this.options.idType === 'actual' ? GLOBAL_GROUP : id.group;
    let ids = this.idSpaces.get(space);
    if (ids === undefined) this.idSpaces.set(space, ids = new IdSpace());
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

  result(): ImportResult {
    this.store.buildAdjacency(0);
    this.store.version = IMPORT_VERSION;
    return { store: this.store, nodes: this.nodeCount, relationships: this.relCount,
      properties: this.properties, badEntries: this.badEntries };
  }
}


/** Keys and values alternating; a later column of the same name wins. */
function setFlatProp(props: (number | PropertyValue)[], key: number, value: PropertyValue):
  void {
  for (let i = 0; i < props.length; i += 2) {
    if (props[i] === key) {
      props[i + 1] = value;
      return;
    }
  }
  props.push(key, value);
}

/** Digits without sign or leading zero, short enough to be a safe integer: its own key. */
function isCanonicalDecimal(text: string): boolean {
  if (text.length === 0 || text.length > SAFE_DIGITS_MAX) return false;
  if (text.length > 1 && text.charCodeAt(0) === 0x30) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function groupName(group: string): string {
  return group === GLOBAL_GROUP ? 'global id space' : `id space '${group}'`;
}

function extraColumns(row: CsvRow, columns: readonly Column[]): string {
  return `${row.fields.length} fields, the header has ${columns.length} columns`;
}
