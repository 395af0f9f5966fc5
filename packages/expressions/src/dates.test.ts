import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STYLES,
  dateAdd,
  dateDiff,
  fileTimeToMs,
  formatDateTimeEnUs,
  formatWithTokens,
  msToFileTime,
  parseDateText,
  parseExact,
  parseStyles,
  tokenizeFormat,
  toCivil,
} from './dates.js';

const utc = (iso: string): number => Date.parse(iso);
const NOW = utc('2021-08-25T17:41:18Z');

function tokens(format: string) {
  const result = tokenizeFormat(format);
  if (typeof result === 'string') throw new Error(result);
  return result;
}

describe('parseDateText (CDate)', () => {
  it.each([
    ['2020-03-16-07:00', '2020-03-16T07:00:00.000Z'],
    ['2021-06-30+08:00', '2021-06-29T16:00:00.000Z'],
    ['2009-06-15T01:45:30-07:00', '2009-06-15T08:45:30.000Z'],
    ['2009-06-15T01:45:30.5Z', '2009-06-15T01:45:30.500Z'],
    ['2009-06-15 01:45', '2009-06-15T01:45:00.000Z'],
    ['2009-06-15T13:45:30 +0530', '2009-06-15T08:15:30.000Z'],
    ['8/25/2021 5:41:18 PM', '2021-08-25T17:41:18.000Z'],
    ['8/25/2021 12:00:00 AM', '2021-08-25T00:00:00.000Z'],
    ['8/25/2021 12:30 PM', '2021-08-25T12:30:00.000Z'],
    ['08/25/2021', '2021-08-25T00:00:00.000Z'],
    ['8-25-2021', '2021-08-25T00:00:00.000Z'],
    ['2021/8/25', '2021-08-25T00:00:00.000Z'],
    ['8/25/21', '2021-08-25T00:00:00.000Z'],
    ['8/25/50', '1950-08-25T00:00:00.000Z'],
    ['June 15, 2009', '2009-06-15T00:00:00.000Z'],
    ['Jun 15 2009 1:45 PM', '2009-06-15T13:45:00.000Z'],
    ['15 June 2009', '2009-06-15T00:00:00.000Z'],
    ['Monday, June 15, 2009 1:45:30 PM', '2009-06-15T13:45:30.000Z'],
    ['Mon, 15 Jun 2009 20:45:30 GMT', '2009-06-15T20:45:30.000Z'],
    ['  2021-08-25  ', '2021-08-25T00:00:00.000Z'],
    ['0001-01-01', '0001-01-01T00:00:00.000Z'],
  ])('%s', (text, iso) => {
    const ms = parseDateText(text);
    expect(ms === null ? null : new Date(ms).toISOString()).toBe(iso);
  });

  it.each([
    '',
    'tomorrow',
    '2021-13-01',
    '2021-02-29',
    '2021-08-25 25:00',
    '2021-08-25 5',
    '13 PM',
    '8/25/2021 13:00 PM',
    '0001-01-01+01:00',
    '2021-08-25+15:00',
    'Smarch 1, 2021',
    '1/2/345',
  ])('rejects %j', (text) => {
    expect(parseDateText(text)).toBeNull();
  });
});

describe('formatDateTimeEnUs', () => {
  it.each([
    ['2021-08-25T17:41:18Z', '8/25/2021 5:41:18 PM'],
    ['2021-01-01T00:00:00Z', '1/1/2021 12:00:00 AM'],
    ['2021-01-01T12:00:00Z', '1/1/2021 12:00:00 PM'],
    ['0099-01-01T00:00:00Z', '1/1/0099 12:00:00 AM'],
  ])('%s', (iso, expected) => {
    expect(formatDateTimeEnUs(utc(iso))).toBe(expected);
  });
});

