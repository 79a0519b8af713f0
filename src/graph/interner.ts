/** Labels, relationship types and property keys are stored as small integers; names live here. */

const RECENT_SLOTS = 4;

export class Interner {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];

  intern(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    return id;
  }

  /**
   * Readers ask for the same few names once per row (a label check, two property reads), with
   * the same strings each time: comparing with the names last asked is cheaper than hashing.
   * Four slots, replaced in turn, hold the names of a typical row's reads.
   */
  private readonly recentNames: (string | null)[] = [null, null, null, null];
  private readonly recentIds: number[] = [0, 0, 0, 0];
  private nextSlot = 0;

  lookup(name: string): number | undefined {
    const names = this.recentNames;
    for (let i = 0; i < RECENT_SLOTS; i++) {
      if (names[i] === name) return this.recentIds[i];
    }
    const id = this.ids.get(name);
    if (id !== undefined) {
      names[this.nextSlot] = name;
      this.recentIds[this.nextSlot] = id;
      this.nextSlot = (this.nextSlot + 1) % RECENT_SLOTS;
    }
    return id;
  }

  name(id: number): string {
    const n = this.names[id];
    if (n === undefined) throw new Error(`Interner: unknown id ${id}`);
    return n;
  }

  all(): readonly string[] {
    return this.names;
  }
}
