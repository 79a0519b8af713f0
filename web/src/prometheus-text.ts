/**
 * Reads the Prometheus text exposition format that `/metrics` serves, as far as the cluster
 * view's chart needs: sample lines with their labels and value. Comments, timestamps and
 * malformed lines are skipped, so a metric added later never breaks the chart.
 */

export interface MetricSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A member's /metrics is a few hundred lines; anything past this is not read. */
export const METRIC_LINES_MAX = 5000;

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/y;

function unescapeLabel(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function parseLabels(text: string): Record<string, string> | null {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const match = LABEL.exec(text);
    if (match === null) return null;
    labels[match[1] ?? ''] = unescapeLabel(match[2] ?? '');
  }
  return labels;
}

function parseValue(text: string): number | null {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  const value = Number(text);
  return Number.isNaN(value) ? null : value;
}

export function parseMetrics(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n', METRIC_LINES_MAX)) {
    const match = SAMPLE.exec(line.trim());
    if (match === null) continue;
    const labels = parseLabels(match[2] ?? '');
    const value = parseValue(match[3] ?? '');
    if (labels === null || value === null) continue;
    samples.push({ name: match[1] ?? '', labels, value });
  }
  return samples;
}

/** The sum of every sample of one metric whose labels include all of `where`. */
export function sumOf(samples: readonly MetricSample[], name: string,
  where: Readonly<Record<string, string>> = {}): number {
  let total = 0;
  for (const sample of samples) {
    if (sample.name !== name) continue;
    if (Object.entries(where).every(([key, value]) => sample.labels[key] === value)) {
      total += sample.value;
    }
  }
  return total;
}