describe('.NET custom formats', () => {
  const ms = utc('2009-06-05T13:04:05.067Z');
  it.each([
    ['d dd ddd dddd', '5 05 Fri Friday'],
    ['M MM MMM MMMM', '6 06 Jun June'],
    ['y yy yyy yyyy yyyyy', '9 09 2009 2009 02009'],
    ['h hh H HH', '1 01 13 13'],
    ['m mm s ss', '4 04 5 05'],
    ['f ff fff ffff fffffff', '0 06 067 0670 0670000'],
    ['F FF FFF FFFF', ' 06 067 067'],
    ['t tt', 'P PM'],
    ['z zz zzz K', '+0 +00 +00:00 Z'],
    ['\'yyyy\' "MM" \\d %d', 'yyyy MM d 5'],
    ['yyyy-MM-ddTHH:mm:ssZ', '2009-06-05T13:04:05Z'],
    ['g', 'Friday, June 5, 2009 1:04 PM'],
  ])('%s', (format, expected) => {
    expect(formatWithTokens(ms, tokens(format === 'g' ? 'f' : format))).toBe(expected);
  });

  it.each([
    ['d', '6/5/2009'],
    ['D', 'Friday, June 5, 2009'],
    ['G', '6/5/2009 1:04:05 PM'],
    ['M', 'June 5'],
    ['s', '2009-06-05T13:04:05'],
    ['u', '2009-06-05 13:04:05Z'],
    ['R', 'Fri, 05 Jun 2009 13:04:05 GMT'],
    ['t', '1:04 PM'],
    ['T', '1:04:05 PM'],
    ['Y', 'June 2009'],
  ])('standard format %s', (format, expected) => {
    expect(formatWithTokens(ms, tokens(format))).toBe(expected);
  });

  it.each(['', 'q', 'ffffffff', "'open", '%', 'yyyy\\', 'KK'])('rejects the format %j', (format) => {
    expect(typeof tokenizeFormat(format)).toBe('string');
  });

  it.each([
    ['20150123105347.1Z', 'yyyyMMddHHmmss.fZ', '2015-01-23T10:53:47.100Z'],
    ['2020-12-31-08:00', 'yyyy-MM-ddzzz', '2020-12-31T08:00:00.000Z'],
    ['12/31/2020 11:00:00 PM', 'M/d/yyyy hh:mm:ss tt', '2020-12-31T23:00:00.000Z'],
    ['31 Dec 2020', 'dd MMM yyyy', '2020-12-31T00:00:00.000Z'],
    ['Thursday, December 31, 2020', 'dddd, MMMM dd, yyyy', '2020-12-31T00:00:00.000Z'],
    ['20-12-31', 'yy-MM-dd', '2020-12-31T00:00:00.000Z'],
    ['2020-12-31T10:00:00.12', 'yyyy-MM-ddTHH:mm:ss.FFF', '2020-12-31T10:00:00.120Z'],
    ['2020-12-31T10:00:00', 'yyyy-MM-ddTHH:mm:ss.FFFK', null],
    ['2020-12-31T10:00:00.Z', 'yyyy-MM-ddTHH:mm:ss.FFFK', '2020-12-31T10:00:00.000Z'],
    ['2020-12-31 10:00', "yyyy-MM-dd HH':'mm", '2020-12-31T10:00:00.000Z'],
    ['10:30', 'HH:mm', '2021-08-25T10:30:00.000Z'],
    ['12', 'MM', '2021-12-01T00:00:00.000Z'],
    ['2020-12-31', 'yyyy-MM-dd HH', null],
    ['2020-1-31', 'yyyy-MM-dd', null],
    ['2020-02-30', 'yyyy-MM-dd', null],
    ['2020-12-31 13 PM', 'yyyy-MM-dd hh tt', null],
  ])('parseExact(%j, %j)', (text, format, iso) => {
    const ms = parseExact(text, tokens(format), DEFAULT_STYLES, NOW);
    expect(ms === null ? null : new Date(ms).toISOString()).toBe(iso);
  });

  it('white-space styles', () => {
    const none = parseStyles('None');
    const all = parseStyles('DateTimeStyles.AllowWhiteSpaces');
    if (typeof none === 'string' || typeof all === 'string') throw new Error('styles');
    expect(parseExact(' 2020', tokens('yyyy'), none, NOW)).toBeNull();
    expect(parseExact(' 2020 ', tokens('yyyy'), DEFAULT_STYLES, NOW)).not.toBeNull();
    expect(parseExact('2020 -  01', tokens('yyyy - MM'), all, NOW)).not.toBeNull();
    expect(parseExact('2020 -  01', tokens('yyyy - MM'), DEFAULT_STYLES, NOW)).toBeNull();
    expect(typeof parseStyles('RoundtripKind, AllowLeadingWhite | AllowTrailingWhite')).toBe('object');
    expect(typeof parseStyles('Often')).toBe('string');
  });
});

