/**
 * String functions. Lengths and positions count Unicode code points, as Neo4j's do, so a
 * character outside the BMP is one character, not two UTF-16 units.
 */
import { QuiverError } from '../../errors/quiver-error.js';
import type { Value } from '../../graph/values.js';
import { formatValue } from '../values/format.js';
import { kindOf } from '../values/kind.js';
import { checkListLength, checkStringLength } from '../values/value-size.js';
import {
  arg, badValue, defineAll, integerArg, stringArg, wrongType,
} from './define.js';

export function codePoints(s: string): string[] {
  return Array.from(s);
}

function trimSet(chars: string | null): (c: string) => boolean {
  if (chars === null) return (c) => /\s/u.test(c);
  const set = new Set(codePoints(chars));
  return (c) => set.has(c);
}

function trimEnds(s: string, chars: string | null, left: boolean, right: boolean): string {
  const cs = codePoints(s);
  const strip = trimSet(chars);
  let start = 0;
  let end = cs.length;
  while (left && start < end && strip(cs[start] ?? '')) start++;
  while (right && end > start && strip(cs[end - 1] ?? '')) end--;
  return cs.slice(start, end).join('');
}

function trimmer(name: string, left: boolean, right: boolean) {
  return {
    name, signature: `${name}(original :: STRING, trimCharacterString :: STRING) :: STRING`,
    description: `Returns the given STRING with ${left && right ? 'leading and trailing' :
      left ? 'leading' : 'trailing'} whitespace (or the given characters) removed.`,
    minArgs: 1,
    call: (a: Value[]): Value => {
      const chars = arg(a, 1);
      if (a.length > 1 && chars === null) return null;
      return trimEnds(stringArg(name, arg(a, 0)),
        chars === null ? null : stringArg(name, chars), left, right);
    },
  };
}

function nonNegative(fn: string, v: Value, what: string): number {
  if (v === null) throw badValue(fn, `${what} cannot be null`);
  const n = integerArg(fn, v);
  if (n < 0n) throw badValue(fn, `${what} must be a non-negative integer, got ${n}`);
  return Number(n > 2_147_483_647n ? 2_147_483_647n : n);
}

/** toString accepts anything with a text form; lists, maps and entities are type errors. */
export function toStringValue(fn: string, v: Value): string {
  const kind = kindOf(v);
  if (kind === 'LIST' || kind === 'MAP' || kind === 'NODE' || kind === 'RELATIONSHIP' ||
    kind === 'PATH' || kind === 'BYTES') {
    throw wrongType(fn, 'a String, Number, Boolean, Temporal or Duration', v);
  }
  return formatValue(v);
}

const NORMAL_FORMS = new Set(['NFC', 'NFD', 'NFKC', 'NFKD']);

/** The length of `original` with every `search` replaced, counted only when it can grow. */
function replacedLength(original: string, search: string, replacement: string): number {
  if (replacement.length <= search.length) return original.length;
  let count = 0;
  if (search === '') {
    count = original.length + 1;
  } else {
    const step = search.length;
    for (let at = original.indexOf(search); at >= 0; at = original.indexOf(search, at + step)) {
      count++;
    }
  }
  return original.length + count * (replacement.length - search.length);
}

function splitString(original: string, delimiters: Value): string[] {
  // The split walks an array of the string's code points, which is as long as the string.
  checkListLength(original.length, 'split()');
  const list = Array.isArray(delimiters) ? delimiters : [delimiters];
  const seps = list.map((d) => stringArg('split', d));
  if (seps.length === 1 && seps[0] === '') return codePoints(original);
  const parts: string[] = [];
  let current = '';
  const cs = codePoints(original);
  for (let i = 0; i < cs.length;) {
    const sep = seps.find((s) => s !== '' && cs.slice(i, i + codePoints(s).length).join('') === s);
    if (sep === undefined) {
      current += cs[i] ?? '';
      i++;
    } else {
      parts.push(current);
      current = '';
      i += codePoints(sep).length;
    }
  }
  parts.push(current);
  return parts;
}

