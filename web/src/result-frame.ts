/**
 * One frame per statement run: the statement, then tabs for the table, the graph (when the
 * result holds nodes), the plan (EXPLAIN/PROFILE) and the summary; or the error with its code.
 */
import type { QueryResult, ResultSummary } from 'neo4j-driver';
import { element } from './dom.js';
import type { ShownError } from './error-text.js';
import { graphFromRows, type GraphModel } from './graph-model.js';
import { GraphView } from './graph-view.js';
import { cellText } from './value-text.js';

/** Rows beyond this are counted in the summary but not put in the table. */
export const TABLE_ROWS_MAX = 1000;

export type ExpandNode = (nodeId: string, current: GraphModel) => Promise<GraphModel>;

function tableOf(result: QueryResult): HTMLElement {
  const keys = result.records[0]?.keys ?? [];
  const head = element('tr', {}, ...keys.map((key) => element('th', {}, String(key))));
  const rows = result.records.slice(0, TABLE_ROWS_MAX).map((record) =>
    element('tr', {}, ...record.keys.map((key) => element('td', {}, cellText(record.get(key))))));
  const table = element('table', { class: 'result-table' }, element('thead', {}, head),
    element('tbody', {}, ...rows));
  const note = result.records.length > TABLE_ROWS_MAX
    ? element('p', { class: 'note' }, `Showing ${TABLE_ROWS_MAX} of ${result.records.length} rows.`)
    : '';
  return element('div', { class: 'table-wrap' }, table, note);
}

function summaryText(summary: ResultSummary, rowCount: number): string {
  const counters = Object.entries(summary.counters.updates())
    .filter(([, count]) => count > 0).map(([name, count]) => `${name}: ${count}`);
  const server = `${summary.server.address ?? ''} (${summary.server.agent ?? ''})`;
  const timeMs = summary.resultAvailableAfter.toString();
  return [`${rowCount} row(s) in ${timeMs} ms from ${server}`,
    counters.length > 0 ? counters.join(', ') : 'no changes',
    `query type: ${summary.queryType}`].join('\n');
}

interface PlanLike {
  readonly operatorType: string;
  readonly arguments?: Record<string, unknown>;
  readonly identifiers?: readonly string[];
  readonly rows?: number;
  readonly dbHits?: number;
  readonly children: readonly PlanLike[];
}

function planText(plan: PlanLike, depth = 0): string {
  const details = plan.arguments?.['Details'];
  const stats = plan.rows === undefined ? '' : ` rows=${plan.rows} dbHits=${plan.dbHits ?? 0}`;
  const line = `${'  '.repeat(depth)}${plan.operatorType}` +
    `${typeof details === 'string' ? ` ${details}` : ''}${stats}`;
  return [line, ...plan.children.map((child) => planText(child, depth + 1))].join('\n');
}

function planOf(summary: ResultSummary): PlanLike | null {
  const plan = summary.profile || summary.plan;
  return plan ? plan as unknown as PlanLike : null;
}

function tabbed(tabs: readonly (readonly [string, HTMLElement, () => void])[]): HTMLElement {
  const bar = element('div', { class: 'tabs', role: 'tablist' });
  const body = element('div', { class: 'tab-body' });
  const select = (index: number): void => {
    tabs.forEach(([, panel], i) => { panel.hidden = i !== index; });
    [...bar.children].forEach((button, i) => button.classList.toggle('active', i === index));
    tabs[index]?.[2]();
  };
  tabs.forEach(([name, panel], index) => {
    const button = element('button', { type: 'button', role: 'tab', 'data-tab': name }, name);
    button.addEventListener('click', () => select(index));
    bar.append(button);
    body.append(panel);
  });
  queueMicrotask(() => select(0));
  return element('div', {}, bar, body);
}

export function resultFrame(statement: string, result: QueryResult, expand: ExpandNode):
  HTMLElement {
  const rows = result.records.map((record) => record.keys.map((key) => record.get(key)));
  const graph = graphFromRows(rows);
  const tabs: [string, HTMLElement, () => void][] = [];
  if (graph.nodes.length > 0) {
    const canvas = element('div', { class: 'graph-canvas' });
    const note = element('p', { class: 'note' }, graph.truncated
      ? `Only the first ${graph.nodes.length} nodes are drawn.` : '');
    const panel = element('div', { class: 'graph-panel' }, canvas, note);
    let view: GraphView | null = null;
    tabs.push(['Graph', panel, () => {
      view ??= new GraphView(canvas, graph, (id) => expand(id, view?.current() ?? graph));
      view.refit();
    }]);
  }
  tabs.push(['Table', tableOf(result), () => undefined]);
  const plan = planOf(result.summary);
  if (plan !== null) tabs.push(['Plan', element('pre', { class: 'plan' }, planText(plan)),
    () => undefined]);
  tabs.push(['Summary', element('pre', { class: 'summary' },
    summaryText(result.summary, result.records.length)), () => undefined]);
  return element('section', { class: 'frame' },
    element('pre', { class: 'frame-statement' }, statement), tabbed(tabs));
}

export function errorFrame(statement: string, error: ShownError): HTMLElement {
  return element('section', { class: 'frame frame-error' },
    element('pre', { class: 'frame-statement' }, statement),
    element('p', { class: 'error-code' }, error.code),
    element('p', { class: 'error-message' }, error.message));
}

export function messageFrame(title: string, text: string): HTMLElement {
  return element('section', { class: 'frame' }, element('pre', { class: 'frame-statement' }, title),
    element('pre', { class: 'summary' }, text));
}
