/**
 * Splits what the user typed into the units the console runs one after another: Cypher
 * statements separated by semicolons, and console commands (`:param`, `:params`, `:clear`),
 * each on a line of its own as in Neo4j Browser and cypher-shell.
 */

/** A paste larger than this is refused instead of being split into thousands of runs. */
export const STATEMENTS_PER_RUN_MAX = 100;

export type ConsoleUnit =
  | { readonly kind: 'cypher'; readonly text: string }
  | { readonly kind: 'param'; readonly name: string; readonly expression: string }
  | { readonly kind: 'params' }
  | { readonly kind: 'clear-params' }
  | { readonly kind: 'clear-frames' }
  | { readonly kind: 'unknown-command'; readonly text: string };

type Quote = "'" | '"' | '`';

/** Where the Cypher text ends: the index of the `;` outside strings and comments, or -1. */
function statementEnd(text: string, from: number): number {
  let quote: Quote | null = null;
  for (let index = from; index < text.length; index += 1) {
    const char = text[index];
    if (quote !== null) {
      if (char === '\\' && quote !== '`') index += 1;
      else if (char === quote) quote = null;
      continue;
    }
    if (char === "'" || char === '"' || char === '`') quote = char;
    else if (char === '/' && text[index + 1] === '/') {
      const lineEnd = text.indexOf('\n', index);
      if (lineEnd === -1) return -1;
      index = lineEnd;
    } else if (char === '/' && text[index + 1] === '*') {
      const commentEnd = text.indexOf('*/', index + 2);
      if (commentEnd === -1) return -1;
      index = commentEnd + 1;
    } else if (char === ';') return index;
  }
  return -1;
}

function isOnlyComments(text: string): boolean {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '').trim() === '';
}

const PARAM_ARROW = /^:param\s+`?([A-Za-z_][A-Za-z0-9_]*)`?\s*=>\s*([\s\S]+)$/;
const PARAM_COLON = /^:param\s+`?([A-Za-z_][A-Za-z0-9_]*)`?\s*:\s*([\s\S]+)$/;

export function parseCommand(line: string): ConsoleUnit {
  const text = line.trim();
  const param = PARAM_ARROW.exec(text) ?? PARAM_COLON.exec(text);
  if (param !== null) {
    return { kind: 'param', name: param[1] ?? '', expression: (param[2] ?? '').trim() };
  }
  if (/^:params\s*$/.test(text)) return { kind: 'params' };
  if (/^:params\s+clear\s*$/.test(text)) return { kind: 'clear-params' };
  if (/^:clear\s*$/.test(text)) return { kind: 'clear-frames' };
  return { kind: 'unknown-command', text };
}

/** The units of `input` in order; throws a RangeError past STATEMENTS_PER_RUN_MAX. */
export function splitStatements(input: string): ConsoleUnit[] {
  const units: ConsoleUnit[] = [];
  let position = 0;
  while (position < input.length) {
    const rest = input.slice(position);
    const leading = rest.length - rest.trimStart().length;
    position += leading;
    if (position >= input.length) break;
    if (input[position] === ':') {
      const lineEnd = input.indexOf('\n', position);
      const end = lineEnd === -1 ? input.length : lineEnd;
      units.push(parseCommand(input.slice(position, end).replace(/;\s*$/, '')));
      position = end + 1;
    } else {
      const end = statementEnd(input, position);
      const stop = end === -1 ? input.length : end;
      const text = input.slice(position, stop).trim();
      if (!isOnlyComments(text)) units.push({ kind: 'cypher', text });
      position = stop + 1;
    }
    if (units.length > STATEMENTS_PER_RUN_MAX) {
      throw new RangeError(`At most ${STATEMENTS_PER_RUN_MAX} statements run at once`);
    }
  }
  return units;
}
