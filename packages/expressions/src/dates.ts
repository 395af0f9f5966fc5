/**
 * Date handling with .NET and VB semantics, on UTC instants held as epoch milliseconds.
 * Civil arithmetic is done by hand (days-from-civil) rather than through `Date`, so that
 * years 1–9999 behave like .NET's DateTime and nothing depends on the host's time zone.
 */

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Days since 1970-01-01 of a proleptic Gregorian date. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

interface Civil {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** 0 = Sunday. */
  dayOfWeek: number;
}

export function toCivil(ms: number): Civil {
  const days = Math.floor(ms / MS_PER_DAY);
  let rest = ms - days * MS_PER_DAY;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(rest / MS_PER_HOUR);
  rest -= hour * MS_PER_HOUR;
  const minute = Math.floor(rest / MS_PER_MINUTE);
  rest -= minute * MS_PER_MINUTE;
  const second = Math.floor(rest / MS_PER_SECOND);
  const millisecond = rest - second * MS_PER_SECOND;
  const dayOfWeek = (((days + 4) % 7) + 7) % 7;
  return { year, month, day, hour, minute, second, millisecond, dayOfWeek };
}

export const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
export const daysInMonth = (y: number, m: number): number =>
  m === 2 ? (isLeapYear(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;

/** .NET DateTime's range: 0001-01-01T00:00:00 to 9999-12-31T23:59:59.999. */
export const MIN_MS = daysFromCivil(1, 1, 1) * MS_PER_DAY;
export const MAX_MS = daysFromCivil(9999, 12, 31) * MS_PER_DAY + MS_PER_DAY - 1;
export const inRange = (ms: number): boolean => Number.isFinite(ms) && ms >= MIN_MS && ms <= MAX_MS;

function fromParts(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millisecond: number,
  offsetMinutes: number,
): number | null {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const ms =
    daysFromCivil(year, month, day) * MS_PER_DAY +
    hour * MS_PER_HOUR +
    minute * MS_PER_MINUTE +
    second * MS_PER_SECOND +
    millisecond -
    offsetMinutes * MS_PER_MINUTE;
  return inRange(ms) ? ms : null;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `M/d/yyyy h:mm:ss tt`, the string form of every DateTime in Entra's documentation. */
export function formatDateTimeEnUs(ms: number): string {
  const c = toCivil(ms);
  const h12 = c.hour % 12 === 0 ? 12 : c.hour % 12;
  const year = c.year < 1000 ? String(c.year).padStart(4, '0') : String(c.year);
  return `${c.month}/${c.day}/${year} ${h12}:${pad2(c.minute)}:${pad2(c.second)} ${c.hour < 12 ? 'AM' : 'PM'}`;
}

// ---------------------------------------------------------------------------------------
// Free-form parsing (CDate): the shapes .NET's DateTime.Parse accepts in the invariant
// culture that real attribute values use. Values without an offset are taken as UTC.

const TIME_PART = String.raw`(?:(?:T|\s+)(\d{1,2})(?::(\d{2}))?(?::(\d{2})(?:[.,](\d{1,7}))?)?\s*([AP]\.?M?\.?)?)?`;
const OFFSET_PART = String.raw`\s*(Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?`;
const ISO_DATE = new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})${TIME_PART}${OFFSET_PART}$`, 'i');
const NUMERIC_DATE = new RegExp(
  String.raw`^(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})${TIME_PART}${OFFSET_PART}$`,
  'i',
);
const WEEKDAY_PREFIX = String.raw`(?:(?:sun|mon|tue|wed|thu|fri|sat)[a-z]*\.?,?\s+)?`;
const NAMED_MONTH_FIRST = new RegExp(
  String.raw`^${WEEKDAY_PREFIX}([a-z]{3,9})\.?[\s-]+(\d{1,2})(?:st|nd|rd|th)?,?[\s-]+(\d{4})${TIME_PART}${OFFSET_PART}$`,
  'i',
);
const NAMED_DAY_FIRST = new RegExp(
  String.raw`^${WEEKDAY_PREFIX}(\d{1,2})[\s-]+([a-z]{3,9})\.?,?[\s-]+(\d{4})${TIME_PART}${OFFSET_PART}$`,
  'i',
);

function monthFromName(name: string): number {
  const lower = name.toLowerCase();
  if (lower === 'sept') return 9;
  for (let i = 0; i < 12; i++) {
    const full = MONTHS[i]!.toLowerCase();
    if (lower === full || lower === full.slice(0, 3)) return i + 1;
  }
  return 0;
}

function parseOffset(text: string | undefined): number | null {
  if (text === undefined) return 0;
  const upper = text.toUpperCase();
  if (upper === 'Z' || upper === 'UTC' || upper === 'GMT') return 0;
  const m = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(text);
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = m[3] === undefined ? 0 : Number(m[3]);
  if (hours > 14 || minutes > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** Two-digit years pivot like .NET's Gregorian calendar (TwoDigitYearMax 2049). */
const fullYear = (digits: string): number => {
  const y = Number(digits);
  if (digits.length > 2) return y;
  return y <= 49 ? 2000 + y : 1900 + y;
};

function withTime(
  year: number,
  month: number,
  day: number,
  m: RegExpExecArray,
  timeIndex: number,
): number | null {
  const hourText = m[timeIndex];
  const minuteText = m[timeIndex + 1];
  const secondText = m[timeIndex + 2];
  const fraction = m[timeIndex + 3];
  const designator = m[timeIndex + 4];
  const offset = parseOffset(m[timeIndex + 5]);
  if (offset === null) return null;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let millisecond = 0;
  if (hourText !== undefined) {
    // "5 PM" is a time; a lone "5" after a date is not.
    if (minuteText === undefined && designator === undefined) return null;
    hour = Number(hourText);
    minute = minuteText === undefined ? 0 : Number(minuteText);
    second = secondText === undefined ? 0 : Number(secondText);
    millisecond = fraction === undefined ? 0 : Number(fraction.padEnd(3, '0').slice(0, 3));
    if (designator !== undefined) {
      if (hour > 12) return null;
      const pm = designator[0] === 'P' || designator[0] === 'p';
      hour = (hour % 12) + (pm ? 12 : 0);
    }
  }
  return fromParts(year, month, day, hour, minute, second, millisecond, offset);
}

/** Parses a date/time string; null when it is not one. No offset means UTC. */
export function parseDateText(input: string): number | null {
  const text = input.trim();
  if (text.length === 0 || text.length > 100) return null;
  let m = ISO_DATE.exec(text);
  if (m) return withTime(Number(m[1]), Number(m[2]), Number(m[3]), m, 4);
  m = NUMERIC_DATE.exec(text);
  if (m) {
    const first = m[1]!;
    if (first.length === 4) return withTime(Number(first), Number(m[3]), Number(m[4]), m, 5);
    if (m[4]!.length === 3) return null;
    // The invariant culture reads numeric dates month first (M/d/yyyy).
    return withTime(fullYear(m[4]!), Number(first), Number(m[3]), m, 5);
  }
  m = NAMED_MONTH_FIRST.exec(text);
  if (m) {
    const month = monthFromName(m[1]!);
    return month === 0 ? null : withTime(Number(m[3]), month, Number(m[2]), m, 4);
  }
  m = NAMED_DAY_FIRST.exec(text);
  if (m) {
    const month = monthFromName(m[2]!);
    return month === 0 ? null : withTime(Number(m[3]), month, Number(m[1]), m, 4);
  }
  return null;
}

// ---------------------------------------------------------------------------------------
// .NET custom date and time format strings, for FormatDateTime.

export type FormatToken =
  | { readonly kind: 'literal'; readonly text: string }
  /** A specifier letter repeated `count` times (`yyyy` → y × 4). Unquoted `Z` is one too. */
  | { readonly kind: 'field'; readonly letter: string; readonly count: number };

/** Standard (single-letter) formats, with en-US patterns to match Entra's M/d/yyyy output. */
const STANDARD_FORMATS: Record<string, string> = {
  d: 'M/d/yyyy',
  D: 'dddd, MMMM d, yyyy',
  f: 'dddd, MMMM d, yyyy h:mm tt',
  F: 'dddd, MMMM d, yyyy h:mm:ss tt',
  g: 'M/d/yyyy h:mm tt',
  G: 'M/d/yyyy h:mm:ss tt',
  m: 'MMMM d',
  M: 'MMMM d',
  o: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  O: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  r: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  R: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  s: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
  t: 'h:mm tt',
  T: 'h:mm:ss tt',
  u: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
  U: 'dddd, MMMM d, yyyy h:mm:ss tt',
  y: 'MMMM yyyy',
  Y: 'MMMM yyyy',
};

const FIELD_LETTERS = 'dfFghHKmMstyz';

/** Splits a .NET format string into fields and literals; a string is an error message. */
export function tokenizeFormat(format: string): FormatToken[] | string {
  if (format.length === 0) return 'the format is empty';
  if (format.length === 1) {
    const standard = STANDARD_FORMATS[format];
    if (standard === undefined) {
      return `"${format}" is not a standard format; prefix a single custom specifier with %, e.g. "%${format}"`;
    }
    return tokenizeFormat(standard);
  }
  const tokens: FormatToken[] = [];
  const literal = (text: string): void => {
    const last = tokens[tokens.length - 1];
    if (last !== undefined && last.kind === 'literal')
      tokens[tokens.length - 1] = { kind: 'literal', text: last.text + text };
    else tokens.push({ kind: 'literal', text });
  };
  let i = 0;
  while (i < format.length) {
    const ch = format[i]!;
    if (ch === 'Z') {
      tokens.push({ kind: 'field', letter: 'Z', count: 1 });
      i++;
    } else if (FIELD_LETTERS.includes(ch)) {
      let count = 1;
      while (format[i + count] === ch) count++;
      if ((ch === 'f' || ch === 'F') && count > 7) return `"${ch.repeat(count)}": at most 7 fraction digits`;
      if (ch === 'K' && count > 1) return '"K" cannot be repeated';
      tokens.push({ kind: 'field', letter: ch, count });
      i += count;
    } else if (ch === "'" || ch === '"') {
      let j = i + 1;
      let text = '';
      while (j < format.length && format[j] !== ch) {
        if (format[j] === '\\' && j + 1 < format.length) j++;
        text += format[j];
        j++;
      }
      if (j >= format.length) return `unterminated quoted text starting at position ${i + 1}`;
      if (text.length > 0) literal(text);
      i = j + 1;
    } else if (ch === '%') {
      const next = format[i + 1];
      if (next === undefined || next === '%') return '"%" must be followed by a format specifier';
      if (FIELD_LETTERS.includes(next)) tokens.push({ kind: 'field', letter: next, count: 1 });
      else literal(next);
      i += 2;
    } else if (ch === '\\') {
      const next = format[i + 1];
      if (next === undefined) return 'the format ends with a lone "\\"';
      literal(next);
      i += 2;
    } else {
      literal(ch);
      i++;
    }
  }
  return tokens;
}

/** Writes a UTC instant with format tokens. Offsets are those of UTC (+00:00, K = Z). */
export function formatWithTokens(ms: number, tokens: readonly FormatToken[]): string {
  const c = toCivil(ms);
  let out = '';
  for (const token of tokens) {
    if (token.kind === 'literal') {
      out += token.text;
      continue;
    }
    const n = token.count;
    switch (token.letter) {
      case 'd':
        out +=
          n === 1
            ? String(c.day)
            : n === 2
              ? pad2(c.day)
              : n === 3
                ? DAYS[c.dayOfWeek]!.slice(0, 3)
                : DAYS[c.dayOfWeek]!;
        break;
      case 'M':
        out +=
          n === 1
            ? String(c.month)
            : n === 2
              ? pad2(c.month)
              : n === 3
                ? MONTHS[c.month - 1]!.slice(0, 3)
                : MONTHS[c.month - 1]!;
        break;
      case 'y':
        out +=
          n === 1 ? String(c.year % 100) : n === 2 ? pad2(c.year % 100) : String(c.year).padStart(n, '0');
        break;
      case 'h': {
        const h12 = c.hour % 12 === 0 ? 12 : c.hour % 12;
        out += n === 1 ? String(h12) : pad2(h12);
        break;
      }
      case 'H':
        out += n === 1 ? String(c.hour) : pad2(c.hour);
        break;
      case 'm':
        out += n === 1 ? String(c.minute) : pad2(c.minute);
        break;
      case 's':
        out += n === 1 ? String(c.second) : pad2(c.second);
        break;
      case 'f':
        out += String(c.millisecond).padStart(3, '0').padEnd(7, '0').slice(0, n);
        break;
      case 'F': {
        const digits = String(c.millisecond).padStart(3, '0').padEnd(7, '0').slice(0, n).replace(/0+$/, '');
        // .NET drops the separator before an all-zero F fraction ("ss.FFF" → "05").
        if (digits.length === 0 && out.endsWith('.')) out = out.slice(0, -1);
        out += digits;
        break;
      }
      case 't':
        out += n === 1 ? (c.hour < 12 ? 'A' : 'P') : c.hour < 12 ? 'AM' : 'PM';
        break;
      case 'z':
        out += n === 1 ? '+0' : n === 2 ? '+00' : '+00:00';
        break;
      case 'K':
      case 'Z':
        out += 'Z';
        break;
      case 'g':
        out += 'A.D.';
        break;
    }
  }
  return out;
}

export interface DateTimeStyles {
  allowLeadingWhite: boolean;
  allowTrailingWhite: boolean;
  allowInnerWhite: boolean;
  noCurrentDateDefault: boolean;
}

/** FormatDateTime's default: RoundtripKind, AllowLeadingWhite, AllowTrailingWhite. */
export const DEFAULT_STYLES: DateTimeStyles = {
  allowLeadingWhite: true,
  allowTrailingWhite: true,
  allowInnerWhite: false,
  noCurrentDateDefault: false,
};

const STYLE_NAMES = [
  'None',
  'AllowLeadingWhite',
  'AllowTrailingWhite',
  'AllowInnerWhite',
  'AllowWhiteSpaces',
  'NoCurrentDateDefault',
  'AdjustToUniversal',
  'AssumeLocal',
  'AssumeUniversal',
  'RoundtripKind',
];

/**
 * Parses "RoundtripKind, AllowLeadingWhite" (names may carry a `DateTimeStyles.` prefix, and
 * `|` also separates). The kind-related styles change nothing: every value here is UTC.
 */
export function parseStyles(text: string): DateTimeStyles | string {
  const styles: DateTimeStyles = {
    allowLeadingWhite: false,
    allowTrailingWhite: false,
    allowInnerWhite: false,
    noCurrentDateDefault: false,
  };
  for (const part of text.split(/[,|]/)) {
    const name = part.trim().replace(/^(System\.Globalization\.)?DateTimeStyles\./, '');
    if (name === '') continue;
    const known = STYLE_NAMES.find((s) => s.toLowerCase() === name.toLowerCase());
    if (known === undefined)
      return `unknown DateTimeStyles value "${name}"; expected one of ${STYLE_NAMES.join(', ')}`;
    if (known === 'AllowLeadingWhite' || known === 'AllowWhiteSpaces') styles.allowLeadingWhite = true;
    if (known === 'AllowTrailingWhite' || known === 'AllowWhiteSpaces') styles.allowTrailingWhite = true;
    if (known === 'AllowInnerWhite' || known === 'AllowWhiteSpaces') styles.allowInnerWhite = true;
    if (known === 'NoCurrentDateDefault') styles.noCurrentDateDefault = true;
  }
  return styles;
}

const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/.test(ch);

/**
 * .NET's DateTime.ParseExact for one format. `nowMs` supplies the date when the format
 * has only a time (as .NET does). Returns null when the text does not match.
 */
export function parseExact(
  input: string,
  tokens: readonly FormatToken[],
  styles: DateTimeStyles,
  nowMs: number,
): number | null {
  let pos = 0;
  const text = input;
  if (styles.allowLeadingWhite) while (isSpace(text[pos])) pos++;

  let year: number | undefined;
  let month: number | undefined;
  let day: number | undefined;
  let dayOfWeek: number | undefined;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let millisecond = 0;
  let designator: 'AM' | 'PM' | undefined;
  let offset: number | undefined;

  const digits = (min: number, max: number): number | undefined => {
    let end = pos;
    while (end < text.length && end - pos < max && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57)
      end++;
    if (end - pos < min) return undefined;
    const value = Number(text.slice(pos, end));
    pos = end;
    return value;
  };
  const word = (names: readonly string[], abbreviated: boolean): number | undefined => {
    for (let i = 0; i < names.length; i++) {
      const name = abbreviated ? names[i]!.slice(0, 3) : names[i]!;
      if (text.slice(pos, pos + name.length).toLowerCase() === name.toLowerCase()) {
        pos += name.length;
        return i;
      }
    }
    return undefined;
  };
  const zone = (optional: boolean): boolean => {
    if (text[pos] === 'Z' || text[pos] === 'z') {
      pos++;
      offset = 0;
      return true;
    }
    const sign = text[pos];
    if (sign !== '+' && sign !== '-') return optional;
    pos++;
    const h = digits(1, 2);
    if (h === undefined) return false;
    let m = 0;
    if (text[pos] === ':') pos++;
    const minutes = digits(2, 2);
    if (minutes !== undefined) m = minutes;
    if (h > 14 || m > 59) return false;
    offset = (sign === '-' ? -1 : 1) * (h * 60 + m);
    return true;
  };

  for (const token of tokens) {
    if (token.kind === 'literal') {
      for (const ch of token.text) {
        if (isSpace(ch) && styles.allowInnerWhite) {
          while (isSpace(text[pos])) pos++;
        } else if (text[pos] === ch) {
          pos++;
        } else {
          return null;
        }
      }
      continue;
    }
    const n = token.count;
    let value: number | undefined;
    switch (token.letter) {
      case 'd':
        if (n <= 2) {
          value = digits(n, 2);
          day = value;
        } else {
          value = word(DAYS, n === 3);
          dayOfWeek = value;
        }
        break;
      case 'M':
        value = n <= 2 ? digits(n, 2) : word(MONTHS, n === 3);
        if (value !== undefined && n > 2) value += 1;
        month = value;
        break;
      case 'y': {
        const start = pos;
        value = n <= 2 ? digits(n, 2) : digits(n, n);
        if (value !== undefined) year = n <= 2 ? fullYear(text.slice(start, pos)) : value;
        break;
      }
      case 'h':
      case 'H':
        value = digits(n === 1 ? 1 : 2, 2);
        if (value !== undefined) hour = value;
        if (token.letter === 'h' && value !== undefined && value > 12) return null;
        break;
      case 'm':
        value = digits(n === 1 ? 1 : 2, 2);
        if (value !== undefined) minute = value;
        break;
      case 's':
        value = digits(n === 1 ? 1 : 2, 2);
        if (value !== undefined) second = value;
        break;
      case 'f':
      case 'F': {
        const start = pos;
        value = digits(token.letter === 'f' ? n : 0, n);
        if (value !== undefined) {
          const fraction = text.slice(start, pos);
          millisecond = fraction.length === 0 ? 0 : Number(fraction.padEnd(3, '0').slice(0, 3));
        }
        break;
      }
      case 't': {
        const upper = text.slice(pos, pos + n).toUpperCase();
        if (n === 1 ? upper === 'A' || upper === 'P' : upper === 'AM' || upper === 'PM') {
          designator = upper[0] === 'A' ? 'AM' : 'PM';
          pos += n === 1 ? 1 : 2;
          value = 0;
        }
        break;
      }
      case 'z':
        value = zone(false) ? 0 : undefined;
        break;
      case 'K':
        value = zone(true) ? 0 : undefined;
        break;
      case 'Z':
        // An unquoted Z is a literal that also means UTC (as in "yyyyMMddHHmmss.fZ").
        if (text[pos] === 'Z' || text[pos] === 'z') {
          pos++;
          offset = 0;
          value = 0;
        }
        break;
      case 'g':
        for (const era of ['A.D.', 'AD']) {
          if (text.slice(pos, pos + era.length).toUpperCase() === era) {
            pos += era.length;
            break;
          }
        }
        value = 0;
        break;
    }
    if (value === undefined) return null;
  }
  if (styles.allowTrailingWhite) while (isSpace(text[pos])) pos++;
  if (pos !== text.length) return null;

  if (designator !== undefined) {
    if (hour > 12) return null;
    hour = (hour % 12) + (designator === 'PM' ? 12 : 0);
  }
  if (year === undefined && month === undefined && day === undefined) {
    if (styles.noCurrentDateDefault) {
      year = 1;
      month = 1;
      day = 1;
    } else {
      const today = toCivil(nowMs);
      year = today.year;
      month = today.month;
      day = today.day;
    }
  }
  const ms = fromParts(
    year ?? toCivil(nowMs).year,
    month ?? 1,
    day ?? 1,
    hour,
    minute,
    second,
    millisecond,
    offset ?? 0,
  );
  if (ms === null) return null;
  if (dayOfWeek !== undefined && toCivil(ms + (offset ?? 0) * MS_PER_MINUTE).dayOfWeek !== dayOfWeek)
    return null;
  return ms;
}

// ---------------------------------------------------------------------------------------
// VB's DateAdd and DateDiff.

export type DateInterval = 'yyyy' | 'q' | 'm' | 'y' | 'd' | 'w' | 'ww' | 'h' | 'n' | 's';
const INTERVALS: readonly DateInterval[] = ['yyyy', 'q', 'm', 'y', 'd', 'w', 'ww', 'h', 'n', 's'];

/** VB accepts interval codes in any case. */
export function parseInterval(text: string): DateInterval | undefined {
  const lower = text.trim().toLowerCase();
  return INTERVALS.find((i) => i === lower);
}
export const INTERVAL_HINT =
  'use one of "yyyy" (year), "q", "m" (month), "y", "d" (day), "w", "ww" (week), "h", "n" (minute), "s"';

function addMonths(ms: number, months: number): number {
  const c = toCivil(ms);
  const total = c.year * 12 + (c.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  // Like .NET's AddMonths: the day is clamped to the end of the target month.
  const day = Math.min(c.day, daysInMonth(year, month));
  const timeOfDay = ms - Math.floor(ms / MS_PER_DAY) * MS_PER_DAY;
  return daysFromCivil(year, month, day) * MS_PER_DAY + timeOfDay;
}

/** VB DateAdd; the number is truncated (Fix). Returns NaN when the result leaves DateTime's range. */
export function dateAdd(interval: DateInterval, number: number, ms: number): number {
  const n = Math.trunc(number);
  let result: number;
  switch (interval) {
    case 'yyyy':
      result = Math.abs(n) > 10_000 ? NaN : addMonths(ms, n * 12);
      break;
    case 'q':
      result = Math.abs(n) > 40_000 ? NaN : addMonths(ms, n * 3);
      break;
    case 'm':
      result = Math.abs(n) > 120_000 ? NaN : addMonths(ms, n);
      break;
    case 'y':
    case 'd':
    case 'w':
      result = ms + n * MS_PER_DAY;
      break;
    case 'ww':
      result = ms + n * 7 * MS_PER_DAY;
      break;
    case 'h':
      result = ms + n * MS_PER_HOUR;
      break;
    case 'n':
      result = ms + n * MS_PER_MINUTE;
      break;
    case 's':
      result = ms + n * MS_PER_SECOND;
      break;
  }
  return inRange(result) ? result : NaN;
}

/**
 * VB DateDiff: elapsed time truncated for d/h/n/s (and w, in whole weeks), calendar
 * boundaries crossed for yyyy/q/m, and Sunday-started week boundaries for ww.
 */
export function dateDiff(interval: DateInterval, ms1: number, ms2: number): number {
  // "+ 0" turns the -0 of truncating a small negative span into 0.
  return diff(interval, ms1, ms2) + 0;
}

function diff(interval: DateInterval, ms1: number, ms2: number): number {
  const elapsed = ms2 - ms1;
  switch (interval) {
    case 'yyyy':
      return toCivil(ms2).year - toCivil(ms1).year;
    case 'q': {
      const a = toCivil(ms1);
      const b = toCivil(ms2);
      return (b.year - a.year) * 4 + (Math.floor((b.month - 1) / 3) - Math.floor((a.month - 1) / 3));
    }
    case 'm': {
      const a = toCivil(ms1);
      const b = toCivil(ms2);
      return (b.year - a.year) * 12 + (b.month - a.month);
    }
    case 'y':
    case 'd':
      return Math.trunc(elapsed / MS_PER_DAY);
    case 'w':
      return Math.trunc(Math.trunc(elapsed / MS_PER_DAY) / 7);
    case 'ww': {
      const start1 = ms1 - toCivil(ms1).dayOfWeek * MS_PER_DAY;
      const start2 = ms2 - toCivil(ms2).dayOfWeek * MS_PER_DAY;
      return Math.trunc(Math.trunc((start2 - start1) / MS_PER_DAY) / 7);
    }
    case 'h':
      return Math.trunc(elapsed / MS_PER_HOUR);
    case 'n':
      return Math.trunc(elapsed / MS_PER_MINUTE);
    case 's':
      return Math.trunc(elapsed / MS_PER_SECOND);
  }
}

// ---------------------------------------------------------------------------------------
// Active Directory integer dates: 100-ns ticks since 1601-01-01 UTC (FILETIME).

const TICKS_PER_MS = 10_000n;
const FILETIME_EPOCH_MS = BigInt(daysFromCivil(1601, 1, 1) * MS_PER_DAY);

export function msToFileTime(ms: number): bigint {
  return (BigInt(Math.trunc(ms)) - FILETIME_EPOCH_MS) * TICKS_PER_MS;
}

/** null when the number is negative or beyond 9999-12-31 (e.g. accountExpires "never"). */
export function fileTimeToMs(ticks: bigint): number | null {
  if (ticks < 0n) return null;
  const ms = Number(ticks / TICKS_PER_MS + FILETIME_EPOCH_MS);
  return inRange(ms) ? ms : null;
}
