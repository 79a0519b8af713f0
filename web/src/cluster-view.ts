/**
 * The live cluster view: every 2 s, the members from `dbms.cluster.overview()` on the
 * connected member, then each member's own status endpoint, fetched directly from the browser
 * so that a dead member shows as unreachable even while the others still list it.
 */
import type { Connection } from './connection.js';
import { memberRows, parseMemberStatus, parseOverviewRecord, type MemberRow,
  type OverviewMember, type StatusProbe } from './cluster-model.js';
import { element } from './dom.js';
import { describeError } from './error-text.js';

export const CLUSTER_REFRESH_MS = 2000;
/** Well under the refresh interval, so that one dead member never delays the next round. */
const STATUS_TIMEOUT_MS = 1500;
const STATUS_PATH = '/db/manage/server/causalclustering/status';

async function probe(member: OverviewMember, authorization: string): Promise<StatusProbe> {
  if (member.httpAddress === null) return { kind: 'unreachable', reason: 'no HTTP address' };
  try {
    const response = await fetch(`http://${member.httpAddress}${STATUS_PATH}`, {
      headers: { Authorization: authorization, Accept: 'application/json' },
      signal: AbortSignal.timeout(STATUS_TIMEOUT_MS),
    });
    if (!response.ok) return { kind: 'unreachable', reason: `HTTP ${response.status}` };
    const status = parseMemberStatus(await response.json());
    return status === null ? { kind: 'unreachable', reason: 'unexpected status document' }
      : { kind: 'ok', status };
  } catch (error) {
    return { kind: 'unreachable', reason: error instanceof Error ? error.message : String(error) };
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

function rowElement(row: MemberRow): HTMLElement {
  const cells = [row.id, row.role, row.boltAddress, row.httpAddress,
    row.lastApplied === null ? '—' : String(row.lastApplied),
    row.lagEntries === null ? '—' : String(row.lagEntries), row.health, row.detail];
  return element('tr', { class: `member member-${row.health}`, 'data-member': row.id,
    'data-role': row.role }, ...cells.map((cell) => element('td', {}, cell)));
}

export class ClusterView {
  private timer: ReturnType<typeof setInterval> | null = null;
  private members: readonly OverviewMember[] = [];
  private refreshing = false;

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
      const { members, error } = await overview(this.connection, this.members);
      this.members = members;
      const authorization = this.connection.basicAuthHeader();
      const probes = await Promise.all(members.map(async (member) =>
        [member.id, await probe(member, authorization)] as const));
      this.render(memberRows(members, new Map(probes)), error);
    } finally {
      this.refreshing = false;
    }
  }

  private render(rows: readonly MemberRow[], error: string): void {
    const head = element('tr', {}, ...['Member', 'Role', 'Bolt', 'HTTP', 'Applied index',
      'Lag', 'Health', ''].map((title) => element('th', {}, title)));
    const table = element('table', { class: 'cluster-table' }, element('thead', {}, head),
      element('tbody', {}, ...rows.map(rowElement)));
    const stamp = element('p', { class: 'note' },
      `Updated ${new Date().toLocaleTimeString()}${error ? ` — overview failed: ${error}` : ''}`);
    this.container.replaceChildren(table, stamp);
  }
}
