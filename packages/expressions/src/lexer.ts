import { syntaxError } from './errors.js';
import type { ComparisonOperator } from './types.js';

export type TokenKind =
  'lparen' | 'rparen' | 'comma' | 'string' | 'number' | 'attribute' | 'identifier' | 'operator' | 'eof';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  /** String value (escapes resolved), attribute name, identifier, operator or number source text. */
  text: string;
  /** Numeric value of a `number` token. */
  value: number;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isIdentStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isIdentPart = (c: number): boolean => isIdentStart(c) || isDigit(c);
const isHexDigit = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isWhitespace = (text: string, pos: number): boolean => {
  const c = text.charCodeAt(pos);
  if (c === 32 || c === 10 || c === 13 || c === 9) return true;
  // Non-breaking and other Unicode spaces arrive when expressions are pasted from documents.
  return c > 127 && /\s/.test(text[pos]!);
};

// Attribute names: letters, digits, `_ . - :` (SCIM extension URNs, dotted SuccessFactors paths,
// `msDS-…` names). Unicode letters are accepted because customer schemas sometimes use them.
const ATTRIBUTE_CHAR = /[\p{L}\p{N}_.\-:]/u;

const TYPOGRAPHIC_QUOTES = '\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB';

/**
 * A pull lexer: the parser asks for one token at a time, so an error late in a
 * 10,000-character expression costs nothing until it is reached.
 */
export class Lexer {
  private pos = 0;

  constructor(private readonly text: string) {}

  next(): Token {
    const text = this.text;
    let pos = this.pos;
    while (pos < text.length && isWhitespace(text, pos)) pos++;
    this.pos = pos;
    if (pos >= text.length) return this.token('eof', pos, pos, '');
    const c = text.charCodeAt(pos);
    const ch = text[pos]!;
    switch (ch) {
      case '(':
        return this.token('lparen', pos, pos + 1, ch);
      case ')':
        return this.token('rparen', pos, pos + 1, ch);
      case ',':
        return this.token('comma', pos, pos + 1, ch);
      case '"':
        return this.string(pos);
      case '[':
        return this.attribute(pos);
      case '=':
        if (text[pos + 1] === '=') {
          throw syntaxError(
            text,
            'expression.syntax',
            'unexpected "=="',
            pos,
            pos + 2,
            'compare with a single "="',
          );
        }
        if (text[pos + 1] === '<' || text[pos + 1] === '>') {
          const fixed = text[pos + 1] === '<' ? '<=' : '>=';
          throw syntaxError(
            text,
            'expression.syntax',
            `unexpected "=${text[pos + 1]}"`,
            pos,
            pos + 2,
            `write "${fixed}"`,
          );
        }
        return this.token('operator', pos, pos + 1, '=');
      case '<': {
        const n = text[pos + 1];
        const op: ComparisonOperator = n === '>' ? '<>' : n === '=' ? '<=' : '<';
        return this.token('operator', pos, pos + op.length, op);
      }
      case '>': {
        const op: ComparisonOperator = text[pos + 1] === '=' ? '>=' : '>';
        return this.token('operator', pos, pos + op.length, op);
      }
      case '&':
        return this.hex(pos);
      case '-':
        if (isDigit(text.charCodeAt(pos + 1))) return this.number(pos);
        break;
      default:
        if (isDigit(c)) return this.number(pos);
        if (isIdentStart(c)) {
          let end = pos + 1;
          while (end < text.length && isIdentPart(text.charCodeAt(end))) end++;
          return this.token('identifier', pos, end, text.slice(pos, end));
        }
    }
    return this.unexpectedCharacter(pos);
  }

  private token(kind: TokenKind, start: number, end: number, text: string, value = 0): Token {
    this.pos = end;
    return { kind, start, end, text, value };
  }

  private string(start: number): Token {
    const text = this.text;
    let value = '';
    let chunkStart = start + 1;
    let pos = start + 1;
    while (pos < text.length) {
      const ch = text[pos];
      if (ch === '"') {
        value += text.slice(chunkStart, pos);
        return this.token('string', start, pos + 1, value);
      }
      if (ch === '\\') {
        const escaped = text[pos + 1];
        // Only \" and \\ are escapes (the documented rule). Any other backslash is kept,
        // so regex patterns written with a single backslash (`"\+(…)"`) still work.
        if (escaped === '"' || escaped === '\\') {
          value += text.slice(chunkStart, pos) + escaped;
          pos += 2;
          chunkStart = pos;
          continue;
        }
      }
      pos++;
    }
    throw syntaxError(
      text,
      'expression.unterminated_string',
      'unterminated string: missing closing "',
      start,
      text.length,
      'close the string with "; inside a string write \\" for a quote and \\\\ for a backslash',
    );
  }

