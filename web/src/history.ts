/**
 * The editor's history of what was run: newest last, bounded, consecutive duplicates folded,
 * with a cursor for stepping back and forth the way a shell does.
 */

export const HISTORY_ENTRIES_MAX = 100;

export class QueryHistory {
  private readonly entries: string[];
  /** entries.length means "past the newest": the user's own draft is showing. */
  private cursorIndex: number;

  constructor(initial: readonly string[] = []) {
    this.entries = initial.slice(-HISTORY_ENTRIES_MAX);
    this.cursorIndex = this.entries.length;
  }

  add(text: string): void {
    const trimmed = text.trim();
    if (trimmed !== '' && this.entries[this.entries.length - 1] !== trimmed) {
      this.entries.push(trimmed);
      if (this.entries.length > HISTORY_ENTRIES_MAX) this.entries.shift();
    }
    this.cursorIndex = this.entries.length;
  }

  /** The entry before the cursor, or null at the oldest. */
  previous(): string | null {
    if (this.cursorIndex === 0) return null;
    this.cursorIndex -= 1;
    return this.entries[this.cursorIndex] ?? null;
  }

  /** The entry after the cursor; '' once past the newest (back to an empty draft). */
  next(): string | null {
    if (this.cursorIndex >= this.entries.length) return null;
    this.cursorIndex += 1;
    return this.entries[this.cursorIndex] ?? '';
  }

  list(): readonly string[] {
    return this.entries;
  }
}
