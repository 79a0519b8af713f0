/**
 * A small in-test database for protocol-level tests: it recognises a handful of query shapes
 * and keeps committed nodes in memory. The real backend lives in src/server/.
 */
import type {
  BeginOptions, ResultSummary, StreamingResult, TransactionHandle,
} from '../../src/db/api.js';
import { QuiverError } from '../../src/errors/quiver-error.js';
import { emptyStatistics, type QueryStatistics } from '../../src/graph/types.js';
import { Node, Path, Relationship, type Value } from '../../src/graph/values.js';
import type { BoltAuth, BoltBackend, BoltSession, RoutingTable } from '../../src/bolt/backend.js';

export interface FakeBackendLog {
  begins: { database: string | null; options: BeginOptions; session: BoltSession }[];
  routes: { database: string | null; bookmarks: readonly string[];
    routingContext: ReadonlyMap<string, Value> }[];
  rollbacks: number;
  commits: number;
}

type Rows = Iterator<Value[]>;

function summaryOf(queryType: ResultSummary['queryType'], stats?: Partial<QueryStatistics>) {
  const statistics = { ...emptyStatistics(), ...stats };
  const containsUpdates = Object.values(statistics).some((n) => n > 0);
  return { queryType, statistics, containsUpdates, plan: null, notifications: [] };
}

function result(fields: string[], rows: Rows, summary: ResultSummary): StreamingResult {
  let done = false;
  return {
    fields,
    next: () => {
      const step = rows.next();
      if (step.done === true) done = true;
      return step.done === true ? null : step.value;
    },
    summary: () => {
      if (!done) throw new Error('summary before exhaustion');
      return summary;
    },
  };
}

function* counting(count: number): Generator<Value[]> {
  for (let i = 1; i <= count; i++) yield [BigInt(i)];
}

function* failingAt(row: number): Generator<Value[]> {
  for (let i = 1; ; i++) {
    if (i === row) throw new QuiverError('ArithmeticError', `/ by zero on row ${row}`);
    yield [BigInt(i)];
  }
}

export const GRAPH_NODE_A = new Node(1, ['Person'], new Map([['name', 'Ann']]), '4:db:1');
export const GRAPH_NODE_B = new Node(2, ['Person', 'Dev'], new Map([['name', 'Bob']]), '4:db:2');
export const GRAPH_REL = new Relationship(7, 'KNOWS', 1, 2, new Map([['since', 1999n]]),
  '5:db:7', '4:db:1', '4:db:2');

export class FakeBackend implements BoltBackend {
  readonly serverAgent = 'Neo4j/5.26.0';
  readonly log: FakeBackendLog = { begins: [], routes: [], rollbacks: 0, commits: 0 };
  committedNodes = 0;
  /** Commits still to fail with a write conflict, as if a concurrent writer won. */
  conflictsToLose = 0;
  /** Times a rerun waited for the winners' writes to become visible. */
  settledWaits = 0;
  /** What routing answers name as every member; set once the server has its port. */
  selfAddress = 'localhost:7687';
  private txSeq = 0;

  authenticate(auth: BoltAuth): Promise<{ user: string; credentialsExpired: boolean }> {
    if (auth.scheme === 'basic' && auth.credentials === 'secret') {
      return Promise.resolve({ user: auth.principal ?? '', credentialsExpired:
        auth.principal === 'expired' });
    }
    return Promise.reject(new QuiverError('Unauthorized',
      'The client is unauthorized due to authentication failure.'));
  }

  begin(args: { session: BoltSession; database: string | null; options: BeginOptions }) {
    this.log.begins.push(args);
    if (args.database === 'nope') {
      return Promise.reject(new QuiverError('DatabaseNotFound', 'Database does not exist: nope'));
    }
    if (args.options.bookmarks?.includes('garbage') === true) {
      return Promise.reject(new QuiverError('InvalidBookmark', 'Invalid bookmark: garbage'));
    }
    this.txSeq += 1;
    return Promise.resolve(this.transaction(`tx-${this.txSeq}`, args.session));
  }

