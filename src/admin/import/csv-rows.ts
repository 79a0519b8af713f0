/**
 * The rows of one import file group (header first, then data, over one or more files), in
 * batches, each row with the file and line it came from. An unquoted empty field is null (no
 * property), a quoted one the empty string, as in Neo4j.
 *
 * Lines without a quote character are split here by hand; a record with a quote (which may run
 * over several lines) goes to csv-parse. Bulk import files are mostly unquoted, and csv-parse's
 * per-field bookkeeping cost more than everything else the import does (docs/decisions/0023).
 */
import { open } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';

export interface CsvFormat {
  readonly delimiter: string;
  readonly quote: string;
}

export interface CsvRow {
  readonly file: string;
  /** Line of the file where the row ends (1-based). */
  readonly line: number;
  readonly fields: readonly (string | null)[];
}

/** A row whose quoting could not be read: reported as a bad entry, not a stop. */
export interface CsvRowError {
  readonly file: string;
  readonly line: number;
  readonly error: string;
}

/** Largest quoted record buffered (a runaway quote must not read a whole file into one row). */
const RECORD_CHARS_MAX = 4 * 1024 * 1024;
const READ_BYTES = 4 * 1024 * 1024;
const NEWLINE = 0x0a;

/** Rows in batches of about one read's worth; an unreadable record ends its file. */
export async function* readRowBatches(files: readonly string[], format: CsvFormat):
  AsyncGenerator<(CsvRow | CsvRowError)[]> {
  for (const file of files) {
    const splitter = new RowSplitter(file, format);
    for await (const text of readLineChunks(file)) {
      const rows = splitter.push(text);
      if (rows.length > 0) yield rows;
      if (splitter.failed) break;
    }
    const rest = splitter.end();
    if (rest.length > 0) yield rest;
  }
}

/** The file as text, cut only after a newline, so no UTF-8 sequence or line is split. */
async function* readLineChunks(file: string): AsyncGenerator<string> {
  const handle = await open(file, 'r');
  try {
    let carry: Buffer = Buffer.alloc(0);
    for (;;) {
      const buffer = Buffer.allocUnsafe(READ_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, READ_BYTES, null);
      if (bytesRead === 0) break;
      const bytes = carry.length > 0 ? Buffer.concat([carry, buffer.subarray(0, bytesRead)])
        : buffer.subarray(0, bytesRead);
      const cut = bytes.lastIndexOf(NEWLINE) + 1;
      if (cut > 0) yield bytes.toString('utf8', 0, cut);
      carry = Buffer.from(bytes.subarray(cut));
    }
    if (carry.length > 0) yield `${carry.toString('utf8')}\n`;
  } finally {
    await handle.close();
  }
}

class RowSplitter {
  private line = 0;
  private first = true;
  /** Lines of a quoted record still open at the end of the last chunk. */
  private pending = '';
  private pendingStart = 0;
  failed = false;

  constructor(private readonly file: string, private readonly format: CsvFormat) {}

  /** Whole lines in; rows out. */
  push(text: string): (CsvRow | CsvRowError)[] {
    const rows: (CsvRow | CsvRowError)[] = [];
    const { delimiter, quote } = this.format;
    let at = 0;
    if (this.first && text.charCodeAt(0) === 0xfeff) at = 1;
    this.first = false;
    while (at < text.length && !this.failed) {
      let end = text.indexOf('\n', at);
      if (end < 0) end = text.length;
      let lineText = text.slice(at, end);
      at = end + 1;
      this.line++;
      if (lineText.endsWith('\r')) lineText = lineText.slice(0, -1);
      if (this.pending.length > 0 || lineText.includes(quote)) {
        const row = this.quoted(lineText);
        if (row !== null) rows.push(row);
      } else if (lineText.length > 0) {
        rows.push({ file: this.file, line: this.line, fields: splitPlain(lineText, delimiter) });
      }
    }
    return rows;
  }

  end(): (CsvRow | CsvRowError)[] {
    if (this.pending.length === 0 || this.failed) return [];
    return [this.parseQuoted(this.pending)];
  }

  /** Gathers the lines of a quoted record until its quotes balance, then parses it. */
  private quoted(lineText: string): CsvRow | CsvRowError | null {
    if (this.pending.length === 0) this.pendingStart = this.line;
    this.pending = this.pending.length === 0 ? lineText : `${this.pending}\n${lineText}`;
    if (this.pending.length > RECORD_CHARS_MAX) {
      this.failed = true;
      return { file: this.file, line: this.pendingStart, error: 'a quoted field runs over ' +
        `${RECORD_CHARS_MAX} characters (is a closing quote missing?)` };
    }
    if (countOf(this.pending, this.format.quote) % 2 === 1) return null;
    const record = this.pending;
    this.pending = '';
    return this.parseQuoted(record);
  }

  private parseQuoted(record: string): CsvRow | CsvRowError {
    try {
      const parsed = parse(record, { delimiter: this.format.delimiter, quote: this.format.quote,
        relax_column_count: true,
        cast: (value, context) => (value === '' && !context.quoting ? null : value) });
      const fields = (parsed as (string | null)[][])[0] ?? [];
      return { file: this.file, line: this.line, fields };
    } catch (error) {
      this.failed = true;
      return { file: this.file, line: this.pendingStart,
        error: error instanceof Error ? error.message : String(error) };
    }
  }
}

function splitPlain(text: string, delimiter: string): (string | null)[] {
  const fields: (string | null)[] = [];
  let from = 0;
  for (;;) {
    const next = text.indexOf(delimiter, from);
    const field = next < 0 ? text.slice(from) : text.slice(from, next);
    fields.push(field.length === 0 ? null : field);
    if (next < 0) return fields;
    from = next + delimiter.length;
  }
}

function countOf(text: string, quote: string): number {
  let n = 0;
  for (let at = text.indexOf(quote); at >= 0; at = text.indexOf(quote, at + 1)) n++;
  return n;
}
