/**
 * The state of the simulated network between members, shared by every fault proxy: which pairs
 * are cut off (a partition) and how slow and lossy the links are. Proxies subscribe and
 * re-judge their open connections whenever it changes.
 */
import type { Prng } from '../sim/prng.js';
import { pairKey, type Cut } from './partitions.js';

export interface SlowLinks {
  /** Added to every frame's trip through a proxy. */
  readonly delayMs: number;
  /** A further uniform random delay in [0, jitterMs); frames still arrive in order. */
  readonly jitterMs: number;
  /** Probability that a frame (other than a connection's first) is dropped. */
  readonly lossRate: number;
}

export const FAST_LINKS: SlowLinks = { delayMs: 0, jitterMs: 0, lossRate: 0 };

export class LinkFaults {
  private cut: Cut = new Set();
  private slowLinks: SlowLinks = FAST_LINKS;
  private readonly listeners: (() => void)[] = [];

  constructor(private readonly rng: Prng) {}

  isCut(a: string, b: string): boolean {
    return this.cut.has(pairKey(a, b));
  }

  get slow(): SlowLinks {
    return this.slowLinks;
  }

  setCut(cut: Cut): void {
    this.cut = cut;
    this.changed();
  }

  setSlow(slow: SlowLinks): void {
    this.slowLinks = slow;
    this.changed();
  }

  healAll(): void {
    this.cut = new Set();
    this.slowLinks = FAST_LINKS;
    this.changed();
  }

  /** Whether to drop one frame under the current loss rate. */
  drawLoss(): boolean {
    return this.slowLinks.lossRate > 0 && this.rng.chance(this.slowLinks.lossRate);
  }

  /** The delay for one frame under the current settings. */
  drawDelayMs(): number {
    const { delayMs, jitterMs } = this.slowLinks;
    return jitterMs > 0 ? delayMs + this.rng.next() * jitterMs : delayMs;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
