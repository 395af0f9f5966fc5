/**
 * A tokenizer and recursive-descent parser for the part of OData's `$filter`
 * that Microsoft Graph's audit log APIs accept:
 *
 *     filter     := or
 *     or         := and ('or' and)*
 *     and        := primary ('and' primary)*
 *     primary    := '(' or ')' | function | lambda | comparison
 *     function   := ('contains' | 'startswith' | 'endswith') '(' operand ',' literal ')'
 *     lambda     := path '/any' '(' name ':' or ')'
 *     comparison := operand (('eq'|'ne'|'gt'|'ge'|'lt'|'le') literal | 'in' '(' literal (',' literal)* ')')
 *     operand    := path | ('tolower' | 'toupper') '(' path ')'
 *     literal    := 'text' (with '' for a quote) | 2026-11-01T00:00:00Z | 2026-11-01 | GUID | number | true | false | null
 *
 * The parser knows no property names; mapping a tree onto a repository filter
 * (and rejecting unknown properties) is the job of the caller. Positions in
 * errors are 1-based character offsets into the `$filter` text.
 */

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export interface PropertyRef {
  /** Slash-separated path as written, e.g. `provisioningStatusInfo/status`. */
  path: string;
  /** Wrapped in `tolower(...)`/`toupper(...)`. */
  caseFolded: boolean;
  position: number;
}

export interface Literal {
  type: 'string' | 'dateTime' | 'guid' | 'number' | 'boolean' | 'null';
  value: string | number | boolean | null;
  raw: string;
  position: number;
}

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode; position: number }
  | { kind: 'compare'; op: CompareOp; property: PropertyRef; value: Literal; position: number }
  | { kind: 'in'; property: PropertyRef; values: Literal[]; position: number }
  | {
      kind: 'function';
      name: 'contains' | 'startswith' | 'endswith';
      property: PropertyRef;
      value: Literal;
      position: number;
    }
  | {
      kind: 'any';
      /** The collection path, e.g. `targetResources`. */
      collection: string;
      /** The lambda's body; property paths in it have the range variable removed (`t/id` → `id`). */
      predicate: FilterNode;
      position: number;
    };

/** A `$filter` that cannot be read or cannot be served; `position` is 1-based. */
export class FilterError extends Error {
  override readonly name = 'FilterError';
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

type TokenType = 'name' | 'string' | 'dateTime' | 'guid' | 'number' | '(' | ')' | ',' | ':' | 'end';
interface Token {
  type: TokenType;
  text: string;
  /** For strings: the unescaped value. */
  value?: string;
  position: number;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/;
const NUMBER = /^-?\d+(?:\.\d+)?\b/;
const NAME = /^[A-Za-z_$@][A-Za-z0-9_.$@]*(?:\/[A-Za-z_$@][A-Za-z0-9_.$@]*)*/;

const describe = (t: Token) => (t.type === 'end' ? 'the end of the filter' : `'${t.text}'`);

/** Splits a `$filter` into tokens. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    const position = i + 1;
    if (c === '(' || c === ')' || c === ',' || c === ':') {
      tokens.push({ type: c, text: c, position });
      i += 1;
      continue;
    }
    if (c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) {
          throw new FilterError(
            `The text starting at position ${position} is missing its closing quote ('). Close it; write '' for a quote inside the text.`,
            position,
          );
        }
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j];
        j += 1;
      }
      tokens.push({ type: 'string', text: text.slice(i, j + 1), value, position });
      i = j + 1;
      continue;
    }
    const rest = text.slice(i);
    const match =
      (GUID.exec(rest) && { type: 'guid' as const, m: GUID.exec(rest)! }) ||
      (DATE_TIME.exec(rest) && { type: 'dateTime' as const, m: DATE_TIME.exec(rest)! }) ||
      (NUMBER.exec(rest) && { type: 'number' as const, m: NUMBER.exec(rest)! }) ||
      (NAME.exec(rest) && { type: 'name' as const, m: NAME.exec(rest)! });
    if (!match) {
      throw new FilterError(
        `Unexpected character '${c}' at position ${position}. Put text values in single quotes, e.g. jobId eq 'scim.1234'.`,
        position,
      );
    }
    tokens.push({ type: match.type, text: match.m[0], position });
    i += match.m[0].length;
  }
  tokens.push({ type: 'end', text: '', position: text.length + 1 });
  return tokens;
}

const COMPARE_OPS: readonly string[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];
const FUNCTIONS: readonly string[] = ['contains', 'startswith', 'endswith'];
const CASE_FOLDS: readonly string[] = ['tolower', 'toupper'];
const KEYWORDS: readonly string[] = [...COMPARE_OPS, 'and', 'or', 'not', 'in'];

class Parser {
  private index = 0;
  /** Range variables of the enclosing `any(...)` lambdas, innermost last. */
  private readonly variables: string[] = [];

