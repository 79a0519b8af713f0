import { describe, expect, it } from 'vitest';
import {
  parseBoolean, parseByteSize, parseDurationMs, parseDurationWindowMs, parseInteger, parseList,
} from '../../src/config/value-parsers.js';
import { formatAddress, parsePartialAddress } from '../../src/config/socket-address.js';
import { parsePruneStrategy } from '../../src/config/settings/cluster-settings.js';

describe('durations', () => {
  it.each([
    ['7s', 7000], ['500ms', 500], ['1m', 60_000], ['2h', 7_200_000], ['1d', 86_400_000],
    ['30', 30_000], ['1.5s', 1500], ['1h30m', 5_400_000], ['0', 0],
  ])('reads %s as %i ms', (raw, ms) => {
    expect(parseDurationMs(raw)).toBe(ms);
  });

  it.each(['', 'seven', '7 parsecs', '-1s', '7sx'])('rejects %j', (raw) => {
    expect(() => parseDurationMs(raw)).toThrow(/not a valid duration/);
  });

  it('reads a window and refuses one that ends before it starts', () => {
    expect(parseDurationWindowMs('20s-23s')).toEqual({ minMs: 20_000, maxMs: 23_000 });
    expect(() => parseDurationWindowMs('5s-1s')).toThrow(/before its start/);
  });
});

describe('byte sizes', () => {
  it.each([
    ['512m', 512 * 1024 ** 2], ['2g', 2 * 1024 ** 3], ['1024', 1024],
    ['250.00MiB', 250 * 1024 ** 2],
    ['10k', 10_240], ['1GB', 1024 ** 3],
  ])('reads %s', (raw, bytes) => {
    expect(parseByteSize(raw)).toBe(bytes);
  });

  it('rejects an unknown unit', () => {
    expect(() => parseByteSize('5 parsecs')).toThrow(/not a valid byte size/);
  });
});

describe('scalars and lists', () => {
  it('reads booleans in any case and nothing else', () => {
    expect(parseBoolean('TRUE')).toBe(true);
    expect(parseBoolean('false')).toBe(false);
    expect(() => parseBoolean('yes')).toThrow(/not a boolean/);
  });

  it('checks integer bounds', () => {
    expect(parseInteger('3', { min: 1, max: 9 })).toBe(3);
    expect(() => parseInteger('0', { min: 1, max: 9 })).toThrow(/between 1 and 9/);
    expect(() => parseInteger('1.5', { min: 1, max: 9 })).toThrow(/not an integer/);
  });

  it('splits lists on commas and drops empty items', () => {
    expect(parseList(' a:1, b:2,,c ')).toEqual(['a:1', 'b:2', 'c']);
    expect(parseList('[x,y]')).toEqual(['x', 'y']);
  });
});

describe('socket addresses', () => {
  it('keeps the missing half of a partial address open', () => {
    expect(parsePartialAddress(':7687')).toEqual({ host: null, port: 7687 });
    expect(parsePartialAddress('example.com')).toEqual({ host: 'example.com', port: null });
    expect(parsePartialAddress('0.0.0.0:1')).toEqual({ host: '0.0.0.0', port: 1 });
    expect(parsePartialAddress('[::1]:7000')).toEqual({ host: '::1', port: 7000 });
  });

  it('rejects bad ports and unbracketed IPv6', () => {
    expect(() => parsePartialAddress('h:99999')).toThrow(/invalid port/);
    expect(() => parsePartialAddress('h:abc')).toThrow(/invalid port/);
    expect(() => parsePartialAddress('::1:7000')).toThrow(/brackets/);
  });

  it('formats IPv6 hosts in brackets', () => {
    expect(formatAddress({ host: '::1', port: 7687 })).toBe('[::1]:7687');
    expect(formatAddress({ host: 'a', port: 1 })).toBe('a:1');
  });
});

describe('raft log prune strategy', () => {
  it('reads sizes, counts and the keep-all / keep-none words', () => {
    expect(parsePruneStrategy('1g size')).toEqual({ kind: 'size', bytes: 1024 ** 3 });
    expect(parsePruneStrategy('100k txs')).toEqual({ kind: 'txs', count: 100_000 });
    expect(parsePruneStrategy('7 days')).toEqual({ kind: 'days', count: 7 });
    expect(parsePruneStrategy('false')).toEqual({ kind: 'keep_none' });
    expect(parsePruneStrategy('keep_all')).toEqual({ kind: 'keep_all' });
    expect(() => parsePruneStrategy('lots')).toThrow(/prune strategy/);
  });
});
