import { closestName, syntaxError } from './errors.js';
import { Lexer, type Token } from './lexer.js';
import { functionNames } from './catalog.js';
import type { ArgumentNode, ExpressionNode, FunctionCallNode } from './types.js';

/** Entra's documented limit for one expression [S19]. */
export const MAX_EXPRESSION_LENGTH = 10_000;
/**
 * Nesting limit. Real mappings nest a dozen levels at most; the bound keeps the
 * recursive parser, compiler and evaluator far from the engine's stack limit.
 */
export const MAX_NESTING_DEPTH = 100;

const KEYWORDS = ['IgnoreAttributeFlow', 'IgnoreObjectFlow'] as const;
const ENUMS = { vbBinaryCompare: 0, vbTextCompare: 1 } as const;
const LOGICAL_WORDS = new Set(['and', 'or', 'andalso', 'orelse', 'not', 'xor']);

const describe = (token: Token): string => {
  switch (token.kind) {
    case 'eof':
      return 'end of expression';
    case 'string':
      return 'string';
    case 'attribute':
      return `[${token.text}]`;
    default:
      return JSON.stringify(token.text);
  }
};

/** Recursive descent over the grammar of README.md § Grammar. Throws ExpressionSyntaxError. */
export function parse(text: string): ExpressionNode {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw syntaxError(
      text,
      'expression.too_long',
      `expression is ${text.length} characters long; the limit is ${MAX_EXPRESSION_LENGTH}`,
      MAX_EXPRESSION_LENGTH,
      text.length,
    );
  }
  return new Parser(text).parseRoot();
}

class Parser {
  private readonly lexer: Lexer;
  private current: Token;
  private depth = 0;

  constructor(private readonly text: string) {
    this.lexer = new Lexer(text);
    this.current = this.lexer.next();
  }

  parseRoot(): ExpressionNode {
    if (this.current.kind === 'eof') {
      throw syntaxError(
        this.text,
        'expression.empty',
        'the expression is empty',
        0,
        this.text.length,
        'write e.g. [mail]',
      );
    }
    const node = this.parseComparison();
    const token = this.current;
    if (token.kind !== 'eof') {
      if (token.kind === 'rparen') {
        throw syntaxError(
          this.text,
          'expression.unbalanced',
          'unexpected ")" with no matching "("',
          token.start,
          token.end,
        );
      }
      throw this.unexpectedAfterValue(token, 'after the end of the expression');
    }
    return node;
  }

  /** The current token; a method so that TypeScript does not keep narrowings across advance(). */
  private peek(): Token {
    return this.current;
  }

  private advance(): Token {
    const token = this.current;
    this.current = this.lexer.next();
    return token;
  }

  private parseComparison(): ExpressionNode {
    const left = this.parsePrimary();
    if (this.current.kind !== 'operator') return left;
    const operator = this.advance();
    const next = this.peek();
    if (next.kind === 'comma' || next.kind === 'rparen' || next.kind === 'eof') {
      throw syntaxError(
        this.text,
        'expression.syntax',
        `missing the right-hand side of "${operator.text}"`,
        operator.start,
        operator.end,
      );
    }
    const right = this.parsePrimary();
    const after = this.peek();
    if (after.kind === 'operator') {
      throw syntaxError(
        this.text,
        'expression.syntax',
        `comparisons cannot be chained ("${after.text}" after a comparison)`,
        after.start,
        after.end,
        'nest IIF calls to combine conditions',
      );
    }
    return {
      kind: 'comparison',
      operator: operator.text as '=',
      left,
      right,
      start: left.start,
      end: right.end,
    };
  }

  private parsePrimary(): ExpressionNode {
    const token = this.current;
    switch (token.kind) {
      case 'string':
        this.advance();
        return { kind: 'string', value: token.text, start: token.start, end: token.end };
      case 'number':
        this.advance();
        return { kind: 'number', value: token.value, raw: token.text, start: token.start, end: token.end };
      case 'attribute':
        this.advance();
        return { kind: 'attribute', name: token.text, start: token.start, end: token.end };
      case 'identifier':
        return this.parseIdentifier();
      case 'operator':
        throw syntaxError(
          this.text,
          'expression.syntax',
          `missing the left-hand side of "${token.text}"`,
          token.start,
          token.end,
        );
      case 'lparen':
        throw syntaxError(
          this.text,
          'expression.syntax',
          'unexpected "("',
          token.start,
          token.end,
          'parentheses only follow a function name, as in Join(",", [a], [b])',
        );
      case 'rparen':
        throw syntaxError(this.text, 'expression.unbalanced', 'unexpected ")"', token.start, token.end);
      case 'comma':
        throw syntaxError(
          this.text,
          'expression.syntax',
          'unexpected ","',
          token.start,
          token.end,
          'commas only separate the arguments of a function',
        );
      case 'eof':
        throw syntaxError(
          this.text,
          'expression.syntax',
          'unexpected end of expression',
          token.start,
          token.end,
        );
    }
  }

