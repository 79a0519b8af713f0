/**
 * The Prometheus metrics QuiverDB exposes on /metrics, in one registry: Node's default process
 * metrics plus connections, queries, transactions and their latencies. Bolt and the server layer
 * update them; the HTTP layer updates its own and serves the registry.
 *
 * Queries and transactions are counted on every request, so they go into plain numbers kept
 * per label set (a `cell`, looked up once by the caller) and are handed to prom-client only
 * when /metrics is scraped: prom-client validates and hashes the labels of every `inc` and
 * `observe`, which was a few per cent of a cluster leader's CPU at 64 concurrent writers.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import { assert } from '../assert.js';

/** Seconds; from a fast point lookup to a slow analytical query. */
const LATENCY_BUCKETS_SECONDS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60];

/** Distinct label sets one metric keeps; ours are a handful (protocol × outcome). */
const CELLS_MAX = 64;

export type Protocol = 'bolt' | 'http';
export type TransactionOutcome = 'committed' | 'rolled_back' | 'failed';

type Labels<L extends string> = Readonly<Record<L, string>>;

/** The cells of one metric, one per label set, made on first use. */
class CellTable<L extends string, C> {
  private readonly byKey = new Map<string, C>();

  constructor(private readonly labelNames: readonly L[],
    private readonly make: (labels: Labels<L>) => C) {}

  get(labels: Labels<L>): C {
    const key = this.labelNames.map((name) => labels[name]).join('\u0000');
    let cell = this.byKey.get(key);
    if (cell === undefined) {
      assert(this.byKey.size < CELLS_MAX, 'metric label sets are a small fixed set');
      cell = this.make({ ...labels });
      this.byKey.set(key, cell);
    }
    return cell;
  }

  values(): IterableIterator<C> {
    return this.byKey.values();
  }

  clear(): void {
    this.byKey.clear();
  }
}

/** One label set's count: bumped where the event happens, read at scrape time. */
export class CounterCell<L extends string = string> {
  value = 0;

  constructor(readonly labels: Labels<L>) {}

  inc(): void {
    this.value += 1;
  }
}

/** A counter by label set whose hot path is `cell(labels).inc()`. */
export class CellCounter<L extends string> {
  private readonly cells: CellTable<L, CounterCell<L>>;

  constructor(config: { name: string; help: string; labelNames: readonly L[];
    registers: Registry[] }) {
    const cells = new CellTable(config.labelNames, (labels) => new CounterCell(labels));
    this.cells = cells;
    // Registered in `registers` by its constructor; it is read only through them.
    new Counter<L>({ ...config, labelNames: [...config.labelNames],
      collect() {
        // Cells only grow, so replacing prom-client's copy keeps the counter monotonic.
        this.reset();
        for (const cell of cells.values()) this.inc(cell.labels, cell.value);
      } });
  }

  /** The cell of a label set; callers on a hot path keep it. */
  cell(labels: Labels<L>): CounterCell<L> {
    return this.cells.get(labels);
  }

  inc(labels: Labels<L>): void {
    this.cell(labels).inc();
  }
}

/** One label set's observations: a count per bucket (the last is +Inf), their sum and count. */
export class HistogramCell<L extends string = string> {
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(readonly labels: Labels<L>,
    private readonly bounds: readonly number[]) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  observe(value: number): void {
    let bucket = 0;
    while (bucket < this.bounds.length && value > (this.bounds[bucket] ?? Infinity)) bucket += 1;
    this.counts[bucket] = (this.counts[bucket] ?? 0) + 1;
    this.sum += value;
    this.count += 1;
  }
}

interface Exposed {
  readonly labels: Readonly<Record<string, string | number>>;
  readonly sharedLabels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly metricName: string;
}

/** What prom-client's registry reads from a histogram to write its text exposition. */
interface Exposition {
  readonly name: string;
  readonly help: string;
  readonly type: 'histogram';
  readonly aggregator: 'sum';
  readonly values: Exposed[];
}

/**
 * A histogram by label set whose hot path is `cell(labels).observe(value)`. The registry
 * writes it like one of prom-client's own (same lines, same order); it only needs the
 * members of `Exposition` plus get() and reset() from it.
 */
