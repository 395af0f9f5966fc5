/**
 * The functions: each one is compiled once into a closure over its compiled arguments.
 * Constant arguments (regexes, formats, intervals, cultures) are checked and prepared at
 * compile time, so a bad one is a positioned compile error and evaluation does no parsing.
 */
import {
  DEFAULT_STYLES,
  INTERVAL_HINT,
  dateAdd,
  dateDiff,
  fileTimeToMs,
  formatWithTokens,
  inRange,
  msToFileTime,
  parseDateText,
  parseExact,
  parseInterval,
  parseStyles,
  tokenizeFormat,
  type DateInterval,
  type DateTimeStyles,
  type FormatToken,
} from './dates.js';
import type { ExpressionSyntaxError } from './errors.js';
import {
  compileDotNetRegex,
  dynamicRegex,
  expandReplacement,
  extractGroup,
  parseReplacement,
  replaceGroup,
  replaceMatches,
  type DotNetRegex,
} from './regex.js';
import {
  base64Utf16Le,
  normalizeDiacritics,
  properCase,
  toLowerInvariant,
  toUpperInvariant,
  utf8Hex,
} from './text.js';
import type { ArgumentNode, EvaluationContext, FunctionCallNode } from './types.js';
import {
  DateTimeValue,
  FALSE,
  IGNORE_ATTRIBUTE,
  TRUE,
  asNumber,
  bool,
  fail,
  isNull,
  isNullOrEmpty,
  mapStrings,
  scalar,
  toInteger,
  toStr,
  type Value,
} from './values.js';

/** Per-evaluation state; one small object per call. */
export interface State {
  readonly ctx: EvaluationContext;
  redacted: boolean;
}

export type Evaluator = (s: State) => Value;
export type Condition = (s: State) => boolean;

/** What a function's compiler gets. */
export interface FunctionCompilation {
  readonly node: FunctionCallNode;
  /** Compiled arguments by position; null where the argument was left empty. */
  readonly args: readonly (Evaluator | null)[];
  /** The argument as a boolean condition (comparisons stay booleans, no "True" round trip). */
  condition(index: number): Condition;
  /** Records an attribute the expression reads (for Replace's attribute-name argument). */
  readAttribute(name: string): Evaluator;
  /** A compile error positioned at an argument (or at the call when the index is absent). */
  error(code: string, message: string, index?: number, hint?: string): ExpressionSyntaxError;
  /** Lets the async evaluator run SelectUniqueValue's rules itself. */
  setUniqueRules(rules: readonly Evaluator[]): void;
}

type FunctionCompiler = (c: FunctionCompilation) => Evaluator;

const present = (node: FunctionCallNode, index: number): boolean => {
  const arg = node.args[index];
  return arg !== undefined && arg.kind !== 'omitted';
};

/** The value of a constant string (or number) argument, for compile-time checks. */
function constantText(arg: ArgumentNode | undefined): string | undefined {
  if (arg === undefined) return undefined;
  if (arg.kind === 'string') return arg.value;
  // As the number evaluates (&HF → "15"), so that constant and computed keys agree.
  if (arg.kind === 'number') return toStr(arg.value);
  return undefined;
}

const constantNumber = (arg: ArgumentNode | undefined): number | undefined =>
  arg !== undefined && arg.kind === 'number'
    ? arg.value
    : arg?.kind === 'string'
      ? asNumber(arg.value)
      : undefined;

/** Required arguments are never null (the arity check ran first). */
const req = (c: FunctionCompilation, index: number): Evaluator => c.args[index]!;
const optional = (c: FunctionCompilation, index: number): Evaluator | null => c.args[index] ?? null;

/** The single-string form of an optional argument; null when omitted or null. */
const textOf = (ev: Evaluator | null, s: State): string | null => {
  if (ev === null) return null;
  const v = scalar(ev(s));
  return v === null ? null : toStr(v);
};

/** A value as a date: DateTimeValue, or a parsable string. Null and "" are absent. */
function toDateMs(v: Value, functionName: string): number | null {
  const one = scalar(v);
  if (one === null || one === '') return null;
  if (one instanceof DateTimeValue) return one.ms;
  if (typeof one === 'string') {
    const ms = parseDateText(one);
    if (ms !== null) return ms;
    return fail(
      'expression.invalid_date',
      `${functionName}: ${JSON.stringify(one)} is not a recognised date/time`,
    );
  }
  return fail('expression.invalid_date', `${functionName}: ${JSON.stringify(toStr(one))} is not a date/time`);
}

const date = (ms: number, functionName: string): DateTimeValue =>
  inRange(ms)
    ? new DateTimeValue(ms)
    : fail('expression.invalid_date', `${functionName}: the date is outside the years 1–9999`);

