import { describe, expect, it } from 'vitest';
import { compareForOrder } from '../../src/cypher/values/compare.js';
import { formatValue, tckLiteral } from '../../src/cypher/values/format.js';
import { propertyOfValue } from '../../src/cypher/values/properties.js';
import { QuiverError } from '../../src/errors/quiver-error.js';
import { StatusCode } from '../../src/errors/status-codes.js';
import type { Value } from '../../src/graph/values.js';
import { call, map } from './helpers.js';

const text = (name: string, ...args: Value[]): string => formatValue(call(name, args));

describe('constructing dates', () => {
  it.each([
    ['2015-07-21', '2015-07-21'], ['20150721', '2015-07-21'], ['2015-07', '2015-07-01'],
    ['2015', '2015-01-01'], ['2015-W30-2', '2015-07-21'], ['2015W302', '2015-07-21'],
    ['2015-W30', '2015-07-20'], ['2015-202', '2015-07-21'], ['2015202', '2015-07-21'],
  ])('parses %s', (input, expected) => {
    expect(text('date', input)).toBe(expected);
  });

  it.each<[Record<string, Value>, string]>([
    [{ year: 1984n, month: 10n, day: 11n }, '1984-10-11'],
    [{ year: 1984n, week: 10n, dayOfWeek: 3n }, '1984-03-07'],
    [{ year: 1984n, ordinalDay: 202n }, '1984-07-20'],
    [{ year: 1984n, quarter: 3n, dayOfQuarter: 45n }, '1984-08-14'],
    [{ year: 1984n }, '1984-01-01'],
    [{ year: 2017n, week: 1n }, '2017-01-02'],
  ])('builds from fields %o', (fields, expected) => {
    expect(text('date', map(fields))).toBe(expected);
  });

  it('selects and overrides fields of another temporal', () => {
    const dt = call('datetime', ['2015-07-21T21:40:32.142+01:00']);
    expect(text('date', dt)).toBe('2015-07-21');
    expect(text('date', map({ date: dt, day: 28n }))).toBe('2015-07-28');
    expect(text('date', map({ date: dt, week: 1n }))).toBe('2014-12-30');
  });

  it('rejects impossible dates and smaller fields without larger ones', () => {
    for (const bad of ['2015-02-30', '2015-13-01', '2015-W54', 'not a date']) {
      expect(() => call('date', [bad])).toThrow(QuiverError);
    }
    expect(() => call('date', [map({ year: 2015n, day: 3n })])).toThrow(/day/);
    expect(() => call('date', [map({ month: 3n })])).toThrow(/year/);
  });

  it('prints years beyond four digits with a sign', () => {
    expect(text('date', map({ year: 12345n }))).toBe('+12345-01-01');
    expect(text('date', map({ year: -5n }))).toBe('-0005-01-01');
  });
});