  constructor(private readonly tokens: Token[]) {}

  parse(): FilterNode {
    const node = this.or();
    const next = this.peek();
    if (next.type !== 'end') {
      throw new FilterError(
        `Unexpected ${describe(next)} at position ${next.position}: expected 'and', 'or' or the end of the filter.`,
        next.position,
      );
    }
    return node;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]!;
  }
  private take(): Token {
    const t = this.peek();
    if (t.type !== 'end') this.index += 1;
    return t;
  }
  private isWord(t: Token, word: string): boolean {
    return t.type === 'name' && t.text.toLowerCase() === word;
  }
  private expect(type: TokenType, what: string): Token {
    const t = this.peek();
    if (t.type !== type) {
      throw new FilterError(`Expected ${what} at position ${t.position}, found ${describe(t)}.`, t.position);
    }
    return this.take();
  }

  private or(): FilterNode {
    let left = this.and();
    while (this.isWord(this.peek(), 'or')) {
      const op = this.take();
      left = { kind: 'or', left, right: this.and(), position: op.position };
    }
    return left;
  }

  private and(): FilterNode {
    let left = this.primary();
    while (this.isWord(this.peek(), 'and')) {
      const op = this.take();
      left = { kind: 'and', left, right: this.primary(), position: op.position };
    }
    return left;
  }

  private primary(): FilterNode {
    const t = this.peek();
    if (t.type === '(') {
      this.take();
      const inner = this.or();
      this.expect(')', "')' to close the parenthesis");
      return inner;
    }
    if (t.type !== 'name' || KEYWORDS.includes(t.text.toLowerCase())) {
      if (this.isWord(t, 'not')) {
        throw new FilterError(
          `'not' (position ${t.position}) is not supported. Use ne, or list the values you want with eq ... or eq ...`,
          t.position,
        );
      }
      throw new FilterError(
        `Expected a condition at position ${t.position}, found ${describe(t)}. A condition looks like property eq 'value' or contains(property, 'text').`,
        t.position,
      );
    }
    const lower = t.text.toLowerCase();
    if (FUNCTIONS.includes(lower) && this.peek(1).type === '(') {
      this.take();
      this.take();
      const property = this.operand();
      this.expect(',', `',' after the property of ${lower}(...)`);
      const value = this.literal();
      this.expect(')', `')' to close ${lower}(...)`);
      return {
        kind: 'function',
        name: lower as 'contains' | 'startswith' | 'endswith',
        property,
        value,
        position: t.position,
      };
    }
    if (/\/any$/i.test(t.text) && this.peek(1).type === '(') {
      return this.lambda();
    }
    if (this.peek(1).type === '(' && !CASE_FOLDS.includes(lower)) {
      throw new FilterError(
        `Unknown function '${t.text}' at position ${t.position}. Supported: contains, startswith, endswith, tolower, toupper and collection/any(x: ...).`,
        t.position,
      );
    }
    const property = this.operand();
    const op = this.peek();
    if (this.isWord(op, 'in')) {
      this.take();
      this.expect('(', "'(' after 'in'");
      const values = [this.literal()];
      while (this.peek().type === ',') {
        this.take();
        values.push(this.literal());
      }
      this.expect(')', "')' to close the list of 'in'");
      return { kind: 'in', property, values, position: property.position };
    }
    if (op.type !== 'name' || !COMPARE_OPS.includes(op.text.toLowerCase())) {
      throw new FilterError(
        `Expected an operator (eq, ne, gt, ge, lt, le or in) after '${property.path}' at position ${op.position}, found ${describe(op)}.`,
        op.position,
      );
    }
    this.take();
    const value = this.literal();
    return {
      kind: 'compare',
      op: op.text.toLowerCase() as CompareOp,
      property,
      value,
      position: property.position,
    };
  }