describe('VB DateAdd / DateDiff', () => {
  it('adds months with end-of-month clamping', () => {
    expect(new Date(dateAdd('m', 1, utc('2021-03-31T10:00:00Z'))).toISOString()).toBe(
      '2021-04-30T10:00:00.000Z',
    );
    expect(new Date(dateAdd('m', -13, utc('2021-03-31T10:00:00Z'))).toISOString()).toBe(
      '2020-02-29T10:00:00.000Z',
    );
  });

  it('refuses to leave years 1-9999', () => {
    expect(dateAdd('d', 1, utc('9999-12-31T00:00:00Z'))).toBeNaN();
    expect(dateAdd('yyyy', -1e9, NOW)).toBeNaN();
  });

  it.each([
    ['yyyy', '2020-12-31T23:59:59Z', '2021-01-01T00:00:00Z', 1],
    ['m', '2021-01-31T00:00:00Z', '2021-02-01T00:00:00Z', 1],
    ['d', '2021-01-01T23:00:00Z', '2021-01-02T22:59:59Z', 0],
    ['d', '2021-01-02T00:00:00Z', '2021-01-01T00:00:01Z', 0],
    ['h', '2021-01-01T00:00:00Z', '2021-01-01T01:59:59Z', 1],
    ['ww', '2021-08-28T00:00:00Z', '2021-08-29T00:00:00Z', 1],
    ['ww', '2021-08-29T00:00:00Z', '2021-09-04T00:00:00Z', 0],
    ['w', '2021-08-01T00:00:00Z', '2021-08-15T00:00:00Z', 2],
    ['q', '2021-12-31T00:00:00Z', '2022-01-01T00:00:00Z', 1],
  ] as const)('DateDiff(%s, %s, %s) = %d', (interval, a, b, expected) => {
    expect(dateDiff(interval, utc(a), utc(b))).toBe(expected);
  });
});

describe('FILETIME', () => {
  it('DateFromNum(129699324000000000) is 2012-01-01T23:00:00Z', () => {
    expect(new Date(fileTimeToMs(129699324000000000n)!).toISOString()).toBe('2012-01-01T23:00:00.000Z');
  });
  it('round trips and stays exact beyond 2^53', () => {
    expect(msToFileTime(utc('2012-01-01T23:00:00Z'))).toBe(129699324000000000n);
    expect(msToFileTime(utc('9999-12-31T23:59:59.999Z'))).toBe(2650467743999990000n);
  });
  it('rejects negative and too large values', () => {
    expect(fileTimeToMs(-1n)).toBeNull();
    expect(fileTimeToMs(9223372036854775807n)).toBeNull();
  });
  it('civil conversion agrees with Date for a range of days', () => {
    for (
      let ms = utc('1900-01-01T00:00:00Z');
      ms < utc('2100-01-01T00:00:00Z');
      ms += 86_400_000 * 13 + 3_600_000 * 7 + 61_001
    ) {
      const d = new Date(ms);
      const c = toCivil(ms);
      expect([c.year, c.month, c.day, c.hour, c.minute, c.second, c.millisecond, c.dayOfWeek]).toEqual([
        d.getUTCFullYear(),
        d.getUTCMonth() + 1,
        d.getUTCDate(),
        d.getUTCHours(),
        d.getUTCMinutes(),
        d.getUTCSeconds(),
        d.getUTCMilliseconds(),
        d.getUTCDay(),
      ]);
    }
  });
});
