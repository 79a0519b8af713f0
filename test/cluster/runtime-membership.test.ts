/**
 * minimum_core_cluster_size_at_runtime: which silent voter the leader votes out, and when not.
 */
import { describe, expect, it } from 'vitest';
import { goneVoterToRemove, type GoneVoterArgs } from '../../src/cluster/runtime-membership.js';

const GONE_MS = 15_000;

function args(overrides: Partial<GoneVoterArgs>): GoneVoterArgs {
  return { voters: ['a', 'b', 'c', 'd'], selfId: 'a', lastHeardMs: () => 100_000,
    nowMs: 100_000, sinceMs: 0, goneMs: GONE_MS, votersMin: 3, ...overrides };
}

describe('voting out cores gone from discovery', () => {
  it('removes a voter silent for the gone time while the set is above the minimum', () => {
    const heard = new Map([['b', 100_000], ['c', 100_000 - GONE_MS], ['d', 100_000]]);
    expect(goneVoterToRemove(args({ lastHeardMs: (id) => heard.get(id) }))).toBe('c');
  });

  it('keeps a voter heard from more recently than the gone time', () => {
    const heard = new Map([['b', 100_000], ['c', 100_000 - GONE_MS + 1], ['d', 100_000]]);
    expect(goneVoterToRemove(args({ lastHeardMs: (id) => heard.get(id) }))).toBeNull();
  });

  it('never shrinks the voting set below minimum_core_cluster_size_at_runtime', () => {
    expect(goneVoterToRemove(args({ voters: ['a', 'b', 'c'], lastHeardMs: () => undefined })))
      .toBeNull();
  });

  it('counts silence only from when this member became leader', () => {
    const since = 100_000 - GONE_MS + 1;
    expect(goneVoterToRemove(args({ lastHeardMs: () => undefined, sinceMs: since }))).toBeNull();
    expect(goneVoterToRemove(args({ lastHeardMs: () => undefined, sinceMs: since - 1 })))
      .toBe('b');
  });

  it('never removes the leader itself, even when it is the smallest id', () => {
    const heard = new Map([['a', 0], ['b', 100_000], ['c', 100_000], ['d', 0]]);
    expect(goneVoterToRemove(args({ lastHeardMs: (id) => heard.get(id) }))).toBe('d');
  });
});
