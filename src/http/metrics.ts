/**
 * The Prometheus metrics QuiverDB exposes on /metrics, in one registry: Node's default process
 * metrics plus connections, queries, transactions and their latencies. Bolt and the server layer
 * update them; the HTTP layer updates its own and serves the registry.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Seconds; from a fast point lookup to a slow analytical query. */
const LATENCY_BUCKETS_SECONDS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60];

export type Protocol = 'bolt' | 'http';
export type TransactionOutcome = 'committed' | 'rolled_back' | 'failed';

export class QuiverMetrics {
  readonly registry = new Registry();
  readonly connections: Gauge<'protocol'>;
  readonly queries: Counter<'protocol' | 'outcome'>;
  readonly queryDurationSeconds: Histogram<'protocol'>;
  readonly transactions: Counter<'protocol' | 'outcome'>;
  readonly transactionDurationSeconds: Histogram<'protocol'>;
  readonly httpRequests: Counter<'route' | 'status'>;

  constructor(options: { defaultMetrics: boolean } = { defaultMetrics: true }) {
    const registers = [this.registry];
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
    this.connections = new Gauge({ name: 'quiver_connections', registers,
      help: 'Open client connections', labelNames: ['protocol'] });
    this.queries = new Counter({ name: 'quiver_queries_total', registers,
      help: 'Queries run, by outcome (ok or failed)', labelNames: ['protocol', 'outcome'] });
    this.queryDurationSeconds = new Histogram({ name: 'quiver_query_duration_seconds', registers,
      help: 'Time from receiving a query to its last record', labelNames: ['protocol'],
      buckets: LATENCY_BUCKETS_SECONDS });
    this.transactions = new Counter({ name: 'quiver_transactions_total', registers,
      help: 'Transactions finished, by outcome', labelNames: ['protocol', 'outcome'] });
    this.transactionDurationSeconds = new Histogram({ registers,
      name: 'quiver_transaction_duration_seconds', help: 'Time from begin to commit or rollback',
      labelNames: ['protocol'], buckets: LATENCY_BUCKETS_SECONDS });
    this.httpRequests = new Counter({ name: 'quiver_http_requests_total', registers,
      help: 'HTTP requests, by route and status code', labelNames: ['route', 'status'] });
  }
}