/** Applies f to each single value of v; null stays null. */
function mapValues(v: Value, f: (one: Exclude<Value, Value[] | null>) => Value): Value {
  if (v === null) return null;
  if (Array.isArray(v)) {
    if (v.length === 0) return null;
    return v.map((item) => mapValues(item, f));
  }
  return f(v);
}

function flatten(v: Value, out: Exclude<Value, Value[]>[] = []): Exclude<Value, Value[]>[] {
  if (Array.isArray(v)) for (const item of v) flatten(item, out);
  else out.push(v);
  return out;
}

/** Role names of `[appRoleAssignments]`, multi-valued; null when there are none. */
function roleNames(v: Value): Value {
  const names = flatten(v)
    .filter((item) => item !== null && item !== '')
    .map((item) => toStr(item));
  return names.length === 0 ? null : names;
}

function appendJoined(acc: string | undefined, v: Value, separator: string): string | undefined {
  if (typeof v === 'string') {
    if (v === '') return acc;
    return acc === undefined ? v : acc + separator + v;
  }
  if (v === null) return acc;
  if (Array.isArray(v)) {
    for (const item of v) acc = appendJoined(acc, item, separator);
    return acc;
  }
  const text = toStr(v);
  if (text === '') return acc;
  return acc === undefined ? text : acc + separator + text;
}

function dateInterval(c: FunctionCompilation, index: number): (s: State) => DateInterval | null {
  const name = c.node.name;
  const constant = constantText(c.node.args[index]);
  if (constant !== undefined) {
    const interval = parseInterval(constant);
    if (interval === undefined) {
      throw c.error(
        'expression.invalid_argument',
        `${name}: unknown interval ${JSON.stringify(constant)}`,
        index,
        INTERVAL_HINT,
      );
    }
    return () => interval;
  }
  const ev = req(c, index);
  return (s) => {
    const text = textOf(ev, s);
    if (text === null) return null;
    return (
      parseInterval(text) ??
      fail(
        'expression.invalid_argument',
        `${name}: unknown interval ${JSON.stringify(text)}; ${INTERVAL_HINT}`,
      )
    );
  };
}

// ------------------------------------------------------------------------------------------
// Replace

const REPLACE_HINT =
  'Replace(source, oldValue, , , replacementValue, , ) · Replace(source, oldValue, , , , , template) · ' +
  'Replace(source, , regex, , replacementValue, , ) · Replace(source, , regex, group, replacementValue, , ) · ' +
  'Replace(source, , regex, group, , [attribute], )';

