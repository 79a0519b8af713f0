/**
 * The embedded engine beside Kùzu: one table per size with both engines' figures and their
 * ratio, and the medium-graph targets of the engine issue, each marked met or missed.
 */
import type { SizeSummary } from './graph-bench-kit.js';

export interface TargetResult {
  readonly target: string;
  readonly value: number | null;
  readonly limit: number | null;
  readonly met: boolean;
}

const mean = (xs: readonly (number | null)[] | undefined): number | null => {
  const values = (xs ?? []).filter((x): x is number => typeof x === 'number');
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
};

function fmt(x: number | null): string {
  if (x === null) return '-';
  if (x >= 100) return Math.round(x).toLocaleString('en-US');
  return x >= 10 ? x.toFixed(1) : x.toFixed(3);
}

/** `ours / theirs` for throughput, `theirs / ours` for latency: above 1 means we are faster. */
function ratio(ours: number | null, theirs: number | null, higherIsBetter: boolean): string {
  if (ours === null || theirs === null || ours === 0 || theirs === 0) return '-';
  return `${(higherIsBetter ? ours / theirs : theirs / ours).toFixed(2)}x`;
}

export function sideBySide(size: string, ours: SizeSummary, kuzu: SizeSummary | undefined):
  string {
  const lines = [`### ${size}: QuiverDB embedded vs Kùzu (ratio > 1: QuiverDB faster/smaller)`,
    '', '| figure | QuiverDB | Kùzu | ratio | verified |', '|---|---|---|---|---|'];
  const row = (name: string, a: number | null, b: number | null, better: boolean,
    verified = ''): void => {
    lines.push(`| ${name} | ${fmt(a)} | ${fmt(b)} | ${ratio(a, b, better)} | ${verified} |`);
  };
  lines.push(`| every check passed (counts, answers, no errors) | ${
    ours.verificationOk.every(Boolean) ? 'yes' : 'NO'} | | | |`);
  row('load edges/s', mean(ours.load.edgesPerSec), mean(kuzu?.load.edgesPerSec), true);
  row('load nodes/s', mean(ours.load.nodesPerSec), mean(kuzu?.load.nodesPerSec), true);
  row('peak RSS MiB', mean(ours.peakRssMB), mean(kuzu?.peakRssMB), false);
  for (const [id, q] of Object.entries(ours.queries)) {
    const k = kuzu?.queries[id];
    if (q.error) {
      lines.push(`| ${id} ${q.name} | ${q.error.filter(Boolean)[0] ?? 'error'} | | | |`);
      continue;
    }
    const verified = q.verified.join(' / ');
    row(`${id} ops/s`, mean(q.opsPerSec), mean(k?.opsPerSec), true, verified);
    row(`${id} p50 ms`, mean(q.p50Ms), mean(k?.p50Ms), false);
    row(`${id} p99 ms`, mean(q.p99Ms), mean(k?.p99Ms), false);
  }
  return lines.join('\n');
}

/** The engine issue's targets, on the medium graph. */
export function checkTargets(ours: SizeSummary, kuzu: SizeSummary | undefined): TargetResult[] {
  const q = (id: string): SizeSummary['queries'][string] | undefined => ours.queries[id];
  const atLeast = (target: string, value: number | null, limit: number): TargetResult =>
    ({ target, value, limit, met: value !== null && value >= limit });
  const below = (target: string, value: number | null, limit: number | null): TargetResult =>
    ({ target, value, limit, met: value !== null && limit !== null && value < limit });
  const kuzuQ7 = mean(kuzu?.queries['Q7']?.p50Ms);
  return [
    atLeast('load >= 300k relationships/s', mean(ours.load.edgesPerSec), 300_000),
    atLeast('Q1 >= 50k ops/s', mean(q('Q1')?.opsPerSec), 50_000),
    below('Q3 p50 < 0.2 ms', mean(q('Q3')?.p50Ms), 0.2),
    below('Q4 p50 < 30 ms', mean(q('Q4')?.p50Ms), 30),
    { target: "Q7 p50 <= Kùzu's", value: mean(q('Q7')?.p50Ms), limit: kuzuQ7,
      met: kuzuQ7 !== null && (mean(q('Q7')?.p50Ms) ?? Infinity) <= kuzuQ7 },
    atLeast('Q6 durable writes >= 5k/s', mean(q('Q6')?.opsPerSec), 5_000),
    below('peak RSS < 600 MiB', mean(ours.peakRssMB), 600),
  ];
}

export function renderTargets(targets: readonly TargetResult[]): string {
  const lines = ['### targets (medium graph)', '', '| target | measured | met |', '|---|---|---|'];
  for (const t of targets) {
    lines.push(`| ${t.target} | ${fmt(t.value)} | ${t.met ? 'yes' : 'NO'} |`);
  }
  return lines.join('\n');
}