  route(args: { routingContext: ReadonlyMap<string, Value>; database: string | null;
    bookmarks: readonly string[] }): Promise<RoutingTable> {
    this.log.routes.push(args);
    const address = args.routingContext.get('address');
    const self = typeof address === 'string' ? address : this.selfAddress;
    return Promise.resolve({ ttlSeconds: 300, db: args.database ?? 'neo4j', servers: [
      { role: 'ROUTE', addresses: [self] }, { role: 'READ', addresses: [self] },
      { role: 'WRITE', addresses: [self] },
    ] });
  }

  defaultDatabase(): string {
    return 'neo4j';
  }

  writesSettled(): Promise<void> {
    this.settledWaits += 1;
    return Promise.resolve();
  }

  private transaction(id: string, session: BoltSession): TransactionHandle {
    let created = 0;
    let open = true;
    return {
      id,
      run: (query, params) => {
        if (!open) throw new QuiverError('TransactionNotFound', 'transaction is closed');
        if (session.credentialsExpired && !query.startsWith('ALTER CURRENT USER')) {
          throw new QuiverError('CredentialsExpired', 'The credentials you provided have expired');
        }
        const answer = this.runQuery(query, params ?? new Map());
        created += answer.created;
        return answer.result;
      },
      commit: () => {
        open = false;
        if (this.conflictsToLose > 0) {
          this.conflictsToLose -= 1;
          return Promise.reject(new QuiverError('DeadlockDetected',
            'This transaction conflicts with a concurrent transaction'));
        }
        this.committedNodes += created;
        this.log.commits += 1;
        return Promise.resolve({ bookmark: `FB:${id}` });
      },
      rollback: () => {
        open = false;
        this.log.rollbacks += 1;
        return Promise.resolve();
      },
    };
  }

  private runQuery(query: string, params: ReadonlyMap<string, Value>) {
    const read = (fields: string[], rows: Value[][]) => ({ created: 0,
      result: result(fields, rows[Symbol.iterator](), summaryOf('r')) });
    let match: RegExpMatchArray | null;
    if ((match = /^RETURN 1(?: AS (\w+))?$/.exec(query)) !== null) {
      return read([match[1] ?? '1'], [[1n]]);
    }
    if ((match = /^UNWIND range\(1, (\d+)\) AS (\w+) RETURN \2$/.exec(query)) !== null) {
      return { created: 0, result: result([match[2] ?? 'x'], counting(Number(match[1])),
        summaryOf('r')) };
    }
    if ((match = /^RETURN \$(\w+) AS (\w+)$/.exec(query)) !== null) {
      return read([match[2] ?? 'x'], [[params.get(match[1] ?? '') ?? null]]);
    }
    if (query === 'RETURN graph') {
      return read(['a', 'r', 'p'], [[GRAPH_NODE_A, GRAPH_REL,
        new Path([GRAPH_NODE_A, GRAPH_NODE_B, GRAPH_NODE_A], [GRAPH_REL, GRAPH_REL])]]);
    }
    if (query === 'FAIL ON ROW 3') {
      return { created: 0, result: result(['x'], failingAt(3), summaryOf('r')) };
    }
    if (query === 'CREATE (n)') {
      return { created: 1, result: result([], [][Symbol.iterator](),
        summaryOf('w', { nodesCreated: 1, labelsAdded: 0 })) };
    }
    if (query === 'MATCH (n) RETURN count(n) AS c') {
      return read(['c'], [[BigInt(this.committedNodes)]]);
    }
    if (query.startsWith('CALL dbms.cluster.routing.getRoutingTable') ||
      query.startsWith('CALL dbms.routing.getRoutingTable')) {
      return read(['ttl', 'servers'], [[300n, ['ROUTE', 'READ', 'WRITE'].map((role) =>
        new Map<string, Value>([['addresses', [this.selfAddress]], ['role', role]]))]]);
    }
    if (query.startsWith('ALTER CURRENT USER')) return read([], []);
    throw new QuiverError('SyntaxError', `Invalid input: ${query}`);
  }
}
