/**
 * The consistency check of a recovered (quiescent) graph: every relationship's endpoints exist,
 * adjacency lists, label sets and property indexes agree with the records, uniqueness holds and
 * the counts agree. One line per problem, up to a limit.
 *
 * It reads GraphStore's structures directly, with no view open: with no reader left, every
 * deferred clean-up has run, so the structures must agree exactly (property indexes excepted,
 * which keep stale entries by design and are only checked for missing ones).
 */
import { assert } from '../assert.js';
import { entryHas } from '../graph/index-entry.js';
import { propertyIndexKey, type IndexKey } from '../graph/property-codec.js';
import type { GraphStore } from '../graph/store.js';
import type { IndexDescriptor } from '../graph/types.js';

export interface ConsistencyReport {
  readonly problems: string[];
  /** Problems found beyond `problemsMax` (counted, not listed). */
  readonly problemsUnlisted: number;
  readonly nodeCount: number;
  readonly relationshipCount: number;
}

/** Problem lines up to a limit; the rest are counted. Shared with the snapshot check. */
export class ProblemList {
  readonly lines: string[] = [];
  unlisted = 0;

  constructor(private readonly max: number) {}

  add(line: string): void {
    if (this.lines.length < this.max) this.lines.push(line);
    else this.unlisted++;
  }
}

export function checkStoreConsistency(store: GraphStore, problemsMax = 1000): ConsistencyReport {
  assert(problemsMax > 0, 'problemsMax must be positive');
  const problems = new ProblemList(problemsMax);
  const nodeCount = checkNodes(store, problems);
  const listed = checkAdjacency(store, problems);
  const relationshipCount = checkRelationships(store, listed, problems);
  for (const index of store.schema.indexes()) checkPropertyIndex(store, index, problems);
  if (store.liveNodeCount !== nodeCount) {
    problems.add(`Node count is ${store.liveNodeCount} but ${nodeCount} nodes exist`);
  }
  if (store.liveRelCount !== relationshipCount) {
    problems.add(`Relationship count is ${store.liveRelCount} but ${relationshipCount} ` +
      'relationships exist');
  }
  return { problems: problems.lines, problemsUnlisted: problems.unlisted, nodeCount,
    relationshipCount };
}

function isLiveNode(store: GraphStore, id: number): boolean {
  const node = store.nodes[id];
  return node !== undefined && !node.deleted;
}

function isLiveRel(store: GraphStore, id: number): boolean {
  return store.rels.live(id);
}

/** Live nodes counted; each label of each node must be in that label's node set, and back. */
function checkNodes(store: GraphStore, problems: ProblemList): number {
  let count = 0;
  for (const [id, node] of store.nodes.entries()) {
    if (node === undefined || node.deleted) continue;
    count++;
    if (id >= store.nextNodeId) problems.add(`Node ${id} is at or above the next node id`);
    for (const label of node.labels) {
      if (store.labelNodes.get(label)?.has(id) !== true) {
        problems.add(`Node ${id} has label :${store.labels.name(label)} but is missing from ` +
          'that label\'s node set');
      }
    }
  }
  for (const [label, ids] of store.labelNodes) {
    for (const id of ids) {
      if (!isLiveNode(store, id) || !store.nodes[id]?.labels.includes(label)) {
        problems.add(`Label :${store.labels.name(label)} lists node ${id}, which does not ` +
          'have it');
      }
    }
  }
  return count;
}

function checkRelationships(store: GraphStore, listed: AdjacencyCounts, problems: ProblemList):
  number {
  let count = 0;
  for (let id = 0; id < store.rels.count; id++) {
    if (!store.rels.live(id)) continue;
    count++;
    const start = store.rels.start[id] ?? -1;
    const end = store.rels.end[id] ?? -1;
    if (!isLiveNode(store, start)) {
      problems.add(`Relationship ${id} starts at missing node ${start}`);
    }
    if (!isLiveNode(store, end)) problems.add(`Relationship ${id} ends at missing node ${end}`);
    if (listed.outgoing[id] !== 1) {
      problems.add(`Relationship ${id} is listed ${listed.outgoing[id] ?? 0} times as outgoing ` +
        `of node ${start}, not once`);
    }
    if (listed.incoming[id] !== 1) {
      problems.add(`Relationship ${id} is listed ${listed.incoming[id] ?? 0} times as incoming ` +
        `of node ${end}, not once`);
    }
    if (id >= store.nextRelId) problems.add(`Relationship ${id} is at or above the next id`);
  }
  return count;
}

/** How often each relationship id appears in the outgoing and the incoming lists. */
interface AdjacencyCounts {
  readonly outgoing: Uint32Array;
  readonly incoming: Uint32Array;
}

/** Every adjacency entry names a live relationship with that node at that end. */
function checkAdjacency(store: GraphStore, problems: ProblemList): AdjacencyCounts {
  const counts = { outgoing: new Uint32Array(store.rels.count),
    incoming: new Uint32Array(store.rels.count) };
  const sides = [['outgoing', store.outRels, store.rels.start, counts.outgoing],
    ['incoming', store.inRels, store.rels.end, counts.incoming]] as const;
  for (const [side, lists, ends, seen] of sides) {
    for (let node = 0; node < lists.nodeCount; node++) {
      for (const rel of lists.relsOf(node)) {
        if (!isLiveRel(store, rel)) {
          problems.add(`Node ${node} lists ${side} relationship ${rel}, which does not exist`);
        } else if (ends[rel] !== node) {
          problems.add(`Node ${node} lists ${side} relationship ${rel}, which belongs to node ` +
            `${ends[rel] ?? -1}`);
        } else {
          seen[rel] = (seen[rel] ?? 0) + 1;
        }
      }
    }
  }
  return counts;
}

/** Every indexed node is findable under its value; unique indexes hold each value once. */
function checkPropertyIndex(store: GraphStore, index: IndexDescriptor, problems: ProblemList):
  void {
  const [key] = index.properties;
  if (index.entity !== 'NODE' || index.kind === 'LOOKUP' || index.properties.length !== 1 ||
    key === undefined) return;
  const entries = store.propertyIndexes.get(index.name);
  if (entries === undefined) {
    problems.add(`Index ${index.name} has no entries structure`);
    return;
  }
  const label = store.labels.lookup(index.labelOrType);
  const keyId = store.keys.lookup(key);
  if (label === undefined || keyId === undefined) return;
  const owners = new Map<IndexKey, number>();
  for (const id of store.labelNodes.get(label) ?? []) {
    const node = store.nodes[id];
    const value = node === undefined ? undefined : store.nodeProperty(node, keyId);
    if (value === undefined || !isLiveNode(store, id)) continue;
    const indexKey = propertyIndexKey(value);
    if (!entryHas(entries.get(indexKey), id)) {
      problems.add(`Index ${index.name} is missing node ${id} (:${index.labelOrType}.${key})`);
    }
    const other = owners.get(indexKey);
    if (index.owningConstraint !== null && other !== undefined) {
      problems.add(`Constraint ${index.owningConstraint}: nodes ${other} and ${id} share the ` +
        `value of :${index.labelOrType}.${key}`);
    }
    owners.set(indexKey, id);
  }
}
