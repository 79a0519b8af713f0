/**
 * Partition shapes: each cuts what Jepsen's nemesis of the same name cuts.
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../sim/prng.js';
import { pairKey, partition, withReplicas, type Cut } from './partitions.js';

const FIVE = ['core-1', 'core-2', 'core-3', 'core-4', 'core-5'];
const THREE = FIVE.slice(0, 3);

function reachable(cut: Cut, names: readonly string[], from: string): string[] {
  return names.filter((n) => n === from || !cut.has(pairKey(from, n)));
}

describe('partition shapes', () => {
  it('halves cut a minority off from a majority, nothing within either', () => {
    for (let seed = 0; seed < 20; seed += 1) {
      const cut = partition('halves', FIVE, new Prng(seed), null);
      const sizes = FIVE.map((n) => reachable(cut, FIVE, n).length).sort();
      expect(sizes).toEqual([2, 2, 3, 3, 3]);
    }
  });

  it('isolated-leader cuts every link of the leader and no other', () => {
    const cut = partition('isolated-leader', THREE, new Prng(1), 'core-2');
    expect([...cut].sort()).toEqual([pairKey('core-1', 'core-2'), pairKey('core-2', 'core-3')]);
  });

  it('bridge leaves exactly one member that reaches everyone', () => {
    for (const names of [THREE, FIVE]) {
      const cut = partition('bridge', names, new Prng(7), null);
      const reachAll = names.filter((n) => reachable(cut, names, n).length === names.length);
      expect(reachAll).toHaveLength(1);
      expect(cut.size).toBeGreaterThan(0);
    }
  });

  it('ring on five members lets each reach exactly its two neighbours', () => {
    const cut = partition('ring', FIVE, new Prng(3), null);
    for (const n of FIVE) expect(reachable(cut, FIVE, n)).toHaveLength(3);
  });

  it('halves on three members leave one member alone and the other two together', () => {
    const cut = partition('halves', THREE, new Prng(11), null);
    const sizes = THREE.map((n) => reachable(cut, THREE, n).length).sort();
    expect(sizes).toEqual([1, 2, 2]);
  });

  it('a replica is cut off from exactly whom the core it sides with is cut off from', () => {
    const cut = partition('isolated-leader', THREE, new Prng(1), 'core-2');
    const sides = new Map([['replica-1', 'core-2'], ['replica-2', 'core-3']]);
    const all = withReplicas(cut, THREE, sides);
    const everyone = [...THREE, 'replica-1', 'replica-2'];
    expect(reachable(all, everyone, 'replica-1').sort()).toEqual(['core-2', 'replica-1']);
    expect(reachable(all, everyone, 'replica-2').sort())
      .toEqual(['core-1', 'core-3', 'replica-2']);
    expect(reachable(all, everyone, 'core-2').sort()).toEqual(['core-2', 'replica-1']);
  });
});