  private lambda(): FilterNode {
    const t = this.take();
    const collection = t.text.slice(0, -'/any'.length);
    this.expect('(', "'(' after any");
    const variable = this.expect('name', "a range variable such as 't'");
    if (variable.text.includes('/')) {
      throw new FilterError(
        `Expected a range variable such as 't' at position ${variable.position}.`,
        variable.position,
      );
    }
    this.expect(':', `':' after the range variable '${variable.text}'`);
    this.variables.push(variable.text);
    const predicate = this.or();
    this.variables.pop();
    this.expect(')', "')' to close any(...)");
    return { kind: 'any', collection, predicate, position: t.position };
  }

  private operand(): PropertyRef {
    const t = this.peek();
    if (t.type === 'name' && CASE_FOLDS.includes(t.text.toLowerCase()) && this.peek(1).type === '(') {
      this.take();
      this.take();
      const inner = this.path();
      this.expect(')', `')' to close ${t.text.toLowerCase()}(...)`);
      return { ...inner, caseFolded: true, position: t.position };
    }
    return this.path();
  }

  private path(): PropertyRef {
    const t = this.expect('name', 'a property name');
    if (KEYWORDS.includes(t.text.toLowerCase())) {
      throw new FilterError(
        `Expected a property name at position ${t.position}, found the keyword '${t.text}'.`,
        t.position,
      );
    }
    let path = t.text;
    const variable = this.variables[this.variables.length - 1];
    if (variable !== undefined) {
      if (!path.startsWith(`${variable}/`)) {
        throw new FilterError(
          `Inside any(${variable}: ...) properties start with '${variable}/', e.g. ${variable}/id (position ${t.position}).`,
          t.position,
        );
      }
      path = path.slice(variable.length + 1);
    }
    return { path, caseFolded: false, position: t.position };
  }

  private literal(): Literal {
    const t = this.take();
    switch (t.type) {
      case 'string':
        return { type: 'string', value: t.value ?? '', raw: t.text, position: t.position };
      case 'dateTime':
        return { type: 'dateTime', value: t.text, raw: t.text, position: t.position };
      case 'guid':
        return { type: 'guid', value: t.text.toLowerCase(), raw: t.text, position: t.position };
      case 'number':
        return { type: 'number', value: Number(t.text), raw: t.text, position: t.position };
      case 'name': {
        const lower = t.text.toLowerCase();
        if (lower === 'true' || lower === 'false')
          return { type: 'boolean', value: lower === 'true', raw: t.text, position: t.position };
        if (lower === 'null') return { type: 'null', value: null, raw: t.text, position: t.position };
        throw new FilterError(
          `Expected a value at position ${t.position}, found '${t.text}'. Put text in single quotes: '${t.text}'.`,
          t.position,
        );
      }
      default:
        throw new FilterError(
          `Expected a value at position ${t.position}, found ${describe(t)}. Values are 'text' in single quotes, dates such as 2026-11-01T00:00:00Z, numbers, true, false or null.`,
          t.position,
        );
    }
  }
}

/**
 * Parses a `$filter` into a tree.
 *
 * @example parseFilter("provisioningAction eq 'create' and activityDateTime gt 2026-11-01")
 */
export function parseFilter(text: string): FilterNode {
  if (text.trim() === '') throw new FilterError('The $filter is empty. Leave it out to list everything.', 1);
  return new Parser(tokenize(text)).parse();
}

/** The conditions ANDed at the top of a tree (`a and (b or c)` → `[a, (b or c)]`). */
export function conjuncts(node: FilterNode): FilterNode[] {
  return node.kind === 'and' ? [...conjuncts(node.left), ...conjuncts(node.right)] : [node];
}

/** The alternatives ORed at the top of a tree. */
export function disjuncts(node: FilterNode): FilterNode[] {
  return node.kind === 'or' ? [...disjuncts(node.left), ...disjuncts(node.right)] : [node];
}

/**
 * A date literal as the ISO 8601 UTC text the database stores
 * (`2026-11-01` → `2026-11-01T00:00:00.000Z`), so text comparison is time comparison.
 */
export function toIsoInstant(literal: Literal): string | null {
  if (literal.type !== 'dateTime' && literal.type !== 'string') return null;
  const text = String(literal.value);
  if (!DATE_TIME.test(text)) return null;
  const withZone = /T/.test(text) && !/(Z|[+-]\d{2}:\d{2})$/.test(text) ? `${text}Z` : text;
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
