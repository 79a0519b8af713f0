/**
 * Parsers for Neo4j's setting value syntax: durations (`7s`, `500ms`, bare number = seconds),
 * byte sizes (`512m`, `1GiB`, binary units as Neo4j reads them), booleans, integers and lists.
 * Each throws InvalidSettingValue with a sentence a person can act on.
 */
import { InvalidSettingValue } from './config-error.js';

const DURATION_UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6, us: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000,
};

const SIZE_UNIT_BYTES: Readonly<Record<string, number>> = {
  '': 1, b: 1,
  k: 1024, kb: 1024, kib: 1024,
  m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2,
  g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3,
  t: 1024 ** 4, tb: 1024 ** 4, tib: 1024 ** 4,
};

/** Milliseconds, rounded to a whole number; `1h30m` style sums are accepted too. */
export function parseDurationMs(raw: string): number {
  const text = raw.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const part = /(\d+(?:\.\d+)?)\s*(ns|us|μs|ms|s|m|h|d)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(text); match !== null; match = part.exec(text)) {
    const unitMs = DURATION_UNIT_MS[match[2] ?? ''];
    if (unitMs === undefined) break;
    total += Number(match[1]) * unitMs;
    consumed = part.lastIndex;
  }
  if (text === '' || consumed !== text.length) {
    throw new InvalidSettingValue(`'${raw}' is not a valid duration (e.g. 500ms, 7s, 1m, 2h)`);
  }
  return Math.round(total);
}

/** A `min-max` duration window (`20s-23s`); a single duration means min = max. */
export function parseDurationWindowMs(raw: string): { minMs: number; maxMs: number } {
  const [low, high, extra] = raw.split('-');
  if (low === undefined || extra !== undefined) {
    throw new InvalidSettingValue(`'${raw}' is not a valid duration window (e.g. 3s-6s)`);
  }
  const minMs = parseDurationMs(low);
  const maxMs = high === undefined ? minMs : parseDurationMs(high);
  if (maxMs < minMs) {
    throw new InvalidSettingValue(`'${raw}': the window's end is before its start`);
  }
  return { minMs, maxMs };
}

export function parseByteSize(raw: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(raw.trim());
  const unit = SIZE_UNIT_BYTES[(match?.[2] ?? '?').toLowerCase()];
  if (match === null || unit === undefined) {
    throw new InvalidSettingValue(`'${raw}' is not a valid byte size (e.g. 512m, 2g, 250.00MiB)`);
  }
  const bytes = Math.round(Number(match[1]) * unit);
  if (!Number.isSafeInteger(bytes)) {
    throw new InvalidSettingValue(`'${raw}' is too large a byte size`);
  }
  return bytes;
}

export function parseBoolean(raw: string): boolean {
  const text = raw.trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new InvalidSettingValue(`'${raw}' is not a boolean (true or false)`);
}

export function parseInteger(raw: string, bounds: { min: number; max: number }): number {
  const text = raw.trim();
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) {
    throw new InvalidSettingValue(`'${raw}' is not an integer`);
  }
  if (value < bounds.min || value > bounds.max) {
    throw new InvalidSettingValue(
      `${value} is out of range: it must be between ${bounds.min} and ${bounds.max}`);
  }
  return value;
}

/** Comma-separated, trimmed, empty items dropped; `[a,b]` brackets tolerated as 3.5 printed. */
export function parseList(raw: string): string[] {
  const text = raw.trim().replace(/^\[(.*)\]$/, '$1');
  return text.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

export function parseEnum<T extends string>(raw: string, allowed: readonly T[]): T {
  const text = raw.trim().toUpperCase();
  const found = allowed.find((value) => value.toUpperCase() === text);
  if (found === undefined) {
    throw new InvalidSettingValue(`'${raw}' is not one of ${allowed.join(', ')}`);
  }
  return found;
}
