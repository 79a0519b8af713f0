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

  lookup(name: string): number | undefined {
    return this.ids.get(name);
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