function compileReplace(c: FunctionCompilation): Evaluator {
  const node = c.node;
  const has = (i: number): boolean => present(node, i);
  const source = req(c, 0);
  if (has(1) && has(2)) {
    throw c.error(
      'expression.invalid_argument',
      'Replace takes either oldValue or regexPattern, not both',
      2,
      REPLACE_HINT,
    );
  }
  if (has(1)) {
    const oldValue = req(c, 1);
    if (has(6)) {
      const template = req(c, 6);
      // oldValue + template: the template, with oldValue replaced by the source.
      return (s) => {
        const src = source(s);
        const find = textOf(oldValue, s);
        const tpl = textOf(template, s);
        if (src === null || tpl === null) return null;
        return mapStrings(src, (x) => (find === null || find === '' ? tpl : tpl.split(find).join(x)));
      };
    }
    if (!has(4)) {
      throw c.error(
        'expression.invalid_argument',
        'Replace with oldValue needs replacementValue or template',
        undefined,
        REPLACE_HINT,
      );
    }
    const replacement = req(c, 4);
    return (s) => {
      const src = source(s);
      if (src === null) return null;
      const find = textOf(oldValue, s);
      // .NET's String.Replace rejects an empty oldValue; leaving the source alone is kinder.
      if (find === null || find === '') return src;
      const rep = textOf(replacement, s) ?? '';
      return mapStrings(src, (x) => (x.includes(find) ? x.split(find).join(rep) : x));
    };
  }
  if (!has(2)) {
    throw c.error(
      'expression.invalid_argument',
      'Replace needs oldValue or regexPattern',
      undefined,
      REPLACE_HINT,
    );
  }

  const groupMode = has(3);
  const patternConstant = constantText(node.args[2]);
  let staticRegex: DotNetRegex | undefined;
  if (patternConstant !== undefined) {
    const compiled = compileDotNetRegex(patternConstant, groupMode && has(4));
    if (typeof compiled === 'string') {
      throw c.error(
        'expression.invalid_regex',
        `invalid regular expression: ${compiled}`,
        2,
        'regex backslashes are doubled inside strings: "\\\\d+"',
      );
    }
    staticRegex = compiled;
  }
  const groupConstant = constantText(node.args[3]);
  if (
    staticRegex !== undefined &&
    groupConstant !== undefined &&
    !staticRegex.groupNames.includes(groupConstant)
  ) {
    throw c.error(
      'expression.invalid_regex',
      `the pattern has no group named ${JSON.stringify(groupConstant)}`,
      3,
      staticRegex.groupNames.length > 0
        ? `groups: ${staticRegex.groupNames.join(', ')}`
        : 'name a group with (?<name>…)',
    );
  }
  const patternEv = req(c, 2);
  const indices = groupMode && has(4);
  const regexOf = (s: State): DotNetRegex | null => {
    if (staticRegex !== undefined) return staticRegex;
    const pattern = textOf(patternEv, s);
    if (pattern === null) return null;
    const compiled = dynamicRegex(pattern, indices);
    return typeof compiled === 'string'
      ? fail('expression.invalid_regex', `Replace: invalid regular expression: ${compiled}`)
      : compiled;
  };

  if (groupMode) {
    const groupEv = req(c, 3);
    if (has(4)) {
      // regex + group + replacementValue: each match's group span is replaced.
      const replacementEv = req(c, 4);
      const constantReplacement = constantText(node.args[4]);
      const staticParts =
        constantReplacement === undefined ? undefined : parseReplacement(constantReplacement);
      return (s) => {
        const src = source(s);
        if (src === null) return null;
        const re = regexOf(s);
        const group = textOf(groupEv, s);
        if (re === null || group === null) return src;
        const parts = staticParts ?? parseReplacement(textOf(replacementEv, s) ?? '');
        return mapStrings(src, (x) =>
          replaceGroup(re.regex, x, group, (m) => expandReplacement(parts, m, x)),
        );
      };
    }
    if (has(5)) {
      // regex + group + replacementAttributeName: the source if it has a value, else the
      // group extracted from the other attribute. A quoted name is read as an attribute name.
      const nameConstant = node.args[5]?.kind === 'string' ? node.args[5].value : undefined;
      const otherEv = nameConstant !== undefined ? c.readAttribute(nameConstant) : req(c, 5);
      return (s) => {
        const src = source(s);
        if (!isNullOrEmpty(src)) return src;
        const other = textOf(otherEv, s);
        const re = regexOf(s);
        const group = textOf(groupEv, s);
        if (other === null || re === null || group === null) return null;
        return extractGroup(re.regex, other, group);
      };
    }
    throw c.error(
      'expression.invalid_argument',
      'Replace with regexGroupName needs replacementValue or replacementAttributeName',
      undefined,
      REPLACE_HINT,
    );
  }
  if (!has(4)) {
    throw c.error(
      'expression.invalid_argument',
      'Replace with regexPattern needs replacementValue',
      undefined,
      REPLACE_HINT,
    );
  }
  const replacementEv = req(c, 4);
  const constantReplacement = constantText(node.args[4]);
  const staticParts = constantReplacement === undefined ? undefined : parseReplacement(constantReplacement);
  return (s) => {
    const src = source(s);
    if (src === null) return null;
    const re = regexOf(s);
    if (re === null) return src;
    const parts = staticParts ?? parseReplacement(textOf(replacementEv, s) ?? '');
    return mapStrings(src, (x) => replaceMatches(re.regex, x, (m) => expandReplacement(parts, m, x)));
  };
}

// ------------------------------------------------------------------------------------------
// RandomString

const DIGITS = '0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
/** The special characters of Windows' password-complexity rules. */
const SPECIAL = '~!@#$%^&*_-+=`|\\(){}[]:;"\'<>,.?/';
const RANDOM_STRING_MAX = 256;

function checkRandomStringCounts(counts: readonly number[]): string | undefined {
  const [length, ...minimums] = counts as [number, ...number[]];
  if (counts.some((n) => n < 0)) return 'counts cannot be negative';
  if (length > RANDOM_STRING_MAX) return `Length is at most ${RANDOM_STRING_MAX}`;
  const sum = minimums.reduce((a, b) => a + b, 0);
  if (sum > length) return `Length (${length}) is less than the sum of the minimums (${sum})`;
  return undefined;
}

const pick = (pool: string, random: () => number): string =>
  pool[Math.min(pool.length - 1, Math.floor(random() * pool.length))]!;

/**
 * The minimum counts are drawn from their classes, the rest from letters and digits (and
 * special characters only when some are asked for), then shuffled with the context's random.
 */
