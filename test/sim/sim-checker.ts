/**
 * Safety properties of Raft (paper, Figure 3), checked against global records after every
 * simulated event. A violation throws SafetyViolation naming the property.
 */
import type { RaftNode } from '../../src/raft/raft-node.js';
import { asLogIndex } from '../../src/raft/types.js';
import type { Entry, LogIndex, MemberId, Term } from '../../src/raft/types.js';

export type Property =
  | 'election-safety'
  | 'log-matching'
  | 'leader-completeness'
  | 'committed-changed'
  | 'state-machine-safety'
  | 'linearizable-read'
  | 'liveness';

export class SafetyViolation extends Error {
  override name = 'SafetyViolation';
  constructor(
    readonly property: Property,
    detail: string,
  ) {
    super(`${property}: ${detail}`);
  }
}

const decoder = new TextDecoder();

export function entryKey(entry: Entry): string {
  return `${entry.term}/${entry.kind}/${decoder.decode(entry.data)}`;
}

export class SimChecker {
  private readonly leaderByTerm = new Map<Term, MemberId>();
  /** Every entry some member reported committed, by index. */
  readonly committed = new Map<LogIndex, string>();
  committedMax = 0;
  /** Log matching, first half: one (index, term) names one entry everywhere. */
  private readonly entryByIndexTerm = new Map<string, string>();
  private readonly checkedCommit = new Map<MemberId, number>();

  onLeader(id: MemberId, term: Term, node: RaftNode): void {
    const known = this.leaderByTerm.get(term);
    if (known === undefined) {
      this.leaderByTerm.set(term, id);
      this.checkCompleteness(id, node);
    } else if (known !== id) {
      throw new SafetyViolation('election-safety', `term ${term} has leaders ${known} and ${id}`);
    }
  }

  /** Leader completeness: a new leader holds every entry committed before it. */
  private checkCompleteness(id: MemberId, node: RaftNode): void {
    const status = node.status();
    for (let i: number = status.firstIndex; i <= this.committedMax; i += 1) {
      const key = this.committed.get(asLogIndex(i));
      const entry = node.entryAt(asLogIndex(i));
      if (key === undefined) continue;
      if (entry === undefined || entryKey(entry) !== key) {
        throw new SafetyViolation(
          'leader-completeness',
          `leader ${id} of term ${status.hard.term} lacks committed entry ${i} (${key})`,
        );
      }
    }
  }

  onPersisted(id: MemberId, entries: readonly Entry[]): void {
    for (const entry of entries) {
      const at = `${entry.index}/${entry.term}`;
      const key = entryKey(entry);
      const known = this.entryByIndexTerm.get(at);
      if (known === undefined) this.entryByIndexTerm.set(at, key);
      else if (known !== key) {
        throw new SafetyViolation('log-matching', `${id} has ${key} at ${at}, others ${known}`);
      }
    }
  }

  /** Committed entries never change, whoever reports them. */
  onCommitted(id: MemberId, node: RaftNode): void {
    const status = node.status();
    const from = Math.max(this.checkedCommit.get(id) ?? 0, status.firstIndex - 1);
    for (let i = from + 1; i <= status.hard.commit; i += 1) {
      const entry = node.entryAt(asLogIndex(i));
      if (entry === undefined) throw new Error(`committed entry ${i} missing on ${id}`);
      this.record(id, entry, 'committed-changed');
    }
    this.checkedCommit.set(id, status.hard.commit);
  }

  /** State machine safety: every member applies the same entry at an index. */
  onApplied(id: MemberId, entry: Entry): void {
    this.record(id, entry, 'state-machine-safety');
  }

  private record(id: MemberId, entry: Entry, property: Property): void {
    const key = entryKey(entry);
    const known = this.committed.get(entry.index);
    if (known === undefined) {
      this.committed.set(entry.index, key);
      if (entry.index > this.committedMax) this.committedMax = entry.index;
    } else if (known !== key) {
      throw new SafetyViolation(property, `${id} has ${key} at ${entry.index}, committed ${known}`);
    }
  }

  /** After a restart the member re-reads its log; re-check its commit from the start. */
  forget(id: MemberId): void {
    this.checkedCommit.delete(id);
  }

  /** Log matching, second half: logs that agree at an index agree on everything before it. */
  checkLogMatching(nodes: ReadonlyMap<MemberId, RaftNode>): void {
    const list = [...nodes.entries()];
    for (let a = 0; a < list.length; a += 1) {
      for (let b = a + 1; b < list.length; b += 1) {
        const [idA, nodeA] = list[a]!;
        const [idB, nodeB] = list[b]!;
        comparePrefixes(idA, nodeA, idB, nodeB);
      }
    }
  }
}

function comparePrefixes(idA: MemberId, a: RaftNode, idB: MemberId, b: RaftNode): void {
  const sa = a.status();
  const sb = b.status();
  const low = Math.max(sa.firstIndex, sb.firstIndex);
  let agreed = false;
  for (let i = Math.min(sa.lastIndex, sb.lastIndex); i >= low; i -= 1) {
    const ea = a.entryAt(asLogIndex(i));
    const eb = b.entryAt(asLogIndex(i));
    if (ea === undefined || eb === undefined) continue;
    if (ea.term === eb.term) agreed = true;
    if (agreed && entryKey(ea) !== entryKey(eb)) {
      const detail = `${idA} and ${idB} agree after ${i} but differ at it`;
      throw new SafetyViolation('log-matching', detail);
    }
  }
}