  private parseIdentifier(): ExpressionNode {
    const name = this.advance();
    if (this.current.kind === 'lparen') return this.parseCall(name);
    if ((KEYWORDS as readonly string[]).includes(name.text)) {
      return { kind: 'keyword', name: name.text as 'IgnoreAttributeFlow', start: name.start, end: name.end };
    }
    if (Object.hasOwn(ENUMS, name.text)) {
      const enumName = name.text as keyof typeof ENUMS;
      return { kind: 'enum', name: enumName, value: ENUMS[enumName], start: name.start, end: name.end };
    }
    if (functionNames.includes(name.text)) {
      throw syntaxError(
        this.text,
        'expression.syntax',
        `function "${name.text}" must be called with parentheses`,
        name.start,
        name.end,
        `write ${name.text}(…)`,
      );
    }
    // Only bare names are candidates: a misspelt function is followed by "(" and is caught later.
    const suggestion = closestName(name.text, [...KEYWORDS, ...Object.keys(ENUMS)]);
    let hint = suggestion === undefined ? undefined : `did you mean "${suggestion}"?`;
    if (hint === undefined) {
      hint = LOGICAL_WORDS.has(name.text.toLowerCase())
        ? 'there are no AND/OR/NOT operators: nest IIF calls, or use Not()'
        : 'text must be quoted ("…") and attributes bracketed ([…])';
    }
    throw syntaxError(
      this.text,
      'expression.unknown_identifier',
      `unknown name "${name.text}"${suggestion === undefined ? '' : ` — did you mean "${suggestion}"?`}`,
      name.start,
      name.end,
      hint,
    );
  }

  private parseCall(name: Token): FunctionCallNode {
    const open = this.advance();
    if (++this.depth > MAX_NESTING_DEPTH) {
      throw syntaxError(
        this.text,
        'expression.too_deep',
        `functions are nested more than ${MAX_NESTING_DEPTH} levels deep`,
        name.start,
        open.end,
      );
    }
    const args: ArgumentNode[] = [];
    if (this.current.kind === 'rparen') {
      const close = this.advance();
      this.depth--;
      return { kind: 'call', name: name.text, nameEnd: name.end, args, start: name.start, end: close.end };
    }
    for (;;) {
      const token = this.current;
      if (token.kind === 'comma' || token.kind === 'rparen') {
        args.push({ kind: 'omitted', start: token.start, end: token.start });
      } else if (token.kind === 'eof') {
        throw this.unclosed(name, open);
      } else {
        args.push(this.parseComparison());
      }
      const after = this.current;
      if (after.kind === 'comma') {
        this.advance();
        continue;
      }
      if (after.kind === 'rparen') {
        this.advance();
        this.depth--;
        return { kind: 'call', name: name.text, nameEnd: name.end, args, start: name.start, end: after.end };
      }
      if (after.kind === 'eof') throw this.unclosed(name, open);
      throw this.unexpectedAfterValue(after, `in the arguments of ${name.text}`);
    }
  }

  private unclosed(name: Token, open: Token): Error {
    return syntaxError(
      this.text,
      'expression.unbalanced',
      `missing ")" to close "${name.text}("`,
      open.start,
      open.end,
      `add ")" at the end of ${name.text}'s arguments`,
    );
  }

  private unexpectedAfterValue(token: Token, where: string): Error {
    let hint = 'separate arguments with ","';
    if (token.kind === 'identifier' && LOGICAL_WORDS.has(token.text.toLowerCase())) {
      hint =
        'there are no AND/OR operators: nest IIF calls (AND along the true branch, OR along the false branch)';
    } else if (where.startsWith('after the end')) {
      hint = 'an expression is a single function call, attribute or constant';
    }
    return syntaxError(
      this.text,
      'expression.syntax',
      `unexpected ${describe(token)} ${where}`,
      token.start,
      token.end,
      hint,
    );
  }
}