function randomString(counts: readonly number[], avoid: string, random: () => number): string {
  const [length, minNumbers, minSpecial, minCapital, minLower] = counts as [
    number,
    number,
    number,
    number,
    number,
  ];
  const without = (set: string): string =>
    avoid === '' ? set : [...set].filter((ch) => !avoid.includes(ch)).join('');
  const pools = [without(DIGITS), without(SPECIAL), without(UPPER), without(LOWER)];
  const minimums = [minNumbers, minSpecial, minCapital, minLower];
  const chars: string[] = [];
  for (let k = 0; k < 4; k++) {
    const pool = pools[k]!;
    if (minimums[k]! > 0 && pool === '')
      return fail(
        'expression.invalid_argument',
        'RandomString: every character of a required class is avoided',
      );
    for (let j = 0; j < minimums[k]!; j++) chars.push(pick(pool, random));
  }
  const filler = pools[0]! + pools[2]! + pools[3]! + (minSpecial > 0 ? pools[1]! : '');
  if (chars.length < length && filler === '')
    return fail('expression.invalid_argument', 'RandomString: every character is avoided');
  while (chars.length < length) chars.push(pick(filler, random));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(random() * (i + 1)));
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

function guid(random: () => number): string {
  const hex = '0123456789abcdef';
  let out = '';
  for (let i = 0; i < 16; i++) {
    let byte = Math.min(255, Math.floor(random() * 256));
    if (i === 6) byte = (byte & 0x0f) | 0x40; // version 4
    if (i === 8) byte = (byte & 0x3f) | 0x80; // RFC 4122 variant
    out += hex[byte >> 4]! + hex[byte & 15]!;
    if (i === 3 || i === 5 || i === 7 || i === 9) out += '-';
  }
  return out;
}

// ------------------------------------------------------------------------------------------
// Casing with a culture

function checkCulture(culture: string): boolean {
  try {
    'a'.toLocaleLowerCase(culture);
    return true;
  } catch {
    return false;
  }
}

function casing(upper: boolean): FunctionCompiler {
  return (c) => {
    const source = req(c, 0);
    const name = c.node.name;
    const invariant = upper ? toUpperInvariant : toLowerInvariant;
    if (!present(c.node, 1)) return (s) => mapStrings(source(s), invariant);
    const constant = constantText(c.node.args[1]);
    if (constant !== undefined) {
      if (constant !== '' && !checkCulture(constant)) {
        throw c.error(
          'expression.invalid_argument',
          `${name}: unknown culture ${JSON.stringify(constant)}`,
          1,
          'use an RFC 4646 name such as "en-US" or "tr-TR"',
        );
      }
      if (constant === '') return (s) => mapStrings(source(s), invariant);
      return (s) =>
        mapStrings(source(s), (x) => (upper ? x.toLocaleUpperCase(constant) : x.toLocaleLowerCase(constant)));
    }
    const cultureEv = req(c, 1);
    return (s) => {
      const culture = textOf(cultureEv, s);
      if (culture === null || culture === '') return mapStrings(source(s), invariant);
      if (!checkCulture(culture))
        return fail('expression.invalid_argument', `${name}: unknown culture ${JSON.stringify(culture)}`);
      return mapStrings(source(s), (x) =>
        upper ? x.toLocaleUpperCase(culture) : x.toLocaleLowerCase(culture),
      );
    };
  };
}

// ------------------------------------------------------------------------------------------
// FormatDateTime

function compileFormatDateTime(c: FunctionCompilation): Evaluator {
  // The older three-argument form (source, inputFormat, outputFormat) has no styles.
  const four = c.node.args.length === 4;
  const stylesIndex = four ? 1 : -1;
  const inputIndex = four ? 2 : 1;
  const outputIndex = four ? 3 : 2;
  const source = req(c, 0);

  const formatAt = (index: number): ((s: State) => readonly FormatToken[]) => {
    const constant = constantText(c.node.args[index]);
    if (constant !== undefined) {
      const tokens = tokenizeFormat(constant);
      if (typeof tokens === 'string')
        throw c.error('expression.invalid_argument', `FormatDateTime: ${tokens}`, index);
      return () => tokens;
    }
    const ev = req(c, index);
    return (s) => {
      const text = textOf(ev, s) ?? '';
      const tokens = tokenizeFormat(text);
      return typeof tokens === 'string'
        ? fail('expression.invalid_argument', `FormatDateTime: ${tokens}`)
        : tokens;
    };
  };
  const inputFormat = formatAt(inputIndex);
  const outputFormat = formatAt(outputIndex);

  let styles: (s: State) => DateTimeStyles = () => DEFAULT_STYLES;
  if (stylesIndex > 0 && present(c.node, stylesIndex)) {
    const constant = constantText(c.node.args[stylesIndex]);
    if (constant !== undefined) {
      const parsed = parseStyles(constant);
      if (typeof parsed === 'string')
        throw c.error('expression.invalid_argument', `FormatDateTime: ${parsed}`, stylesIndex);
      styles = () => parsed;
    } else {
      const ev = req(c, stylesIndex);
      styles = (s) => {
        const text = textOf(ev, s);
        if (text === null || text === '') return DEFAULT_STYLES;
        const parsed = parseStyles(text);
        return typeof parsed === 'string'
          ? fail('expression.invalid_argument', `FormatDateTime: ${parsed}`)
          : parsed;
      };
    }
  }

  return (s) =>
    mapValues(source(s), (one) => {
      if (one === '') return null;
      let ms: number;
      if (one instanceof DateTimeValue) {
        // A DateTime (from CDate or DateAdd) needs no parsing: inputFormat does not apply.
        ms = one.ms;
      } else {
        const text = toStr(one);
        const parsed = parseExact(text, inputFormat(s), styles(s), s.ctx.now.getTime());
        if (parsed === null) {
          return fail(
            'expression.invalid_date',
            `FormatDateTime: ${JSON.stringify(text)} does not match the input format`,
          );
        }
        ms = parsed;
      }
      return formatWithTokens(ms, outputFormat(s));
    });
}