export class CellHistogram<L extends string> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  private readonly cells: CellTable<L, HistogramCell<L>>;
  private readonly bounds: readonly number[];

  constructor(config: { name: string; help: string; labelNames: readonly L[];
    buckets: readonly number[]; registers: Registry[] }) {
    this.name = config.name;
    this.help = config.help;
    this.bounds = config.buckets;
    this.cells = new CellTable(config.labelNames, (labels) => new HistogramCell(labels,
      config.buckets));
    // prom-client's types list its own metric classes only; the registry reads any object
    // with these members (getForPromString, get, reset, name), as it reads its own.
    for (const registry of config.registers) registry.registerMetric(this as unknown as Metric);
  }

  cell(labels: Labels<L>): HistogramCell<L> {
    return this.cells.get(labels);
  }

  observe(labels: Labels<L>, value: number): void {
    this.cell(labels).observe(value);
  }

  reset(): void {
    this.cells.clear();
  }

  /** The registry's text exposition reads this when it exists (prom-client's own shape). */
  getForPromString(): Promise<Exposition> {
    const values = [...this.cells.values()].flatMap((cell) => this.lines(cell));
    return Promise.resolve({ name: this.name, help: this.help, type: this.type,
      aggregator: this.aggregator, values });
  }

  /** As prom-client's get(): each line's labels with the label set merged in. */
  async get(): Promise<Exposition> {
    const data = await this.getForPromString();
    return { ...data, values: data.values.map((line) =>
      ({ ...line, labels: { ...line.labels, ...line.sharedLabels }, sharedLabels: {} })) };
  }

  private lines(cell: HistogramCell<L>): Exposed[] {
    const bucketName = `${this.name}_bucket`;
    const lines: Exposed[] = [];
    let cumulative = 0;
    this.bounds.forEach((le, i) => {
      cumulative += cell.counts[i] ?? 0;
      lines.push({ labels: { le }, sharedLabels: cell.labels, value: cumulative,
        metricName: bucketName });
    });
    lines.push({ labels: { le: '+Inf' }, sharedLabels: cell.labels, value: cell.count,
      metricName: bucketName });
    lines.push({ labels: {}, sharedLabels: cell.labels, value: cell.sum,
      metricName: `${this.name}_sum` });
    lines.push({ labels: {}, sharedLabels: cell.labels, value: cell.count,
      metricName: `${this.name}_count` });
    return lines;
  }
}

export class QuiverMetrics {
  readonly registry = new Registry();
  readonly connections: Gauge<'protocol'>;
  readonly queries: CellCounter<'protocol' | 'outcome'>;
  readonly queryDurationSeconds: CellHistogram<'protocol'>;
  readonly transactions: CellCounter<'protocol' | 'outcome'>;
  readonly transactionDurationSeconds: CellHistogram<'protocol'>;
  readonly httpRequests: Counter<'route' | 'status'>;

  constructor(options: { defaultMetrics: boolean } = { defaultMetrics: true }) {
    const registers = [this.registry];
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
    this.connections = new Gauge({ name: 'quiver_connections', registers,
      help: 'Open client connections', labelNames: ['protocol'] });
    this.queries = new CellCounter({ name: 'quiver_queries_total', registers,
      help: 'Queries run, by outcome (ok or failed)', labelNames: ['protocol', 'outcome'] });
    this.queryDurationSeconds = new CellHistogram({ name: 'quiver_query_duration_seconds',
      registers, help: 'Time from receiving a query to its last record', labelNames: ['protocol'],
      buckets: LATENCY_BUCKETS_SECONDS });
    this.transactions = new CellCounter({ name: 'quiver_transactions_total', registers,
      help: 'Transactions finished, by outcome', labelNames: ['protocol', 'outcome'] });
    this.transactionDurationSeconds = new CellHistogram({ registers,
      name: 'quiver_transaction_duration_seconds', help: 'Time from begin to commit or rollback',
      labelNames: ['protocol'], buckets: LATENCY_BUCKETS_SECONDS });
    this.httpRequests = new Counter({ name: 'quiver_http_requests_total', registers,
      help: 'HTTP requests, by route and status code', labelNames: ['route', 'status'] });
  }
}
