/**
 * .NET regular expressions on JavaScript's engine. The syntax the documentation uses —
 * named groups `(?<name>…)`, classes, quantifiers, lookarounds — is the same in both; the
 * differences that matter are rewritten here, and what cannot be expressed is refused
 * with a message instead of silently matching something else.
 */

export interface DotNetRegex {
  /** Global, for replacing; with `d` when a named group's span is needed. */
  readonly regex: RegExp;
  readonly groupNames: readonly string[];
}

/**
 * Translates and compiles a .NET pattern; a string is the error. `indices` adds the `d`
 * flag (group spans), which costs time on every match, so only Replace's group mode asks.
 */
export function compileDotNetRegex(pattern: string, indices = false): DotNetRegex | string {
  let flags = indices ? 'gd' : 'g';
  let i = 0;
  const leading = /^\(\?([a-zA-Z]+)\)/.exec(pattern);
  if (leading) {
    for (const option of leading[1]!) {
      if (option === 'i' || option === 'm' || option === 's') {
        if (!flags.includes(option)) flags += option;
      } else {
        return `inline option "${option}" is not supported (only i, m and s)`;
      }
    }
    i = leading[0].length;
  }
  let out = '';
  let inClass = false;
  let unicode = false;
  const groupNames: string[] = [];
  while (i < pattern.length) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return 'the pattern ends with a lone "\\"';
      if (!inClass && next === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && next === 'z') out += '(?![\\s\\S])';
      else if (!inClass && next === 'Z') out += '(?=\\n?(?![\\s\\S]))';
      else if (!inClass && next === 'G') return '"\\G" is not supported';
      else {
        if ((next === 'p' || next === 'P') && pattern[i + 2] === '{') unicode = true;
        out += ch + next;
      }
      i += 2;
      continue;
    }
    if (inClass) {
      if (ch === '-' && pattern[i + 1] === '[') return 'character class subtraction "-[…]" is not supported';
      if (ch === ']') inClass = false;
      out += ch;
      i++;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      i++;
      if (pattern[i] === '^') {
        out += '^';
        i++;
      }
      // In .NET a "]" right after "[" or "[^" is a literal; in JavaScript "[]" is an empty class.
      if (pattern[i] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (ch === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2);
      const named = /^(?:<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')/.exec(rest);
      if (named) {
        const name = named[1] ?? named[2]!;
        groupNames.push(name);
        out += `(?<${name}>`;
        i += 2 + named[0].length;
        continue;
      }
      if (/^(?:<[^=!>]*-|'[^']*-)/.test(rest)) return 'balancing groups are not supported';
      if (/^(?:[<'])/.test(rest) && !/^<[=!]/.test(rest))
        return 'group names must start with a letter or "_"';
      if (rest.startsWith('#')) {
        const close = pattern.indexOf(')', i);
        if (close < 0) return 'unterminated comment "(?#"';
        i = close + 1;
        continue;
      }
      if (rest.startsWith('>')) return 'atomic groups "(?>…)" are not supported';
      if (rest.startsWith('(')) return 'conditional groups "(?(…)…)" are not supported';
      if (/^[a-zA-Z-]+[:)]/.test(rest))
        return 'inline options are only supported at the start of the pattern, e.g. "(?i)"';
    }
    out += ch;
    i++;
  }
  try {
    return { regex: new RegExp(out, unicode ? `${flags}u` : flags), groupNames };
  } catch (error) {
    return error instanceof Error
      ? error.message.replace(/^Invalid regular expression: /, '')
      : String(error);
  }
}

/** A parsed .NET replacement string: literal text and `$…` substitutions. */
export type ReplacementPart =
  | string
  | { readonly group: string | number; readonly source: string }
  | { readonly special: 'before' | 'after' | 'last' | 'input' };

/** Parses `${name}`, `$1`, `$$`, `$&`, `` $` ``, `$'`, `$+`, `$_`. */
export function parseReplacement(template: string): readonly ReplacementPart[] {
  const parts: ReplacementPart[] = [];
  let literal = '';
  let i = 0;
  while (i < template.length) {
    const ch = template[i]!;
    if (ch !== '$' || i + 1 >= template.length) {
      literal += ch;
      i++;
      continue;
    }
    const next = template[i + 1]!;
    let part: ReplacementPart | undefined;
    let length = 2;
    if (next === '$') {
      literal += '$';
      i += 2;
      continue;
    } else if (next === '{') {
      const close = template.indexOf('}', i + 2);
      const name = close < 0 ? '' : template.slice(i + 2, close);
      if (/^\d+$/.test(name)) part = { group: Number(name), source: template.slice(i, close + 1) };
      else if (/^[A-Za-z_]\w*$/.test(name)) part = { group: name, source: template.slice(i, close + 1) };
      length = close + 1 - i;
    } else if (next >= '0' && next <= '9') {
      let end = i + 1;
      while (end < template.length && template[end]! >= '0' && template[end]! <= '9') end++;
      part = { group: Number(template.slice(i + 1, end)), source: template.slice(i, end) };
      length = end - i;
    } else if (next === '&') {
      part = { group: 0, source: '$&' };
    } else if (next === '`') {
      part = { special: 'before' };
    } else if (next === "'") {
      part = { special: 'after' };
    } else if (next === '+') {
      part = { special: 'last' };
    } else if (next === '_') {
      part = { special: 'input' };
    }
    if (part === undefined) {
      literal += ch;
      i++;
      continue;
    }
    if (literal !== '') parts.push(literal);
    literal = '';
    parts.push(part);
    i += length;
  }
  if (literal !== '') parts.push(literal);
  return parts;
}

/** Expands a replacement for one match. Unknown groups stay literal, as in .NET. */
export function expandReplacement(
  parts: readonly ReplacementPart[],
  match: RegExpExecArray,
  input: string,
): string {
  if (parts.length === 1 && typeof parts[0] === 'string') return parts[0];
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      out += part;
    } else if ('group' in part) {
      if (typeof part.group === 'number') {
        out += part.group < match.length ? (match[part.group] ?? '') : part.source;
      } else if (match.groups !== undefined && Object.hasOwn(match.groups, part.group)) {
        out += match.groups[part.group] ?? '';
      } else {
        out += part.source;
      }
    } else if (part.special === 'before') {
      out += input.slice(0, match.index);
    } else if (part.special === 'after') {
      out += input.slice(match.index + match[0].length);
    } else if (part.special === 'last') {
      out += match.length > 1 ? (match[match.length - 1] ?? '') : '';
    } else {
      out += input;
    }
  }
  return out;
}

