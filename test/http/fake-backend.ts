/**
 * A stand-in for the server layer: a key-value "graph" where `CREATE x` stores x, `RETURN` gives
 * canned rows, `FAIL` throws a syntax error. Enough to exercise the HTTP protocol handling.
 */
import type {
  BeginOptions, ResultSummary, StreamingResult, TransactionHandle,
} from '../../src/db/api.js';
import { QuiverError } from '../../src/errors/quiver-error.js';
import { emptyStatistics } from '../../src/graph/types.js';
import { Node, type Value } from '../../src/graph/values.js';
import type { ClusterStatus, HttpBackend } from '../../src/http/http-backend.js';

export class FakeBackend implements HttpBackend {
  readonly committed: string[] = [];
  readonly begun: Array<{ database: string | null; options: BeginOptions }> = [];
  rolledBack = 0;
  status: ClusterStatus = {
    memberId: 'b', role: 'FOLLOWER', leader: 'a', lastAppliedRaftIndex: 42,
    votingMembers: ['c', 'a', 'b'], millisSinceLastLeaderMessage: 12,
    participatingInRaftGroup: true, healthy: true, core: true,
  };

  async authenticate(user: string, password: string) {
    if (user === 'neo4j' && password === 'secret') return { user, credentialsExpired: false };
    if (user === 'fresh' && password === 'neo4j') return { user, credentialsExpired: true };
    throw new QuiverError('Unauthorized',
      'The client is unauthorized due to authentication failure.');
  }

  async begin(database: string | null, options: BeginOptions): Promise<TransactionHandle> {
    if (database === 'missing') {
      throw new QuiverError('DatabaseNotFound',
        'Database does not exist. Database name: \'missing\'.');
    }
    this.begun.push({ database, options });
    const writes: string[] = [];
    return {
      id: String(this.begun.length),
      run: (query, params) => fakeResult(query, params ?? new Map(), writes),
      commit: async () => {
        this.committed.push(...writes);
        return { bookmark: `FB:${this.committed.length}` };
      },
      rollback: async () => {
        this.rolledBack += 1;
      },
    };
  }

  async writesSettled(): Promise<void> {}

  clusterStatus(): ClusterStatus {
    return this.status;
  }

  discovery() {
    return { boltDirect: 'bolt://localhost:7687', boltRouting: 'neo4j://localhost:7687',
      version: '5.26.0' };
  }
}

function fakeResult(query: string, params: ReadonlyMap<string, Value>,
  writes: string[]): StreamingResult {
  if (query.includes('FAIL')) throw new QuiverError('SyntaxError', 'Invalid input \'FAIL\'');
  const statistics = emptyStatistics();
  let rows: Value[][] = [];
  let fields: string[] = [];
  if (query.startsWith('CREATE ')) {
    writes.push(query.slice(7));
    statistics.nodesCreated = 1;
  } else if (query === 'RETURN $x AS x') {
    fields = ['x'];
    rows = [[params.get('x') ?? null]];
  } else if (query === 'MATCH (n) RETURN n') {
    fields = ['n'];
    rows = [[new Node(7, ['Person'], new Map<string, Value>([['name', 'Ada']]), '4:x:7')]];
  }
  const summary: ResultSummary = { queryType: 'rw', statistics,
    containsUpdates: statistics.nodesCreated > 0, plan: null, notifications: [] };
  return { fields, next: () => rows.shift() ?? null, summary: () => summary };
}
