/** String helpers with the .NET behaviour the functions are documented with. */

/** Most names are plain ASCII; this check gives every helper a fast path for them. */
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

/**
 * Letters the table maps that Unicode does not decompose. Everything else in the table is a
 * Latin letter plus combining marks (ā́ = a + macron + acute), handled generically below.
 */
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  æ: 'ae',
  Æ: 'AE',
  ø: 'oe',
  Ø: 'OE',
  œ: 'oe',
  Œ: 'OE',
  ß: 'ss',
  ẞ: 'SS',
  ı: 'i',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
};

const isCombiningMark = (c: number): boolean =>
  (c >= 0x300 && c <= 0x36f) ||
  (c >= 0x1ab0 && c <= 0x1aff) ||
  (c >= 0x1dc0 && c <= 0x1dff) ||
  (c >= 0x20d0 && c <= 0x20ff) ||
  (c >= 0xfe20 && c <= 0xfe2f);

/** What one character becomes: its replacement, or itself. Filled as characters are met. */
const diacriticMap = new Map<number, string>();

function mapCharacter(ch: string): string {
  const decomposed = ch.normalize('NFD');
  const first = decomposed[0]!;
  const c = first.charCodeAt(0);
  const base = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? first : SPECIAL_LETTERS[first];
  if (base === undefined) return ch;
  for (let i = 1; i < decomposed.length; i++) if (!isCombiningMark(decomposed.charCodeAt(i))) return ch;
  return base;
}

/**
 * NormalizeDiacritics: a Latin letter with diacritics (precomposed, or followed by combining
 * marks) becomes the bare letter; æ/ø/œ/ß and friends are spelt out. Other scripts are left
 * as they are (й stays й), which is why this is not a blanket "strip all marks". Works a
 * character at a time with a cache, so no whole-string normalisation runs per call.
 */
export function normalizeDiacritics(source: string): string {
  if (isAscii(source)) return source;
  let out = '';
  // Marks that follow a Latin letter belong to it and are dropped with the letter's accents.
  let afterLatin = false;
  for (const ch of source) {
    const code = ch.codePointAt(0)!;
    if (code < 128) {
      out += ch;
      afterLatin = (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
      continue;
    }
    if (isCombiningMark(code)) {
      if (!afterLatin) out += ch;
      continue;
    }
    let mapped = diacriticMap.get(code);
    if (mapped === undefined) {
      mapped = mapCharacter(ch);
      diacriticMap.set(code, mapped);
    }
    out += mapped;
    afterLatin = mapped !== ch;
  }
  return out;
}

/**
 * Invariant-culture lower case. .NET maps one character to one character, so this works
 * character by character: no final-sigma context rule, and İ becomes a plain i.
 */
export function toLowerInvariant(s: string): string {
  if (isAscii(s)) return s.toLowerCase();
  let out = '';
  for (const ch of s) {
    const lower = ch.toLowerCase();
    out += lower.length === ch.length ? lower : ch === '\u0130' ? 'i' : ch;
  }
  return out;
}

/** Invariant-culture upper case: characters without a single-character upper case (ß) stay. */
export function toUpperInvariant(s: string): string {
  if (isAscii(s)) return s.toUpperCase();
  let out = '';
  for (const ch of s) {
    const upper = ch.toUpperCase();
    out += upper.length === ch.length ? upper : ch;
  }
  return out;
}

const upperFirst = (ch: string): string => {
  const upper = ch.toUpperCase();
  return upper.length === ch.length ? upper : ch;
};

// Separators of .NET's TextInfo.ToTitleCase, as the reference lists them: spaces, controls,
// format characters, every punctuation class and every symbol class.
const DEFAULT_WORD_SEPARATOR = /[\p{Z}\p{Cc}\p{Cf}\p{P}\p{S}]/u;

/**
 * PCase. Unlike .NET's ToTitleCase, words in capitals are not kept as acronyms: the
 * documented example turns "PABLO GONSALVES (SECOND)" into "Pablo Gonsalves (Second)".
 */
export function properCase(source: string, wordSeparators?: string): string {
  let out = '';
  let wordStart = true;
  for (const ch of source) {
    const separator =
      wordSeparators === undefined ? DEFAULT_WORD_SEPARATOR.test(ch) : wordSeparators.includes(ch);
    if (separator) {
      out += ch;
      wordStart = true;
    } else if (wordStart) {
      out += upperFirst(ch);
      wordStart = false;
    } else {
      out += toLowerInvariant(ch);
    }
  }
  return out;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64(bytes: readonly number[]): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += BASE64[(n >> 18) & 63]! + BASE64[(n >> 12) & 63]! + BASE64[(n >> 6) & 63]! + BASE64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += BASE64[(n >> 18) & 63]! + BASE64[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += BASE64[(n >> 18) & 63]! + BASE64[(n >> 12) & 63]! + BASE64[(n >> 6) & 63]! + '=';
  }
  return out;
}

/** ConvertToBase64: .NET's Encoding.Unicode, i.e. UTF-16 little-endian code units. */
export function base64Utf16Le(s: string): string {
  const bytes: number[] = new Array<number>(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    bytes[2 * i] = c & 0xff;
    bytes[2 * i + 1] = c >> 8;
  }
  return base64(bytes);
}

/** UTF-8 bytes; a lone surrogate becomes U+FFFD, as .NET's encoder does. */
export function utf8Bytes(s: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        c = 0xfffd;
      }
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      c = 0xfffd;
    }
    if (c < 0x80) bytes.push(c);
    else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return bytes;
}

const HEX = '0123456789ABCDEF';

/** ConvertToUTF8Hex: uppercase, two digits per byte. */
export function utf8Hex(s: string): string {
  let out = '';
  for (const b of utf8Bytes(s)) out += HEX[b >> 4]! + HEX[b & 15]!;
  return out;
}