describe('constructing times and datetimes', () => {
  it('prints as Neo4j does: no zero seconds, fractions in groups of three', () => {
    expect(text('localtime', map({ hour: 10n, minute: 35n }))).toBe('10:35');
    expect(text('localtime', map({ hour: 12n, minute: 31n, second: 14n, nanosecond: 645876123n })))
      .toBe('12:31:14.645876123');
    expect(text('localtime', map({ hour: 12n, second: 0n, minute: 0n, millisecond: 500n })))
      .toBe('12:00:00.500');
    expect(text('time', map({ hour: 12n }))).toBe('12:00Z');
    expect(text('time', map({ hour: 10n, minute: 35n, timezone: '-08:00' }))).toBe('10:35-08:00');
  });

  it('parses datetimes with offsets and regions', () => {
    expect(text('datetime', '2015-07-21T21:40:32.142+0100'))
      .toBe('2015-07-21T21:40:32.142+01:00');
    expect(text('datetime', '2015-06-24T12:50:35.556+01:00[Europe/London]'))
      .toBe('2015-06-24T12:50:35.556+01:00[Europe/London]');
    expect(text('datetime', '2015-W30-2T214032.142Z')).toBe('2015-07-21T21:40:32.142Z');
    expect(text('localdatetime', '2015-07-21T21:40:32,5')).toBe('2015-07-21T21:40:32.500');
  });

  it('builds datetimes with the zone\'s offset at that date', () => {
    const zone = 'Europe/Stockholm';
    const summer = map({ year: 2019n, month: 7n, day: 1n, hour: 12n, timezone: zone });
    const winter = map({ year: 2019n, month: 1n, day: 1n, hour: 12n, timezone: zone });
    expect(text('datetime', summer)).toBe('2019-07-01T12:00+02:00[Europe/Stockholm]');
    expect(text('datetime', winter)).toBe('2019-01-01T12:00+01:00[Europe/Stockholm]');
  });

  it('converts a zoned datetime to a new timezone keeping the instant', () => {
    const dd = call('datetime', [map({ year: 1984n, month: 10n, day: 11n, hour: 12n,
      timezone: 'Europe/Stockholm' })]);
    expect(text('datetime', map({ datetime: dd, timezone: '+05:00' })))
      .toBe('1984-10-11T16:00+05:00');
  });

  it('moves a local time in a daylight-saving gap forward by the gap', () => {
    expect(text('datetime', '2020-03-29T02:30[Europe/Stockholm]'))
      .toBe('2020-03-29T03:30+02:00[Europe/Stockholm]');
  });

  it('builds datetimes from epoch values', () => {
    expect(text('datetime.fromepoch', 1500000000n, 123n)).toBe('2017-07-14T02:40:00.000000123Z');
    expect(text('datetime.fromepochmillis', 1500000000123n)).toBe('2017-07-14T02:40:00.123Z');
    expect(text('datetime', map({ epochSeconds: 0n, timezone: '+01:00' })))
      .toBe('1970-01-01T01:00+01:00');
  });

  it('rejects unknown zones and out-of-range fields', () => {
    const bad = [() => call('datetime', ['2015-07-21T21:40[Mars/Olympus]']),
      () => call('localtime', [map({ hour: 24n })]),
      () => call('time', ['12:00+19:00'])];
    for (const f of bad) {
      expect(f).toThrow(QuiverError);
    }
  });

  it('reads the statement clock for the current instant', () => {
    expect(text('datetime')).toBe('2024-01-15T10:30:00.123Z');
    expect(text('date.statement')).toBe('2024-01-15');
    expect(text('localtime.transaction')).toBe('10:30:00.123');
    expect(text('datetime.realtime', 'Asia/Tokyo'))
      .toBe('2024-01-15T19:30:00.123+09:00[Asia/Tokyo]');
    expect(text('date', map({ timezone: 'Pacific/Kiritimati' }))).toBe('2024-01-16');
    expect(call('timestamp', [])).toBe(1705314600123n);
  });

  it('passes null through', () => {
    expect(call('date', [null])).toBeNull();
    expect(call('duration.between', [null, call('date', [])])).toBeNull();
  });

  it('shows temporals as quoted strings in TCK notation', () => {
    expect(tckLiteral(call('date', ['2015-07-21']))).toBe("'2015-07-21'");
    expect(tckLiteral(call('duration', ['P1D']))).toBe("'P1D'");
  });
});

describe('truncation', () => {
  const d = call('datetime', ['2017-11-11T12:31:14.645876123+01:00']);
  it.each([
    ['date', 'millennium', '2000-01-01'], ['date', 'century', '2000-01-01'],
    ['date', 'decade', '2010-01-01'], ['date', 'year', '2017-01-01'],
    ['date', 'weekYear', '2017-01-02'], ['date', 'quarter', '2017-10-01'],
    ['date', 'month', '2017-11-01'], ['date', 'week', '2017-11-06'],
    ['datetime', 'hour', '2017-11-11T12:00+01:00'],
    ['datetime', 'millisecond', '2017-11-11T12:31:14.645+01:00'],
    ['localtime', 'minute', '12:31'], ['localdatetime', 'day', '2017-11-11T00:00'],
  ])('%s.truncate(%s)', (type, unit, expected) => {
    expect(text(`${type}.truncate`, unit, d)).toBe(expected);
  });

  it('applies the fields map after truncating', () => {
    expect(text('date.truncate', 'month', d, map({ day: 2n }))).toBe('2017-11-02');
    expect(text('datetime.truncate', 'week', d, map({ dayOfWeek: 2n })))
      .toBe('2017-11-07T00:00+01:00');
  });

  it('refuses date units on times', () => {
    expect(() => call('localtime.truncate', ['year', d])).toThrow(QuiverError);
  });
});

