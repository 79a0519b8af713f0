/**
 * Commits through Raft: propose the ChangeSet, then wait until the member has applied the entry
 * at that index. If a different entry landed there (leadership changed and the proposal was
 * overwritten) or no majority answered in time, the commit fails with a transient error that
 * drivers retry. Writes are accepted only by a leader that has applied its own no-op, so every
 * earlier commit is in its graph before it validates anything.
 */
import { QuiverError } from '../errors/quiver-error.js';
import type { MemberRole, Replicator } from '../db/replicator.js';
import type { GraphStateMachine } from '../db/state-machine.js';
import type { RaftLoop } from './raft-loop.js';

interface Waiting {
  readonly term: number;
  readonly resolve: (index: number) => void;
  readonly reject: (e: unknown) => void;
  readonly timer: NodeJS.Timeout;
}

export class ClusterReplicator implements Replicator {
  private readonly waiting = new Map<number, Waiting>();
  private leaderReadyIndex = Infinity;
  private currentRole: MemberRole = 'FOLLOWER';
  private listeners: (() => void)[] = [];

  constructor(
    private readonly loop: RaftLoop,
    private readonly machine: GraphStateMachine,
    private readonly replicationTimeoutMs: number,
  ) {}

  /** The raft loop applied `index` with `term`: settle whoever waits for it. */
  applied(index: number, term: number): void {
    const w = this.waiting.get(index);
    if (!w) return;
    this.waiting.delete(index);
    clearTimeout(w.timer);
    if (w.term === term) w.resolve(index);
    else w.reject(lost('leadership changed before the transaction was committed'));
  }

  /** Role changes come from the raft loop's soft state. */
  setRole(role: MemberRole): void {
    if (role === 'LEADER' && this.currentRole !== 'LEADER') {
      this.leaderReadyIndex = this.loop.status().lastIndex;
      for (const l of this.listeners) l();
    }
    if (role !== 'LEADER') {
      this.leaderReadyIndex = Infinity;
      for (const [index, w] of this.waiting) {
        if (index > this.machine.appliedIndex) continue;
        w.reject(lost('leadership changed'));
      }
    }
    this.currentRole = role;
  }

  replicate(data: Uint8Array): Promise<number> {
    if (!this.canWrite()) return Promise.reject(notLeader(this.currentRole));
    const r = this.loop.propose(data);
    if (!r.ok) {
      return Promise.reject(r.reason === 'not-leader' ? notLeader(this.currentRole)
        : lost(`the proposal was dropped (${r.reason})`));
    }
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(r.index);
        reject(lost(`no majority acknowledged it within ${this.replicationTimeoutMs} ms; ` +
          'it may still commit'));
      }, this.replicationTimeoutMs);
      this.waiting.set(r.index, { term: r.term, resolve, reject, timer });
    });
  }

  canWrite(): boolean {
    return this.currentRole === 'LEADER' && this.machine.appliedIndex >= this.leaderReadyIndex;
  }

  role(): MemberRole {
    return this.currentRole;
  }

  onLeadershipChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    for (const w of this.waiting.values()) {
      clearTimeout(w.timer);
      w.reject(new QuiverError('DatabaseUnavailable', 'The database is shutting down.'));
    }
    this.waiting.clear();
    await this.loop.stop();
  }
}

function lost(why: string): QuiverError {
  return new QuiverError('ReplicationFailure', `The transaction was not committed: ${why}.`);
}

export function notLeader(role: string): QuiverError {
  if (role === 'CANDIDATE' || role === 'PRE_CANDIDATE') {
    return new QuiverError('LeaderUnavailable',
      'No leader is available for writes at the moment (an election is in progress); retry.');
  }
  return new QuiverError('NotALeader', 'No write operations are allowed directly on this ' +
    `database. Writes must pass through the leader. The role of this server is: ${role}`);
}
