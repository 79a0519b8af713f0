/** Labels, relationship types and property keys are stored as small integers; names live here. */
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
   * Readers ask for the same name once per row (a label check, a property read), with the
   * same string each time: comparing it with the last one asked is cheaper than hashing it.
   */
  private lastName: string | null = null;
  private lastId: number | undefined;

  lookup(name: string): number | undefined {
    if (name === this.lastName) return this.lastId;
    const id = this.ids.get(name);
    if (id !== undefined) {
      this.lastName = name;
      this.lastId = id;
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