  private attribute(start: number): Token {
    const text = this.text;
    let pos = start + 1;
    while (pos < text.length && text[pos] !== ']') {
      const ch = text[pos]!;
      if (!ATTRIBUTE_CHAR.test(ch)) {
        if (ch === '[' || ch === ',' || ch === '(' || ch === ')' || ch === '"' || ch === '\n' || ch === '\r')
          break;
        throw syntaxError(
          text,
          'expression.syntax',
          `invalid character ${JSON.stringify(ch)} in attribute name`,
          pos,
          pos + 1,
          'attribute names contain letters, digits, "_", ".", "-" and ":"',
        );
      }
      pos++;
    }
    if (pos >= text.length || text[pos] !== ']') {
      throw syntaxError(
        text,
        'expression.unbalanced',
        `attribute reference ${JSON.stringify(text.slice(start, pos))} is missing its closing "]"`,
        start,
        pos,
        'write attributes as [attributeName]',
      );
    }
    if (pos === start + 1) {
      throw syntaxError(
        text,
        'expression.syntax',
        'empty attribute reference "[]"',
        start,
        pos + 1,
        'write [attributeName]',
      );
    }
    return this.token('attribute', start, pos + 1, text.slice(start + 1, pos));
  }

  private number(start: number): Token {
    const text = this.text;
    let pos = start;
    if (text[pos] === '-') pos++;
    while (isDigit(text.charCodeAt(pos))) pos++;
    if (text[pos] === '.') {
      if (!isDigit(text.charCodeAt(pos + 1))) {
        throw syntaxError(
          text,
          'expression.syntax',
          'invalid number',
          start,
          pos + 1,
          'write decimals as 1.5',
        );
      }
      pos++;
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    if (pos < text.length && (isIdentPart(text.charCodeAt(pos)) || text[pos] === '.')) {
      let end = pos;
      while (end < text.length && (isIdentPart(text.charCodeAt(end)) || text[end] === '.')) end++;
      throw syntaxError(
        text,
        'expression.syntax',
        `invalid number ${JSON.stringify(text.slice(start, end))}`,
        start,
        end,
        'text must be quoted: "…"',
      );
    }
    const raw = text.slice(start, pos);
    return this.token('number', start, pos, raw, Number(raw));
  }

  private hex(start: number): Token {
    const text = this.text;
    const marker = text[start + 1];
    if (marker !== 'H' && marker !== 'h') {
      throw syntaxError(
        text,
        'expression.syntax',
        'unexpected "&"',
        start,
        start + 1,
        '"&" only starts a hex literal such as &HF7; concatenate text with Join or Append',
      );
    }
    let pos = start + 2;
    while (pos < text.length && isHexDigit(text.charCodeAt(pos))) pos++;
    if (pos === start + 2 || (pos < text.length && isIdentPart(text.charCodeAt(pos)))) {
      let end = pos;
      while (end < text.length && isIdentPart(text.charCodeAt(end))) end++;
      throw syntaxError(
        text,
        'expression.syntax',
        `invalid hex literal ${JSON.stringify(text.slice(start, Math.max(end, start + 2)))}`,
        start,
        Math.max(end, start + 2),
        'hex literals are &H followed by 0-9 and A-F, e.g. &HF7',
      );
    }
    const raw = text.slice(start, pos);
    return this.token('number', start, pos, raw, parseInt(raw.slice(2), 16));
  }

  private unexpectedCharacter(pos: number): never {
    const text = this.text;
    const ch = String.fromCodePoint(text.codePointAt(pos)!);
    const end = pos + ch.length;
    let hint: string | undefined;
    if (TYPOGRAPHIC_QUOTES.includes(ch)) hint = 'use a straight double quote (") around text';
    else if (ch === "'" || ch === '\u2018' || ch === '\u2019') hint = 'text is written in double quotes: "…"';
    else if (ch === '!') hint = 'write "<>" for "not equal", or use Not()';
    else if (ch === '+') hint = 'there is no "+" operator; use Join or Append to concatenate';
    else if (ch === '-') hint = 'there is no "-" operator; a negative number is written -5';
    else if (ch === '.') hint = 'write decimals with a leading digit, e.g. 0.5';
    else if (ch === ']') hint = 'this "]" closes no attribute reference';
    else if (ch === ';') hint = 'separate arguments with ","';
    throw syntaxError(
      text,
      ch === ']' ? 'expression.unbalanced' : 'expression.syntax',
      `unexpected character ${JSON.stringify(ch)}`,
      pos,
      end,
      hint,
    );
  }
}
