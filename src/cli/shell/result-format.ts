/**
 * The two result layouts of cypher-shell: `plain` (`a, b` header then rows, nothing for an
 * empty result) and `verbose` (a boxed table, row count, timings and update statistics).
 */
import { formatValue } from './value-format.js';

export type OutputFormat = 'plain' | 'verbose';

export interface ShellResult {
  readonly keys: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
  /** Update counters by the driver's names (nodesCreated…); zero ones are not printed. */
  readonly counters: Readonly<Record<string, number>>;
  readonly availableAfterMs: number;
  readonly consumedAfterMs: number;
}

const STATISTICS: ReadonlyArray<readonly [string, string]> = [
  ['nodesCreated', 'Added %d nodes'], ['nodesDeleted', 'Deleted %d nodes'],
  ['relationshipsCreated', 'Created %d relationships'],
  ['relationshipsDeleted', 'Deleted %d relationships'], ['propertiesSet', 'Set %d properties'],
  ['labelsAdded', 'Added %d labels'], ['labelsRemoved', 'Removed %d labels'],
  ['indexesAdded', 'Added %d indexes'], ['indexesRemoved', 'Removed %d indexes'],
  ['constraintsAdded', 'Added %d constraints'], ['constraintsRemoved', 'Removed %d constraints'],
];

export function formatPlain(result: ShellResult): string {
  if (result.rows.length === 0) return '';
  const lines = [result.keys.join(', ')];
  for (const row of result.rows) lines.push(row.map(formatValue).join(', '));
  return `${lines.join('\n')}\n`;
}

export function formatStatistics(counters: Readonly<Record<string, number>>): string {
  return STATISTICS.filter(([key]) => (counters[key] ?? 0) > 0)
    .map(([key, text]) => text.replace('%d', String(counters[key]))).join(', ');
}

function codePoints(text: string): number {
  return [...text].length;
}

function padCell(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - codePoints(text)));
}

function table(keys: readonly string[], cells: readonly string[][]): string[] {
  const widths = keys.map((key, column) => cells.reduce(
    (widest, row) => Math.max(widest, codePoints(row[column] ?? '')), codePoints(key)));
  const total = 1 + widths.reduce((sum, width) => sum + width + 3, 0);
  const border = `+${'-'.repeat(total - 2)}+`;
  const line = (values: readonly string[]) =>
    `|${values.map((value, column) => ` ${padCell(value, widths[column] ?? 0)} |`).join('')}`;
  return [border, line(keys), border, ...cells.map(line), border, ''];
}

export function formatVerbose(result: ShellResult): string {
  // A value with line breaks would break the box; show them escaped inside a cell. The table's
  // lines start the list, not spread into it: a result can have more rows than a call takes arguments.
  const lines = result.keys.length === 0 ? [] : table(result.keys, result.rows.map((row) =>
    row.map((value) => formatValue(value).replace(/\r?\n/g, '\\n'))));
  const count = result.rows.length;
  lines.push(`${count} ${count === 1 ? 'row' : 'rows'}`);
  lines.push(`ready to start consuming query after ${result.availableAfterMs} ms, ` +
    `results consumed after another ${result.consumedAfterMs} ms`);
  const statistics = formatStatistics(result.counters);
  if (statistics !== '') lines.push(statistics);
  return `${lines.join('\n')}\n`;
}

export function formatResult(result: ShellResult, format: OutputFormat): string {
  return format === 'plain' ? formatPlain(result) : formatVerbose(result);
}
