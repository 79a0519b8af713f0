/**
 * The rows of one import file group (header first, then data, over one or more files), parsed
 * with csv-parse as a stream: one row at a time, with the file and line it came from. An
 * unquoted empty field is null (no property), a quoted one the empty string, as in Neo4j.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

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

/** Largest field csv-parse buffers (a runaway quote must not read a whole file into one field). */
const FIELD_CHARS_MAX = 4 * 1024 * 1024;

export async function* readRows(files: readonly string[], format: CsvFormat):
  AsyncGenerator<CsvRow | CsvRowError> {
  for (const file of files) {
    const parser = createReadStream(file).pipe(parse({
      delimiter: format.delimiter, quote: format.quote, relax_column_count: true,
      skip_empty_lines: true, max_record_size: FIELD_CHARS_MAX, bom: true,
      cast: (value, context) => (value === '' && !context.quoting ? null : value),
      on_record: (fields: (string | null)[], context) => ({ file, line: context.lines, fields }),
    }));
    try {
      for await (const row of parser) yield row as CsvRow;
    } catch (error) {
      const line = (error as { lines?: unknown }).lines;
      yield { file, line: typeof line === 'number' ? line : 0,
        error: error instanceof Error ? error.message : String(error) };
    }
  }
}
