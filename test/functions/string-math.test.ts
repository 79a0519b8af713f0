import { describe, expect, it } from 'vitest';
import { QuiverError } from '../../src/errors/quiver-error.js';
import { StatusCode } from '../../src/errors/status-codes.js';
import { call, context } from './helpers.js';

describe('string functions', () => {
  it('extracts substrings by code point', () => {
    expect(call('substring', ['0123456789', 1n])).toBe('123456789');
    expect(call('substring', ['0123456789', 1n, 3n])).toBe('123');
    expect(call('substring', ['abc', 10n])).toBe('');
    expect(call('substring', ['a😀b', 1n, 1n])).toBe('😀');
    expect(call('left', ['hello', 3n])).toBe('hel');
    expect(call('right', ['hello', 3n])).toBe('llo');
    expect(call('right', ['hi', 10n])).toBe('hi');
  });

  it('rejects negative positions with an ArgumentError', () => {
    expect(() => call('substring', ['abc', -1n]))
      .toThrow(expect.objectContaining({ code: StatusCode.ArgumentError }));
    expect(() => call('left', ['abc', null])).toThrow(QuiverError);
  });

  it('trims whitespace or given characters', () => {
    expect(call('trim', ['  hello  '])).toBe('hello');
    expect(call('lTrim', ['  hello  '])).toBe('hello  ');
    expect(call('rTrim', ['  hello  '])).toBe('  hello');
    expect(call('btrim', ['xxhixx', 'x'])).toBe('hi');
  });

  it('changes case, replaces, reverses and splits', () => {
    expect(call('toUpper', ['hello'])).toBe('HELLO');
    expect(call('toLower', ['HELLO'])).toBe('hello');
    expect(call('replace', ['hello', 'l', 'w'])).toBe('hewwo');
    expect(call('reverse', ['raksO'])).toBe('Oskar');
    expect(call('split', ['one1two', '1'])).toEqual(['one', 'two']);
    expect(call('split', ['a,b;c', [',', ';']])).toEqual(['a', 'b', 'c']);
    expect(call('split', ['abc', ''])).toEqual(['a', 'b', 'c']);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(call('size', ['a😀'])).toBe(2n);
    expect(call('char_length', ['a😀'])).toBe(2n);
  });

  it('normalizes to the asked form', () => {
    expect(call('normalize', ['\u0041\u030a'])).toBe('\u00c5');
    expect(call('normalize', ['\u00c5', 'NFD'])).toBe('\u0041\u030a');
    expect(() => call('normalize', ['a', 'NFX'])).toThrow(QuiverError);
  });

  it('returns null for null input and fails on the wrong type', () => {
    expect(call('toUpper', [null])).toBeNull();
    expect(call('replace', ['a', null, 'b'])).toBeNull();
    expect(() => call('toUpper', [1n]))
      .toThrow(expect.objectContaining({ code: StatusCode.TypeError }));
  });
});

describe('mathematical functions', () => {
  it('keeps abs() in the argument\'s type and sign() as an integer', () => {
    expect(call('abs', [-1n])).toBe(1n);
    expect(call('abs', [-1.5])).toBe(1.5);
    expect(call('sign', [-3.2])).toBe(-1n);
    expect(call('sign', [0n])).toBe(0n);
  });

  it('returns floats from ceil, floor, round and sqrt', () => {
    expect(call('ceil', [0.1])).toBe(1);
    expect(call('floor', [-0.1])).toBe(-1);
    expect(call('sqrt', [12.96])).toBe(3.6);
    expect(call('round', [3.5])).toBe(4);
    expect(call('round', [-1.5])).toBe(-1);
    expect(Object.is(call('round', [-0.4]), 0)).toBe(true);
  });

  it('rounds to a precision with a rounding mode', () => {
    expect(call('round', [3.141592, 3n])).toBe(3.142);
    expect(call('round', [2.675, 2n])).toBe(2.68);
    expect(call('round', [-1.5, 0n, 'HALF_UP'])).toBe(-2);
    expect(call('round', [1.25, 1n, 'HALF_EVEN'])).toBe(1.2);
    expect(call('round', [1.35, 1n, 'HALF_EVEN'])).toBe(1.4);
    expect(call('round', [1.21, 1n, 'CEILING'])).toBe(1.3);
    expect(call('round', [-1.21, 1n, 'FLOOR'])).toBe(-1.3);
    expect(call('round', [1.29, 1n, 'DOWN'])).toBe(1.2);
    expect(call('round', [1.21, 1n, 'UP'])).toBe(1.3);
    expect(call('round', [1.25, 1n, 'HALF_DOWN'])).toBe(1.2);
    expect(() => call('round', [1.2, 1n, 'SIDEWAYS'])).toThrow(QuiverError);
  });

  it('computes logarithms, exponentials and trigonometry', () => {
    expect(call('log', [Math.E])).toBe(1);
    expect(call('log10', [1000n])).toBe(3);
    expect(call('exp', [0n])).toBe(1);
    expect(call('e', [])).toBe(Math.E);
    expect(call('pi', [])).toBe(Math.PI);
    expect(call('degrees', [Math.PI])).toBe(180);
    expect(call('radians', [180n])).toBe(Math.PI);
    expect(call('atan2', [1n, 1n])).toBeCloseTo(Math.PI / 4);
    expect(call('haversin', [0.5])).toBeCloseTo(0.06120871905481362);
    expect(call('cot', [0n])).toBe(Infinity);
    expect(call('isNaN', [0 / 0])).toBe(true);
    expect(call('isNaN', [1n])).toBe(false);
  });

  it('draws rand() from the statement\'s seeded source', () => {
    expect(call('rand', [], context(undefined, [0.75]))).toBe(0.75);
  });

  it('fails on non-numbers', () => {
    expect(() => call('sqrt', ['4'])).toThrow(expect.objectContaining({
      code: StatusCode.TypeError }));
    expect(call('sqrt', [null])).toBeNull();
  });
});