// ------------------------------------------------------------------------------------------
// Switch

function compileSwitch(c: FunctionCompilation): Evaluator {
  const source = req(c, 0);
  const fallback = optional(c, 1);
  const keys: (Evaluator | null)[] = [];
  const values: (Evaluator | null)[] = [];
  for (let i = 2; i + 1 < c.args.length; i += 2) {
    keys.push(c.args[i] ?? null);
    values.push(c.args[i + 1] ?? null);
  }
  // All-constant keys (the usual case) become one map lookup; the first duplicate wins.
  const constantKeys = c.node.args.slice(2).filter((_, i) => i % 2 === 0);
  let table: Map<string, Evaluator | null> | undefined;
  if (constantKeys.every((k) => k.kind === 'omitted' || constantText(k) !== undefined)) {
    table = new Map();
    constantKeys.forEach((k, i) => {
      const key = k.kind === 'omitted' ? '' : constantText(k)!;
      if (!table!.has(key)) table!.set(key, values[i]!);
    });
  }
  const keyOf = (v: Value): string => {
    // A null source matches the "" key: the documented way to test for an empty attribute.
    const one = scalar(v);
    return one === null ? '' : toStr(one);
  };
  if (table !== undefined) {
    const lookup = table;
    return (s) => {
      const key = keyOf(source(s));
      const hit = lookup.get(key);
      if (hit !== undefined) return hit === null ? null : hit(s);
      return fallback === null ? null : fallback(s);
    };
  }
  return (s) => {
    const key = keyOf(source(s));
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const candidate = k === null ? '' : keyOf(k(s));
      if (candidate === key) {
        const value = values[i]!;
        return value === null ? null : value(s);
      }
    }
    return fallback === null ? null : fallback(s);
  };
}

// ------------------------------------------------------------------------------------------

const boolOf = (v: Value): boolean => {
  const one = scalar(v);
  if (typeof one === 'boolean') return one;
  if (typeof one === 'number') return one !== 0;
  if (typeof one === 'string') {
    const t = one.trim().toLowerCase();
    if (t === 'true') return true;
    const n = asNumber(t);
    return n !== undefined && n !== 0;
  }
  return false;
};

function wordAt(text: string, number: number, delimiters: string): string {
  if (number < 1) return '';
  let count = 0;
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const boundary = i === text.length || delimiters.includes(text[i]!);
    if (boundary) {
      if (start >= 0) {
        count++;
        if (count === number) return text.slice(start, i);
        start = -1;
      }
    } else if (start < 0) {
      start = i;
    }
  }
  return '';
}

