/**
 * The rows of one import file group (header first, then data, over one or more files), in
 * order, each with the file and line it came from. An unquoted empty field is null (no
 * property), a quoted one the empty string, as in Neo4j.
 *
 * Lines without a quote character are handed over unsplit (splitPlain splits them by hand); a
 * record with a quote (which may run over several lines) goes to csv-parse. Bulk import files
 * are mostly unquoted, and csv-parse's per-field bookkeeping cost more than everything else the
 * import does (docs/decisions/0023).
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
const CARRIAGE_RETURN = 0x0d;
const BOM = 0xfeff;

/**
 * Where the rows of a file group go, in file order. An unquoted line is handed over unsplit, so
 * that a reader that needs only a few numbers of it makes no string per field (decision 0023).
 */
export interface RowSink {
  /** A non-empty line without a quote character: `text` from `from` up to `to` (exclusive). */
  plain(file: string, line: number, text: string, from: number, to: number): void;
  /** A quoted record, or why it could not be read (which ends its file). */
  row(row: CsvRow | CsvRowError): void;
}

/** Feeds every row of `files` to `sink`; an unreadable record ends its file. */
export async function readRows(files: readonly string[], format: CsvFormat, sink: RowSink):
  Promise<void> {
  for (const file of files) {
    const splitter = new RowSplitter(file, format, sink);
    for await (const text of readLineChunks(file)) {
      splitter.push(text);
      if (splitter.failed) break;
    }
    splitter.end();
  }
}

/** The file as text, cut only after a newline, so no UTF-8 sequence or line is split. */
async function* readLineChunks(file: string): AsyncGenerator<string> {
  const handle = await open(file, 'r');
  try {
    let carry: Buffer = Buffer.alloc(0);
    for (;;) {
      // The partial line left over goes in front of the read, not the read after it: a concat
      // would copy every block once more.
      const buffer = Buffer.allocUnsafe(carry.length + READ_BYTES);
      carry.copy(buffer, 0);
      const { bytesRead } = await handle.read(buffer, carry.length, READ_BYTES, null);
      if (bytesRead === 0) break;
      const bytes = buffer.subarray(0, carry.length + bytesRead);
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

  constructor(private readonly file: string, private readonly format: CsvFormat,
    private readonly sink: RowSink) {}

  /** Whole lines in; each row to the sink. */
  push(text: string): void {
    const { quote } = this.format;
    let at = 0;
    if (this.first && text.charCodeAt(0) === BOM) at = 1;
    this.first = false;
    // The next quote at or after `at`, found once per quote rather than once per line.
    let nextQuote = text.indexOf(quote, at);
    while (at < text.length && !this.failed) {
      let end = text.indexOf('\n', at);
      if (end < 0) end = text.length;
      const next = end + 1;
      if (end > at && text.charCodeAt(end - 1) === CARRIAGE_RETURN) end--;
      this.line++;
      if (nextQuote >= 0 && nextQuote < at) nextQuote = text.indexOf(quote, at);
      if (this.pending.length > 0 || (nextQuote >= 0 && nextQuote < end)) {
        const row = this.quoted(text.slice(at, end));
        if (row !== null) this.sink.row(row);
      } else if (end > at) {
        this.sink.plain(this.file, this.line, text, at, end);
      }
      at = next;
    }
  }

  end(): void {
    if (this.pending.length === 0 || this.failed) return;
    this.sink.row(this.parseQuoted(this.pending));
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

/** The fields of `text` from `from` to `to`, a line without quotes; an empty field is null. */
export function splitPlain(text: string, from: number, to: number, delimiter: string):
  (string | null)[] {
  // Searched within the line alone: in the whole chunk, a line without a delimiter would send
  // indexOf to the end of the chunk.
  const line = text.slice(from, to);
  const fields: (string | null)[] = [];
  let at = 0;
  for (;;) {
    const next = line.indexOf(delimiter, at);
    const field = next < 0 ? line.slice(at) : line.slice(at, next);
    fields.push(field.length === 0 ? null : field);
    if (next < 0) return fields;
    at = next + delimiter.length;
  }
}

function countOf(text: string, quote: string): number {
  let n = 0;
  for (let at = text.indexOf(quote); at >= 0; at = text.indexOf(quote, at + 1)) n++;
  return n;
}
