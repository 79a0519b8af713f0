/**
 * The live cluster view: every second, each member's own status endpoint and /metrics, fetched
 * directly from the browser so that a dead member shows as unreachable even while the others
 * still list it; the member list itself comes from `dbms.cluster.overview()` on the connected
 * member, asked less often because members come and go rarely and every ask is a transaction
 * that would show in the commit chart.
 */
import type { Connection } from './connection.js';
import { commitCharts } from './commit-chart.js';
import { CommitSeries, commitTotals, type CommitTotals } from './commit-series.js';
import { memberRows, parseMemberStatus, parseOverviewRecord, type MemberRow,
  type OverviewMember, type StatusProbe } from './cluster-model.js';
import { element } from './dom.js';
import { describeError } from './error-text.js';
import { parseMetrics } from './prometheus-text.js';

export const CLUSTER_REFRESH_MS = 1000;
/** The member list is asked for once every this many rounds (and whenever the last ask failed). */
const OVERVIEW_EVERY_ROUNDS = 5;
/**
 * A busy member can take a second to answer; a dead one is refused at once. A member that
 * hangs (paused) delays its round by this much, since a round waits for every answer.
 */
const FETCH_TIMEOUT_MS = 2500;
const STATUS_PATH = '/db/manage/server/causalclustering/status';
const METRICS_PATH = '/metrics';

async function fetchFrom(member: OverviewMember, pathname: string, authorization: string):
  Promise<Response> {
  return fetch(`http://${member.httpAddress ?? ''}${pathname}`, {
    headers: { Authorization: authorization }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
}

async function probe(member: OverviewMember, authorization: string): Promise<StatusProbe> {
  if (member.httpAddress === null) return { kind: 'unreachable', reason: 'no HTTP address' };
  try {
    const response = await fetchFrom(member, STATUS_PATH, authorization);
    if (!response.ok) return { kind: 'unreachable', reason: `HTTP ${response.status}` };
    const status = parseMemberStatus(await response.json());
    return status === null ? { kind: 'unreachable', reason: 'unexpected status document' }
      : { kind: 'ok', status };
  } catch (error) {
    return { kind: 'unreachable', reason: failureText(error) };
  }
}

function failureText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return `no answer within ${FETCH_TIMEOUT_MS} ms`;
  // fetch() says no more than "Failed to fetch" (a TypeError) when nothing listens.
  return error.name === 'TypeError' ? 'cannot connect' : error.message;
}

/** The member's commit counters, or null when its /metrics does not answer. */
async function readTotals(member: OverviewMember, authorization: string):
  Promise<CommitTotals | null> {
  if (member.httpAddress === null) return null;
  try {
    const response = await fetchFrom(member, METRICS_PATH, authorization);
    return response.ok ? commitTotals(parseMetrics(await response.text())) : null;
  } catch {
    return null;
  }
}

/** The members this round: from the overview, else the last list known (the member died). */
async function overview(connection: Connection, known: readonly OverviewMember[]):
  Promise<{ members: readonly OverviewMember[]; error: string }> {
  try {
    const result = await connection.run('CALL dbms.cluster.overview()');
    const members = result.records.map((record) => parseOverviewRecord(record.toObject()))
      .filter((member): member is OverviewMember => member !== null);
    return { members, error: '' };
  } catch (error) {
    return { members: known, error: describeError(error).message };
  }
}

function shown(value: number | null): string {
  return value === null ? '—' : String(value);
}

function rowElement(row: MemberRow): HTMLElement {
  const cells = [row.id, row.role, shown(row.term), row.boltAddress, row.httpAddress,
    shown(row.lastApplied), shown(row.lagEntries), row.health, row.detail];
  return element('tr', { class: `member member-${row.health}`, 'data-member': row.id,
    'data-role': row.role }, ...cells.map((cell) => element('td', {}, cell)));
}

export class ClusterView {
  private timer: ReturnType<typeof setInterval> | null = null;
  private members: readonly OverviewMember[] = [];
  private overviewError = '';
  private round = 0;
  private refreshing = false;
  private readonly series = new CommitSeries();

  constructor(private readonly container: HTMLElement, private readonly connection: Connection) {}

  start(): void {
    void this.refresh();
    this.timer = setInterval(() => { void this.refresh(); }, CLUSTER_REFRESH_MS);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private async refresh(): Promise<void> {
    // A round slower than the interval is not overlapped by the next one.
    if (this.refreshing) return;
    this.refreshing = true;
    try {
      if (this.round % OVERVIEW_EVERY_ROUNDS === 0 || this.overviewError !== '' ||
        this.members.length === 0) {
        const { members, error } = await overview(this.connection, this.members);
        this.members = members;
        this.overviewError = error;
      }
      this.round += 1;
      const authorization = this.connection.basicAuthHeader();
      const readings = await Promise.all(this.members.map(async (member) => {
        const [answer, read] = await Promise.all([probe(member, authorization),
          readTotals(member, authorization)]);
        return { id: member.id, probe: answer, totals: read };
      }));
      const totals = new Map<string, CommitTotals>();
      for (const { id, totals: read } of readings) if (read !== null) totals.set(id, read);
      this.series.record(Date.now(), totals);
      this.render(memberRows(this.members, new Map(readings.map((r) => [r.id, r.probe]))));
    } finally {
      this.refreshing = false;
    }
  }

  private render(rows: readonly MemberRow[]): void {
    const head = element('tr', {}, ...['Member', 'Role', 'Term', 'Bolt', 'HTTP',
      'Applied index', 'Lag', 'Health', ''].map((title) => element('th', {}, title)));
    const table = element('table', { class: 'cluster-table' }, element('thead', {}, head),
      element('tbody', {}, ...rows.map(rowElement)));
    const failed = this.overviewError === '' ? ''
      : ` — member list from the last overview; it failed now: ${this.overviewError}`;
    const stamp = element('p', { class: 'note' },
      `Updated ${new Date().toLocaleTimeString()}${failed}`);
    this.container.replaceChildren(table, stamp, commitCharts(this.series.points(), Date.now()));
  }
}