export const functionCompilers: Readonly<Record<string, FunctionCompiler>> = {
  Append: (c) => {
    const source = req(c, 0);
    const suffix = req(c, 1);
    return (s) => {
      const tail = textOf(suffix, s) ?? '';
      return mapStrings(source(s), (x) => x + tail);
    };
  },
  Prepend: (c) => {
    const prefix = req(c, 0);
    const source = req(c, 1);
    return (s) => {
      const head = textOf(prefix, s) ?? '';
      return mapStrings(source(s), (x) => head + x);
    };
  },
  AppRoleAssignments: (c) => {
    const source = req(c, 0);
    return (s) => roleNames(source(s));
  },
  AppRoleAssignmentsComplex: (c) => {
    const source = req(c, 0);
    return (s) => roleNames(source(s));
  },
  AssertiveAppRoleAssignmentsComplex: (c) => {
    const source = req(c, 0);
    return (s) => roleNames(source(s));
  },
  SingleAppRoleAssignment: (c) => {
    const source = req(c, 0);
    return (s) => {
      const names = roleNames(source(s));
      return Array.isArray(names) ? names[0]! : null;
    };
  },
  BitAnd: (c) => {
    const a = req(c, 0);
    const b = req(c, 1);
    return (s) => {
      const x = a(s);
      const y = b(s);
      if (isNullOrEmpty(x) || isNullOrEmpty(y)) return null;
      const bx = BigInt(toInteger(x, 'BitAnd', 'value1'));
      const by = BigInt(toInteger(y, 'BitAnd', 'value2'));
      return Number(BigInt.asIntN(64, bx & by));
    };
  },
  CBool: (c) => {
    const condition = c.condition(0);
    return (s) => bool(condition(s));
  },
  CDate: (c) => {
    const source = req(c, 0);
    return (s) =>
      mapValues(source(s), (one) => {
        const ms = toDateMs(one, 'CDate');
        return ms === null ? null : new DateTimeValue(ms);
      });
  },
  Coalesce: (c) => {
    const sources = c.args.filter((a): a is Evaluator => a !== null);
    return (s) => {
      for (const source of sources) {
        const v = source(s);
        if (!isNull(v)) return v;
      }
      return null;
    };
  },
  ConvertToBase64: (c) => {
    const source = req(c, 0);
    return (s) => mapStrings(source(s), base64Utf16Le);
  },
  ConvertToUTF8Hex: (c) => {
    const source = req(c, 0);
    return (s) => mapStrings(source(s), utf8Hex);
  },
  Count: (c) => {
    const source = req(c, 0);
    return (s) => {
      const v = source(s);
      if (isNullOrEmpty(v)) return 0;
      return Array.isArray(v) ? flatten(v).filter((item) => item !== null).length : 1;
    };
  },
  CStr: (c) => {
    const source = req(c, 0);
    return (s) => mapStrings(source(s), (x) => x);
  },
  DateAdd: (c) => {
    const interval = dateInterval(c, 0);
    const value = req(c, 1);
    const dateTime = req(c, 2);
    return (s) => {
      const unit = interval(s);
      const n = value(s);
      const ms = toDateMs(dateTime(s), 'DateAdd');
      if (unit === null || isNullOrEmpty(n) || ms === null) return null;
      return date(dateAdd(unit, toInteger(n, 'DateAdd', 'value'), ms), 'DateAdd');
    };
  },
  DateDiff: (c) => {
    const interval = dateInterval(c, 0);
    const date1 = req(c, 1);
    const date2 = req(c, 2);
    return (s) => {
      const unit = interval(s);
      const a = toDateMs(date1(s), 'DateDiff');
      const b = toDateMs(date2(s), 'DateDiff');
      if (unit === null || a === null || b === null) return null;
      return dateDiff(unit, a, b);
    };
  },
  DateFromNum: (c) => {
    const source = req(c, 0);
    return (s) =>
      mapValues(source(s), (one) => {
        if (one === '') return null;
        let ticks: bigint;
        if (typeof one === 'number' && Number.isFinite(one)) ticks = BigInt(Math.trunc(one));
        else if (typeof one === 'string' && /^\s*-?\d+\s*$/.test(one)) ticks = BigInt(one.trim());
        else
          return fail(
            'expression.type_mismatch',
            `DateFromNum: ${JSON.stringify(toStr(one))} is not an integer date`,
          );
        const ms = fileTimeToMs(ticks);
        return ms === null
          ? fail('expression.invalid_date', `DateFromNum: ${ticks} is outside the years 1601–9999`)
          : new DateTimeValue(ms);
      });
  },
  DefaultDomain: () => (s) =>
    s.ctx.defaultDomain ??
    fail('expression.no_default_domain', "DefaultDomain(): the tenant's default domain is not configured"),
  FormatDateTime: compileFormatDateTime,
  Guid: () => (s) => guid(s.ctx.random),
  IgnoreFlowIfNullOrEmpty: (c) => {
    const source = req(c, 0);
    return (s) => {
      const v = source(s);
      if (isNullOrEmpty(v)) throw IGNORE_ATTRIBUTE;
      return v;
    };
  },
  IIF: (c) => {
    const condition = c.condition(0);
    const whenTrue = req(c, 1);
    const whenFalse = req(c, 2);
    // Only the chosen branch runs, so IgnoreAttributeFlow or a bad date in the other is harmless.
    return (s) => (condition(s) ? whenTrue(s) : whenFalse(s));
  },
  InStr: (c) => {
    const haystack = req(c, 0);
    const needle = req(c, 1);
    const startEv = optional(c, 2);
    const compareEv = optional(c, 3);
    const compareConstant = c.node.args[3];
    if (
      compareConstant !== undefined &&
      (compareConstant.kind === 'string' || compareConstant.kind === 'number')
    ) {
      const mode = compareMode(compareConstant.value);
      if (mode === undefined) {
        throw c.error(
          'expression.invalid_argument',
          'InStr: compareType must be vbBinaryCompare or vbTextCompare',
          3,
        );
      }
    }
    return (s) => {
      const a = textOf(haystack, s);
      const b = textOf(needle, s);
      const startValue = startEv === null ? null : startEv(s);
      const start = isNullOrEmpty(startValue) ? 1 : toInteger(startValue, 'InStr', 'start');
      if (start < 1)
        return fail('expression.invalid_argument', `InStr: start must be 1 or more, got ${start}`);
      if (a === null || a === '' || start > a.length + 1) return 0;
      if (b === null || b === '') return start;
      const modeValue = compareEv === null ? null : scalar(compareEv(s));
      const text = modeValue === null ? 0 : compareMode(modeValue);
      if (text === undefined)
        return fail(
          'expression.invalid_argument',
          'InStr: compareType must be vbBinaryCompare or vbTextCompare',
        );
      if (text === 1) return toLowerInvariant(a).indexOf(toLowerInvariant(b), start - 1) + 1;
      return a.indexOf(b, start - 1) + 1;
    };
  },
  IsNothing: (c) => {
    const source = req(c, 0);
    return (s) => bool(isNull(source(s)));
  },
  IsNull: (c) => {
    const source = req(c, 0);
    return (s) => bool(isNull(source(s)));
  },
  IsNullOrEmpty: (c) => {
    const source = req(c, 0);
    return (s) => bool(isNullOrEmpty(source(s)));
  },
  IsPresent: (c) => {
    const source = req(c, 0);
    return (s) => bool(!isNullOrEmpty(source(s)));
  },
  IsString: (c) => {
    const source = req(c, 0);
    return (s) => bool(typeof source(s) === 'string');
  },
  Item: (c) => {
    const source = req(c, 0);
    const index = req(c, 1);
    return (s) => {
      const v = source(s);
      const i = toInteger(index(s), 'Item', 'index');
      if (v === null) return null;
      const items = Array.isArray(v) ? v : [v];
      return i >= 1 && i <= items.length ? items[i - 1]! : null;
    };
  },
  Join: (c) => {
    const sources = c.args.slice(1).filter((a): a is Evaluator => a !== null);
    const constant = constantText(c.node.args[0]);
    const separatorEv = req(c, 0);
    if (constant !== undefined && sources.length === 2) {
      // The common two-source shape, without a loop.
      const [first, second] = sources as [Evaluator, Evaluator];
      return (s) => appendJoined(appendJoined(undefined, first(s), constant), second(s), constant) ?? '';
    }
    return (s) => {
      const separator = constant ?? textOf(separatorEv, s) ?? '';
      let acc: string | undefined;
      for (const source of sources) acc = appendJoined(acc, source(s), separator);
      return acc ?? '';
    };
  },
  Left: (c) => {
    const source = req(c, 0);
    const count = req(c, 1);
    return (s) => {
      const v = source(s);
      const n = toInteger(count(s), 'Left', 'NumChars');
      if (v === null) return '';
      return mapStrings(v, (x) => (n === 0 ? '' : n < 0 ? x : x.slice(0, n)));
    };
  },
  Mid: (c) => {
    const source = req(c, 0);
    const startEv = req(c, 1);
    const lengthEv = req(c, 2);
    return (s) => {
      const v = source(s);
      const start = toInteger(startEv(s), 'Mid', 'start');
      const length = toInteger(lengthEv(s), 'Mid', 'length');
      // VB raises an error for start < 1 or length < 0; taking them as 1 and 0 keeps a
      // provisioning cycle going on odd data instead.
      const from = Math.max(start, 1) - 1;
      return mapStrings(v, (x) => (length <= 0 ? '' : x.slice(from, from + length)));
    };
  },
  NormalizeDiacritics: (c) => {
    const source = req(c, 0);
    return (s) => mapStrings(source(s), normalizeDiacritics);
  },
  Not: (c) => {
    const source = req(c, 0);
    return (s) => (boolOf(source(s)) ? FALSE : TRUE);
  },
  Now: () => (s) => date(s.ctx.now.getTime(), 'Now'),
  NumFromDate: (c) => {
    const source = req(c, 0);
    return (s) =>
      mapValues(source(s), (one) => {
        const ms = toDateMs(one, 'NumFromDate');
        // A string: FILETIME values pass 2^53, beyond what a number holds exactly.
        return ms === null ? null : msToFileTime(ms).toString();
      });
  },
  PCase: (c) => {
    const source = req(c, 0);
    const separators = optional(c, 1);
    return (s) => {
      const chars = textOf(separators, s) ?? undefined;
      return mapStrings(source(s), (x) => properCase(x, chars));
    };
  },
  RandomString: (c) => {
    const counts = c.args.slice(0, 5) as Evaluator[];
    const constants = c.node.args.slice(0, 5).map(constantNumber);
    if (constants.every((n) => n !== undefined)) {
      const problem = checkRandomStringCounts(constants.map((n) => Math.trunc(n!)));
      if (problem !== undefined) throw c.error('expression.invalid_argument', `RandomString: ${problem}`);
    }
    const avoidEv = optional(c, 5);
    const names = [
      'Length',
      'MinimumNumbers',
      'MinimumSpecialCharacters',
      'MinimumCapital',
      'MinimumLowerCase',
    ];
    return (s) => {
      const values = counts.map((ev, i) => toInteger(ev(s), 'RandomString', names[i]!));
      const problem = checkRandomStringCounts(values);
      if (problem !== undefined) return fail('expression.invalid_argument', `RandomString: ${problem}`);
      return randomString(values, textOf(avoidEv, s) ?? '', s.ctx.random);
    };
  },
  Redact: (c) => {
    const source = req(c, 0);
    return (s) => {
      const v = source(s);
      s.redacted = true;
      return v;
    };
  },
  RemoveDuplicates: (c) => {
    const source = req(c, 0);
    return (s) => {
      const v = source(s);
      if (!Array.isArray(v)) return v;
      const seen = new Set<string>();
      const out: Value[] = [];
      for (const item of flatten(v)) {
        if (item === null) continue;
        const key = toStr(item);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(item);
      }
      return out.length === 0 ? null : out;
    };
  },
  Replace: compileReplace,
  SelectUniqueValue: (c) => {
    const rules = c.args.filter((a): a is Evaluator => a !== null);
    c.setUniqueRules(rules);
    return (s) => {
      const isUnique = s.ctx.isValueUnique;
      let tried = 0;
      for (const rule of rules) {
        const candidate = uniqueCandidate(rule(s));
        if (candidate === null) continue;
        // Without a target to ask (a preview, a test), the first candidate is the answer.
        if (isUnique === undefined) return candidate;
        const free: unknown = isUnique(candidate);
        if (typeof free !== 'boolean') {
          return fail(
            'expression.async_port',
            'isValueUnique did not return a boolean; use evaluateExpressionAsync for a promise',
          );
        }
        if (free) return candidate;
        tried++;
      }
      if (tried === 0) return null;
      return fail(
        'expression.no_unique_value',
        `SelectUniqueValue: all ${tried} generated values already exist in the target`,
      );
    };
  },
  Split: (c) => {
    const source = req(c, 0);
    const delimiterEv = optional(c, 1);
    return (s) => {
      const v = source(s);
      if (v === null) return null;
      const delimiter = textOf(delimiterEv, s) ?? ',';
      const out: string[] = [];
      for (const item of flatten(v)) {
        if (item === null) continue;
        const text = toStr(item);
        if (text === '') continue;
        if (delimiter === '') out.push(text);
        else for (const part of text.split(delimiter)) out.push(part);
      }
      return out.length === 0 ? null : out;
    };
  },
  StripSpaces: (c) => {
    const source = req(c, 0);
    return (s) => mapStrings(source(s), (x) => (x.includes(' ') ? x.replaceAll(' ', '') : x));
  },
  Switch: compileSwitch,
  ToLower: casing(false),
  ToUpper: casing(true),
  Word: (c) => {
    const source = req(c, 0);
    const numberEv = req(c, 1);
    const delimitersEv = req(c, 2);
    return (s) => {
      const v = source(s);
      const n = toInteger(numberEv(s), 'Word', 'WordNumber');
      const delimiters = textOf(delimitersEv, s) ?? '';
      if (v === null) return '';
      return mapStrings(v, (x) => wordAt(x, n, delimiters));
    };
  },
};

/** vbBinaryCompare = 0, vbTextCompare = 1; the names are accepted as text too. */
function compareMode(v: Exclude<Value, Value[] | null>): 0 | 1 | undefined {
  if (typeof v === 'number') return v === 0 ? 0 : v === 1 ? 1 : undefined;
  const text = toStr(v).trim();
  if (text === '0' || text.toLowerCase() === 'vbbinarycompare') return 0;
  if (text === '1' || text.toLowerCase() === 'vbtextcompare') return 1;
  return undefined;
}

function uniqueCandidate(v: Value): string | null {
  const one = scalar(v);
  if (one === null) return null;
  const text = toStr(one);
  return text === '' ? null : text;
}
