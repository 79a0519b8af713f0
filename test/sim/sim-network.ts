/**
 * The simulated network: every message gets a delivery tick drawn from the delay range, so
 * messages reorder; some are lost or duplicated; partitions cut links (one way or both).
 */
import type { MemberId, Message } from '../../src/raft/types.js';
import type { Prng } from './prng.js';

export interface NetworkFaults {
  lossProbability: number;
  duplicateProbability: number;
  delayTicksMax: number;
  /** Order kept per link, as over a TCP connection; otherwise messages overtake each other. */
  fifo: boolean;
}

interface InFlight {
  readonly deliverAt: number;
  readonly message: Message;
}

export class SimNetwork {
  private queue: InFlight[] = [];
  private readonly blocked = new Set<string>();
  private readonly lastDeliveryByLink = new Map<string, number>();
  sentCount = 0;
  droppedCount = 0;

  constructor(
    private readonly prng: Prng,
    public faults: NetworkFaults,
    /** Bound on messages in flight; beyond it the network drops, as a full socket would. */
    private readonly inflightMax: number,
  ) {}

  send(message: Message, now: number): void {
    this.sentCount += 1;
    if (this.queue.length >= this.inflightMax || this.prng.chance(this.faults.lossProbability)) {
      this.droppedCount += 1;
      return;
    }
    this.schedule(message, now);
    if (this.prng.chance(this.faults.duplicateProbability)) this.schedule(message, now);
  }

  private schedule(message: Message, now: number): void {
    let deliverAt = now + this.prng.int(this.faults.delayTicksMax + 1);
    if (this.faults.fifo) {
      const link = `${message.from}>${message.to}`;
      deliverAt = Math.max(deliverAt, this.lastDeliveryByLink.get(link) ?? 0);
      this.lastDeliveryByLink.set(link, deliverAt);
    }
    this.queue.push({ deliverAt, message });
  }

  /** Messages due by `now`; those on a cut link are lost. */
  takeDue(now: number): Message[] {
    const due: Message[] = [];
    const rest: InFlight[] = [];
    for (const item of this.queue) {
      if (item.deliverAt <= now) due.push(item.message);
      else rest.push(item);
    }
    this.queue = rest;
    // Due messages keep the order they were sent in per link only when fifo; the queue is in
    // sending order, so not shuffling is enough.
    const ordered = this.faults.fifo ? due : this.prng.shuffle(due);
    return ordered.filter((m) => {
      const cut = this.blocked.has(`${m.from}>${m.to}`);
      if (cut) this.droppedCount += 1;
      return !cut;
    });
  }

  /** Split members into two groups; asymmetric cuts only one direction. */
  partition(groupA: readonly MemberId[], groupB: readonly MemberId[], asymmetric: boolean): void {
    this.blocked.clear();
    for (const a of groupA) {
      for (const b of groupB) {
        this.blocked.add(`${a}>${b}`);
        if (!asymmetric) this.blocked.add(`${b}>${a}`);
      }
    }
  }

  heal(): void {
    this.blocked.clear();
  }

  isPartitioned(): boolean {
    return this.blocked.size > 0;
  }
}
