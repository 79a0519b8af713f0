/**
 * Runs Cypher against a real in-memory GraphStore: each `run` is one transaction (a WriteTx
 * over a fresh view, applied to the store on success), like an auto-commit statement.
 */
import { executeQuery, prepareQuery, type QuerySummary } from '../../src/cypher/index.js';
import { builtinProcedures } from '../../src/cypher/procedures.js';
import { GraphStore } from '../../src/graph/store.js';
import { WriteTx } from '../../src/graph/write-tx.js';
import type { Value } from '../../src/graph/values.js';

export interface RunResult {
  fields: readonly string[];
  rows: Value[][];
  summary: QuerySummary;
}

export class TestGraph {
  readonly store = new GraphStore();
  readonly procedures = builtinProcedures();
  importDir: string | null = null;
  private nextNode = 0;
  private nextRel = 0;

  run(query: string, params: Record<string, Value> = {},
    mode: 'READ' | 'WRITE' = 'WRITE'): RunResult {
    const view = this.store.openView();
    const alloc = {
      nodeId: (): number => {
        this.nextNode = Math.max(this.nextNode, this.store.nextNodeId);
        return this.nextNode++;
      },
      relId: (): number => {
        this.nextRel = Math.max(this.nextRel, this.store.nextRelId);
        return this.nextRel++;
      },
    };
    const tx = mode === 'WRITE' ? new WriteTx(view, alloc) : null;
    try {
      const cursor = executeQuery(prepareQuery(query), {
        graph: tx ?? view, params: new Map(Object.entries(params)), procedures: this.procedures,
        statementTimeMs: 1_700_000_000_000, random: () => 0.5, importDir: this.importDir,
      });
      const rows: Value[][] = [];
      for (let row = cursor.next(); row !== null; row = cursor.next()) rows.push(row);
      const summary = cursor.summary();
      if (tx !== null && !tx.isEmpty) this.store.apply(tx.toChangeSet(), this.store.version + 1);
      return { fields: cursor.fields, rows, summary };
    } finally {
      view.close();
    }
  }

  /** Rows with materialized entities reduced to something easy to compare. */
  values(query: string, params: Record<string, Value> = {}): unknown[][] {
    return this.run(query, params).rows.map((row) => row.map(simplify));
  }
}

export function simplify(value: Value): unknown {
  if (Array.isArray(value)) return value.map(simplify);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [k, simplify(v)]));
  if (typeof value === 'bigint') return Number(value);
  return value;
}