/**
 * Replaces every match, like .NET's Regex.Replace: an empty match advances one position,
 * so `[a-zA-Z_]*` on "john_doe72" yields "72".
 */
export function replaceMatches(
  regex: RegExp,
  input: string,
  replace: (match: RegExpExecArray) => string,
): string {
  regex.lastIndex = 0;
  let out = '';
  let last = 0;
  for (;;) {
    const match = regex.exec(input);
    if (match === null) break;
    out += input.slice(last, match.index) + replace(match);
    last = match.index + match[0].length;
    if (match[0].length === 0) {
      if (regex.lastIndex >= input.length) break;
      regex.lastIndex++;
    }
  }
  regex.lastIndex = 0;
  return out + input.slice(last);
}

/** Replaces the span of one named group inside each match, keeping the rest of the match. */
export function replaceGroup(
  regex: RegExp,
  input: string,
  group: string,
  replacement: (match: RegExpExecArray) => string,
): string {
  return replaceMatches(regex, input, (match) => {
    const span = match.indices?.groups?.[group];
    if (span === undefined) return match[0];
    const offset = match.index;
    return match[0].slice(0, span[0] - offset) + replacement(match) + match[0].slice(span[1] - offset);
  });
}

/** The value of a named group in the first match, or null. */
export function extractGroup(regex: RegExp, input: string, group: string): string | null {
  regex.lastIndex = 0;
  const match = regex.exec(input);
  regex.lastIndex = 0;
  return match?.groups?.[group] ?? null;
}

const dynamicCache = new Map<string, DotNetRegex | string>();

/** Compiles a pattern computed at run time, remembering recent ones. */
export function dynamicRegex(pattern: string, indices: boolean): DotNetRegex | string {
  const key = (indices ? 'd' : 'g') + pattern;
  let compiled = dynamicCache.get(key);
  if (compiled === undefined) {
    compiled = compileDotNetRegex(pattern, indices);
    if (dynamicCache.size >= 64) dynamicCache.clear();
    dynamicCache.set(key, compiled);
  }
  return compiled;
}
