/**
 * Installs a user's privileges on the graph a transaction's statements run against: reads are
 * filtered only for users who may not read everything, writes are checked only for users who
 * may not write everything, so an admin's transaction runs on the graph itself and pays nothing.
 * A user denied some procedures gets the wrappers too: they carry the check of every CALL.
 */
import type { GraphReader, GraphWriter } from '../graph/types.js';
import { CheckedWriter } from './checked-writer.js';
import { FilteredReader } from './filtered-reader.js';
import { privilegesOf } from './privilege-set.js';
import type { UserStore } from './user-store.js';

export type GraphGuard = (graph: GraphReader | GraphWriter) => GraphReader | GraphWriter;

function isWriter(graph: GraphReader | GraphWriter): graph is GraphWriter {
  return typeof (graph as Partial<GraphWriter>).createNode === 'function';
}

/** The guard for one user's transaction, or null when the user is unrestricted. */
export function graphGuardFor(users: UserStore, user: string,
  database: { name: string; isDefault: boolean }): GraphGuard | null {
  const rules = privilegesOf(users, user, database);
  const executesAll = rules.executesEveryProcedure;
  const readsAll = rules.readsEverything;
  const writesAll = rules.writesEverything;
  if (readsAll && writesAll && executesAll) return null;
  return (graph) => {
    const reads = readsAll && executesAll ? graph : new FilteredReader(graph, rules);
    if (!isWriter(graph)) return reads;
    return new CheckedWriter(graph, reads, rules, { user, database: database.name });
  };
}
