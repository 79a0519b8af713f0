/**
 * Two small SVG line charts under the member table: commits per second and mean commit latency
 * over the last minutes. Plain SVG, so the page needs no charting library.
 */
import { CHART_WINDOW_MS, type ChartPoint } from './commit-series.js';
import { element } from './dom.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const WIDTH = 360;
const HEIGHT = 110;
/** Room on the left for the axis label, and under the line for the time label. */
const PLOT_LEFT = 44;
const PLOT_BOTTOM = HEIGHT - 18;
const PLOT_TOP = 8;

export interface Sample {
  readonly atMs: number;
  readonly value: number;
}

/** A round, readable top of the y axis: 1, 2 or 5 times a power of ten, at least `max`. */
export function niceCeiling(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((step) => step * power).find((top) => top >= max) ?? 10 * power;
}

/** The polyline's `points` attribute: time runs left to right over the window ending now. */
export function plotPoints(samples: readonly Sample[], nowMs: number, top: number): string {
  const x = (atMs: number): number =>
    PLOT_LEFT + ((atMs - (nowMs - CHART_WINDOW_MS)) / CHART_WINDOW_MS) * (WIDTH - PLOT_LEFT);
  const y = (value: number): number =>
    PLOT_BOTTOM - (Math.min(value, top) / top) * (PLOT_BOTTOM - PLOT_TOP);
  return samples.map((s) => `${x(s.atMs).toFixed(1)},${y(s.value).toFixed(1)}`).join(' ');
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K,
  attributes: Readonly<Record<string, string | number>>, text = ''): SVGElementTagNameMap[K] {
  const made = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) made.setAttribute(name, String(value));
  if (text !== '') made.textContent = text;
  return made;
}

function formatted(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function lineChart(options: { readonly title: string; readonly name: string;
  readonly samples: readonly Sample[]; readonly nowMs: number }): HTMLElement {
  const { samples, nowMs } = options;
  const top = niceCeiling(Math.max(0, ...samples.map((s) => s.value)));
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, width: WIDTH, height: HEIGHT,
    role: 'img', 'aria-label': options.title });
  chart.append(
    svg('line', { x1: PLOT_LEFT, y1: PLOT_BOTTOM, x2: WIDTH, y2: PLOT_BOTTOM, class: 'axis' }),
    svg('line', { x1: PLOT_LEFT, y1: PLOT_TOP, x2: PLOT_LEFT, y2: PLOT_BOTTOM, class: 'axis' }),
    svg('text', { x: PLOT_LEFT - 4, y: PLOT_TOP + 8, 'text-anchor': 'end' }, formatted(top)),
    svg('text', { x: PLOT_LEFT - 4, y: PLOT_BOTTOM, 'text-anchor': 'end' }, '0'),
    svg('text', { x: PLOT_LEFT, y: HEIGHT - 4 }, `−${CHART_WINDOW_MS / 60_000} min`),
    svg('text', { x: WIDTH, y: HEIGHT - 4, 'text-anchor': 'end' }, 'now'),
    svg('polyline', { points: plotPoints(samples, nowMs, top), class: 'series' }),
  );
  const latest = samples.at(-1);
  const caption = `${options.title}: ${latest === undefined ? '—' : formatted(latest.value)}`;
  return element('figure', { class: 'chart', 'data-chart': options.name },
    chart, element('figcaption', {}, caption));
}

export function commitCharts(points: readonly ChartPoint[], nowMs: number): HTMLElement {
  const rate = points.map((p) => ({ atMs: p.atMs, value: p.commitsPerSecond }));
  const latency = points.flatMap((p) => (p.latencyMs === null ? []
    : [{ atMs: p.atMs, value: p.latencyMs }]));
  return element('div', { class: 'charts' },
    lineChart({ title: 'Commits per second', name: 'commit-rate', samples: rate, nowMs }),
    lineChart({ title: 'Mean commit latency (ms)', name: 'commit-latency', samples: latency,
      nowMs }));
}