describe('durations', () => {
  it.each([
    ['P1Y2M3DT4H5M6.5S', 'P1Y2M3DT4H5M6.5S'], ['P14DT16H12M', 'P14DT16H12M'],
    ['PT0.75M', 'PT45S'], ['P2.5W', 'P17DT12H'], ['-P1D', 'P-1D'], ['PT-0.5S', 'PT-0.5S'],
    ['P2012-02-02T14:37:21.545', 'P2012Y2M2DT14H37M21.545S'], ['PT0S', 'PT0S'],
  ])('parses %s', (input, expected) => {
    expect(text('duration', input)).toBe(expected);
  });

  it('builds from maps, spilling fractions into smaller units', () => {
    expect(text('duration', map({ days: 14n, hours: 16n, minutes: 12n }))).toBe('P14DT16H12M');
    expect(text('duration', map({ months: 0.75 }))).toBe('P22DT19H51M49.5S');
    expect(text('duration', map({ hours: 25n }))).toBe('PT25H');
    expect(text('duration', map({}))).toBe('PT0S');
    expect(() => call('duration', ['P'])).toThrow(QuiverError);
    expect(() => call('duration', [map({ fortnights: 1n })])).toThrow(/fortnights/);
  });

  it('computes duration.between with months, then days, then time', () => {
    const date = (s: string) => call('date', [s]);
    expect(text('duration.between', date('1984-10-11'), date('2015-06-24'))).toBe('P30Y8M13D');
    expect(text('duration.inMonths', date('1984-10-11'), date('2015-06-24'))).toBe('P30Y8M');
    expect(text('duration.inDays', date('1984-10-11'), date('2015-06-24'))).toBe('P11213D');
    const a = call('localdatetime', ['2015-07-21T21:40:32.142']);
    const b = call('localdatetime', ['2016-07-21T21:45:22.142']);
    expect(text('duration.between', a, b)).toBe('P1YT4M50S');
    expect(text('duration.inSeconds', a, b)).toBe('PT8784H4M50S');
    expect(text('duration.between', b, a)).toBe('P-1YT-4M-50S');
  });

  it('measures between zoned values by their instants', () => {
    const a = call('datetime', ['2014-07-21T21:40:36.143+02:00']);
    const b = call('datetime', ['2014-07-21T20:40:36.143Z']);
    expect(text('duration.between', a, b)).toBe('PT1H');
    const t1 = call('time', ['12:00+01:00']);
    const t2 = call('time', ['12:00Z']);
    expect(text('duration.between', t1, t2)).toBe('PT1H');
  });

  it('exposes components', () => {
    const dur = call('duration', ['P1Y5M3DT26H4M6.5S']);
    const c = (key: string) => propertyOfValue(dur, key);
    expect([c('years'), c('months'), c('monthsOfYear'), c('quartersOfYear')])
      .toEqual([1n, 17n, 5n, 1n]);
    expect([c('days'), c('hours'), c('minutesOfHour'), c('secondsOfMinute')])
      .toEqual([3n, 26n, 4n, 6n]);
    expect([c('milliseconds'), c('millisecondsOfSecond')]).toEqual([93846500n, 500n]);
  });
});

describe('temporal components', () => {
  it('reads date, time and zone components', () => {
    const dt = call('datetime', ['2015-07-21T21:40:32.142+01:00']);
    const c = (key: string) => propertyOfValue(dt, key);
    expect([c('year'), c('quarter'), c('month'), c('week'), c('weekYear'), c('day')])
      .toEqual([2015n, 3n, 7n, 30n, 2015n, 21n]);
    expect([c('ordinalDay'), c('dayOfWeek'), c('dayOfQuarter')]).toEqual([202n, 2n, 21n]);
    expect([c('hour'), c('minute'), c('second'), c('millisecond'), c('nanosecond')])
      .toEqual([21n, 40n, 32n, 142n, 142000000n]);
    expect([c('timezone'), c('offset'), c('offsetMinutes'), c('epochMillis')])
      .toEqual(['+01:00', '+01:00', 60n, 1437511232142n]);
  });

  it('names the ISO week-based year at year boundaries', () => {
    const d = call('date', ['2021-01-03']);
    expect([propertyOfValue(d, 'weekYear'), propertyOfValue(d, 'week')]).toEqual([2020n, 53n]);
  });

  it('fails on a component the type does not have', () => {
    expect(() => propertyOfValue(call('date', ['2015-07-21']), 'hour'))
      .toThrow(expect.objectContaining({ code: StatusCode.ArgumentError }));
  });
});

describe('ordering temporals', () => {
  it('sorts local datetimes and datetimes by their timeline', () => {
    const ldt = (s: string) => call('localdatetime', [s]);
    const sorted = [ldt('1984-10-11T12:30:14.000000012'), ldt('0001-01-01T01:01:01.000000001'),
      ldt('1980-12-11T12:31:14')].sort(compareForOrder).map(formatValue);
    expect(sorted).toEqual(['0001-01-01T01:01:01.000000001', '1980-12-11T12:31:14',
      '1984-10-11T12:30:14.000000012']);
    const dt = (s: string) => call('datetime', [s]);
    const desc = [dt('1984-10-11T12:30:14.000000012+00:15'),
      dt('1984-10-11T12:31:14.645876123+00:17'), dt('9999-09-09T09:59:59.999999999+11:59')]
      .sort((a, b) => compareForOrder(b, a)).map(formatValue);
    expect(desc).toEqual(['9999-09-09T09:59:59.999999999+11:59',
      '1984-10-11T12:30:14.000000012+00:15', '1984-10-11T12:31:14.645876123+00:17']);
  });
});
