/**
 * Syntax errors in the shape Neo4j prints them, which tools and people already know how to read:
 * the message, "(line L, column C (offset: O))", the offending line quoted, and a caret under it.
 */
import { QuiverError } from '../errors/quiver-error.js';

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export function positionOf(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1, offset };
}

/** Formats "message (line L, column C (offset: O))" plus the quoted line and a caret. */
export function describeAt(text: string, offset: number, message: string): string {
  const pos = positionOf(text, offset);
  const lineStart = offset - (pos.column - 1);
  const lineEnd = text.indexOf('\n', lineStart);
  const lineText = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
  const caret = ' '.repeat(pos.column) + '^';
  return `${message} (line ${pos.line}, column ${pos.column} (offset: ${offset}))\n` +
    `"${lineText}"\n${caret}`;
}

export function syntaxError(text: string, offset: number, message: string): QuiverError {
  return new QuiverError('SyntaxError', describeAt(text, offset, message));
}