export const STRING_FUNCTIONS = defineAll('String', [
  {
    name: 'toLower', signature: 'toLower(input :: STRING) :: STRING',
    description: 'Returns the given STRING in lowercase.',
    call: (a) => stringArg('toLower', arg(a, 0)).toLowerCase(),
  },
  {
    name: 'lower', signature: 'lower(input :: STRING) :: STRING',
    description: 'Returns the given STRING in lowercase.',
    call: (a) => stringArg('lower', arg(a, 0)).toLowerCase(),
  },
  {
    name: 'toUpper', signature: 'toUpper(input :: STRING) :: STRING',
    description: 'Returns the given STRING in uppercase.',
    call: (a) => stringArg('toUpper', arg(a, 0)).toUpperCase(),
  },
  {
    name: 'upper', signature: 'upper(input :: STRING) :: STRING',
    description: 'Returns the given STRING in uppercase.',
    call: (a) => stringArg('upper', arg(a, 0)).toUpperCase(),
  },
  trimmer('trim', true, true), trimmer('btrim', true, true),
  trimmer('lTrim', true, false), trimmer('rTrim', false, true),
  {
    name: 'replace',
    signature: 'replace(original :: STRING, search :: STRING, replace :: STRING) :: STRING',
    description: 'Returns a STRING in which every occurrence of a STRING is replaced.',
    nullInNullOut: false,
    call: (a) => {
      if (a.some((x) => x === null)) return null;
      const original = stringArg('replace', arg(a, 0));
      const search = stringArg('replace', arg(a, 1));
      const replacement = stringArg('replace', arg(a, 2));
      checkStringLength(replacedLength(original, search, replacement), 'replace()');
      return original.replaceAll(search, replacement);
    },
  },
  {
    name: 'substring',
    signature: 'substring(original :: STRING, start :: INTEGER, length :: INTEGER) :: STRING',
    description: 'Returns a substring of the given length, starting at a 0-based index.',
    minArgs: 2,
    call: (a) => {
      const cs = codePoints(stringArg('substring', arg(a, 0)));
      const start = nonNegative('substring', arg(a, 1), 'start');
      const length = a.length > 2 ? nonNegative('substring', arg(a, 2), 'length') : cs.length;
      return cs.slice(start, start + length).join('');
    },
  },
  {
    name: 'left', signature: 'left(original :: STRING, length :: INTEGER) :: STRING',
    description: 'Returns the leftmost characters of a STRING.',
    call: (a) => codePoints(stringArg('left', arg(a, 0)))
      .slice(0, nonNegative('left', arg(a, 1), 'length')).join(''),
  },
  {
    name: 'right', signature: 'right(original :: STRING, length :: INTEGER) :: STRING',
    description: 'Returns the rightmost characters of a STRING.',
    call: (a) => {
      const cs = codePoints(stringArg('right', arg(a, 0)));
      const n = nonNegative('right', arg(a, 1), 'length');
      return cs.slice(Math.max(0, cs.length - n)).join('');
    },
  },
  {
    name: 'split',
    signature: 'split(original :: STRING, splitDelimiters :: STRING | LIST<STRING>) :: ' +
      'LIST<STRING>',
    description: 'Splits a STRING at each occurrence of the delimiters.',
    nullInNullOut: false,
    call: (a) => {
      const delimiters = arg(a, 1);
      if (arg(a, 0) === null || delimiters === null) return null;
      if (Array.isArray(delimiters) && delimiters.includes(null)) return null;
      return splitString(stringArg('split', arg(a, 0)), delimiters);
    },
  },
  {
    name: 'toString', signature: 'toString(input :: ANY) :: STRING',
    description: 'Converts a value to a STRING.',
    call: (a) => toStringValue('toString', arg(a, 0)),
  },
  {
    name: 'toStringOrNull', signature: 'toStringOrNull(input :: ANY) :: STRING',
    description: 'Converts a value to a STRING, or null when it cannot be converted.',
    call: (a) => {
      try {
        return toStringValue('toStringOrNull', arg(a, 0));
      } catch (e) {
        if (e instanceof QuiverError) return null;
        throw e;
      }
    },
  },
  {
    name: 'char_length', signature: 'char_length(input :: STRING) :: INTEGER',
    description: 'Returns the number of Unicode characters in a STRING.',
    call: (a) => BigInt(codePoints(stringArg('char_length', arg(a, 0))).length),
  },
  {
    name: 'character_length', signature: 'character_length(input :: STRING) :: INTEGER',
    description: 'Returns the number of Unicode characters in a STRING.',
    call: (a) => BigInt(codePoints(stringArg('character_length', arg(a, 0))).length),
  },
  {
    name: 'normalize', signature: 'normalize(input :: STRING, normalForm = NFC :: ANY) :: STRING',
    description: 'Normalizes a STRING to a Unicode normal form (NFC, NFD, NFKC, NFKD).',
    minArgs: 1,
    call: (a) => {
      const form = a.length > 1 ? stringArg('normalize', arg(a, 1)).toUpperCase() : 'NFC';
      if (!NORMAL_FORMS.has(form)) throw badValue('normalize', `Unknown normal form: ${form}`);
      return stringArg('normalize', arg(a, 0)).normalize(form);
    },
  },
]);
