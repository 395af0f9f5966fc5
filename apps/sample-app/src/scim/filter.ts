// SCIM filter expressions (RFC 7644 §3.4.2.2): a tokenizer, a recursive-descent parser, resolution of
// attribute names against the resource type, and an evaluator that follows each attribute's type and
// caseExact rule. The grammar, by precedence from loosest: `or`, `and`, `not`, then grouping with
// parentheses, `attr[valFilter]` value paths, `attr pr` and `attr OP value`.

import { invalidFilter } from './errors';
import { formatResolved, resolveAttrPath, type ResolveContext, type ResolvedAttr } from './attribute-paths';
import type { AttributeDef } from './schemas';

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type CompValue = string | number | boolean | null;

const COMPARE_OPS = new Set<string>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);

// ---------------------------------------------------------------------------------------------
// Tokens

type Token =
  | { t: 'lparen' | 'rparen' | 'lbracket' | 'rbracket' | 'end'; at: number }
  | { t: 'string'; v: string; at: number }
  | { t: 'word'; v: string; at: number };

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/;

function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(') {
      out.push({ t: 'lparen', at: i++ });
    } else if (c === ')') {
      out.push({ t: 'rparen', at: i++ });
    } else if (c === '[') {
      out.push({ t: 'lbracket', at: i++ });
    } else if (c === ']') {
      out.push({ t: 'rbracket', at: i++ });
    } else if (c === '"') {
      const start = i++;
      while (i < input.length && input[i] !== '"') i += input[i] === '\\' ? 2 : 1;
      if (i >= input.length) throw invalidFilter(`Unterminated string starting at position ${start + 1}.`);
      i++;
      let value: unknown;
      try {
        value = JSON.parse(input.slice(start, i));
      } catch {
        throw invalidFilter(`Invalid escape in the string starting at position ${start + 1}.`);
      }
      out.push({ t: 'string', v: value as string, at: start });
    } else {
      const start = i;
      while (i < input.length && !' \t\n\r()[]"'.includes(input[i]!)) i++;
      out.push({ t: 'word', v: input.slice(start, i), at: start });
    }
  }
  out.push({ t: 'end', at: input.length });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Unresolved syntax tree

type RawNode =
  | { k: 'and' | 'or'; l: RawNode; r: RawNode }
  | { k: 'not'; e: RawNode }
  | { k: 'cmp'; path: string; op: CompareOp; value: CompValue; at: number }
  | { k: 'pr'; path: string; at: number }
  | { k: 'vp'; path: string; filter: RawNode; at: number };

/** Deeper nesting than any real client sends; the limit keeps a hostile filter off the stack. */
const MAX_DEPTH = 64;

class Parser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos]!;
  }
  private next(): Token {
    return this.tokens[this.pos++]!;
  }
  private isWord(tok: Token, word: string): boolean {
    return tok.t === 'word' && tok.v.toLowerCase() === word;
  }

  parseAll(): RawNode {
    const node = this.parseOr(false);
    const tok = this.peek();
    if (tok.t !== 'end') throw invalidFilter(`Unexpected ${describe(tok)} at position ${tok.at + 1}.`);
    return node;
  }

  private parseOr(inBrackets: boolean): RawNode {
    let left = this.parseAnd(inBrackets);
    while (this.isWord(this.peek(), 'or')) {
      this.next();
      left = { k: 'or', l: left, r: this.parseAnd(inBrackets) };
    }
    return left;
  }

  private parseAnd(inBrackets: boolean): RawNode {
    let left = this.parseUnary(inBrackets);
    while (this.isWord(this.peek(), 'and')) {
      this.next();
      left = { k: 'and', l: left, r: this.parseUnary(inBrackets) };
    }
    return left;
  }

  private parseUnary(inBrackets: boolean): RawNode {
    if (++this.depth > MAX_DEPTH) throw invalidFilter(`The filter nests deeper than ${MAX_DEPTH} levels.`);
    try {
      return this.parseUnaryInner(inBrackets);
    } finally {
      this.depth--;
    }
  }

  private parseUnaryInner(inBrackets: boolean): RawNode {
    const tok = this.peek();
    if (this.isWord(tok, 'not')) {
      this.next();
      return { k: 'not', e: this.parseUnary(inBrackets) };
    }
    if (tok.t === 'lparen') {
      this.next();
      const inner = this.parseOr(inBrackets);
      const close = this.next();
      if (close.t !== 'rparen') throw invalidFilter(`Expected ')' at position ${close.at + 1}.`);
      return inner;
    }
    return this.parseAttrExp(inBrackets);
  }

  private parseAttrExp(inBrackets: boolean): RawNode {
    const tok = this.next();
    if (tok.t !== 'word' || NUMBER.test(tok.v)) {
      throw invalidFilter(`Expected an attribute name at position ${tok.at + 1}, found ${describe(tok)}.`);
    }
    const path = tok.v;
    const opTok = this.peek();
    if (opTok.t === 'lbracket') {
      if (inBrackets) throw invalidFilter(`Value filters cannot be nested (position ${opTok.at + 1}).`);
      this.next();
      const inner = this.parseOr(true);
      const close = this.next();
      if (close.t !== 'rbracket') throw invalidFilter(`Expected ']' at position ${close.at + 1}.`);
      const after = this.peek();
      // `emails[type eq "work"].value eq "x"`: not in the RFC filter grammar, but the obvious reading
      // (one element satisfies both) is what clients mean by it.
      if (after.t === 'word' && after.v.startsWith('.')) {
        this.next();
        const subTok: Token = { t: 'word', v: after.v.slice(1), at: after.at + 1 };
        this.tokens.splice(this.pos, 0, subTok);
        const subExp = this.parseAttrExp(true);
        return { k: 'vp', path, filter: { k: 'and', l: inner, r: subExp }, at: tok.at };
      }
      return { k: 'vp', path, filter: inner, at: tok.at };
    }
    if (opTok.t !== 'word')
      throw invalidFilter(`Expected an operator after '${path}' at position ${opTok.at + 1}.`);
    this.next();
    const op = opTok.v.toLowerCase();
    if (op === 'pr') return { k: 'pr', path, at: tok.at };
    if (!COMPARE_OPS.has(op))
      throw invalidFilter(`Unknown operator '${opTok.v}' at position ${opTok.at + 1}.`);
    const valTok = this.next();
    return { k: 'cmp', path, op: op as CompareOp, value: compValue(valTok), at: tok.at };
  }
}

function compValue(tok: Token): CompValue {
  if (tok.t === 'string') return tok.v;
  if (tok.t !== 'word')
    throw invalidFilter(`Expected a value at position ${tok.at + 1}, found ${describe(tok)}.`);
  const lower = tok.v.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (NUMBER.test(tok.v)) return Number(tok.v);
  // An unquoted word: invalid per the grammar, but Entra's documentation shows `externalId eq jyoung`.
  return tok.v;
}

function describe(tok: Token): string {
  switch (tok.t) {
    case 'end':
      return 'the end of the filter';
    case 'string':
      return `"${tok.v}"`;
    case 'word':
      return `'${tok.v}'`;
    default:
      return `'${{ lparen: '(', rparen: ')', lbracket: '[', rbracket: ']' }[tok.t]}'`;
  }
}

// ---------------------------------------------------------------------------------------------
// Resolved tree

/** Where a compared value is found, relative to the resource (or to one element in a value path). */
export interface Target {
  keys: string[];
  def: AttributeDef;
  resolved: ResolvedAttr | null;
}

export type FilterNode =
  | { k: 'and' | 'or'; l: FilterNode; r: FilterNode }
  | { k: 'not'; e: FilterNode }
  | { k: 'cmp'; target: Target; op: CompareOp; value: CompValue; raw?: CompValue; time?: number }
  | { k: 'pr'; target: Target }
  | { k: 'vp'; target: Target; filter: FilterNode };

export interface ParsedFilter {
  root: FilterNode;
  /** Canonical names of every attribute the filter reads, lowercased (`emails`, `emails.value`, …). */
  attributes: Set<string>;
}

/** Parses and resolves a filter; throws a 400 invalidFilter ScimError on any problem. */
export function parseFilter(ctx: ResolveContext, input: string): ParsedFilter {
  if (input.trim() === '') throw invalidFilter('The filter is empty.');
  if (input.length > 10_000) throw invalidFilter('The filter is longer than 10,000 characters.');
  const raw = new Parser(tokenize(input)).parseAll();
  const attributes = new Set<string>();
  const root = resolveNode(ctx, raw, null, attributes);
  return { root, attributes };
}

/**
 * Parses a filter that appears inside a PATCH path's brackets; its attribute names are relative to
 * the multi-valued attribute `parent`.
 */
export function parseValueFilter(ctx: ResolveContext, input: string, parent: AttributeDef): FilterNode {
  const raw = new Parser(tokenize(input)).parseAll();
  return resolveNode(ctx, raw, parent, new Set());
}

function resolveNode(
  ctx: ResolveContext,
  n: RawNode,
  parent: AttributeDef | null,
  seen: Set<string>,
): FilterNode {
  switch (n.k) {
    case 'and':
    case 'or':
      return { k: n.k, l: resolveNode(ctx, n.l, parent, seen), r: resolveNode(ctx, n.r, parent, seen) };
    case 'not':
      return { k: 'not', e: resolveNode(ctx, n.e, parent, seen) };
    case 'pr':
      return { k: 'pr', target: resolveTarget(ctx, n.path, parent, seen, false) };
    case 'vp': {
      if (parent) throw invalidFilter('Value filters cannot be nested.');
      const target = resolveTarget(ctx, n.path, null, seen, false);
      if (target.def.type !== 'complex' || !target.def.multiValued) {
        throw invalidFilter(`'${n.path}' is not a multi-valued complex attribute, so it takes no [filter].`);
      }
      return { k: 'vp', target, filter: resolveNode(ctx, n.filter, target.def, seen) };
    }
    case 'cmp': {
      const target = resolveTarget(ctx, n.path, parent, seen, true);
      return resolveCompare(target, n.op, n.value, n.path);
    }
  }
}

function resolveTarget(
  ctx: ResolveContext,
  path: string,
  parent: AttributeDef | null,
  seen: Set<string>,
  forCompare: boolean,
): Target {
  let target: Target;
  if (parent) {
    const def = parent.subByName?.get(path.toLowerCase());
    if (!def) throw invalidFilter(`'${path}' is not a sub-attribute of '${parent.name}'.`);
    seen.add(`${parent.name}.${def.name}`.toLowerCase());
    target = { keys: [def.name], def, resolved: null };
  } else {
    const r = resolveAttrPath(ctx, path);
    if (!r) throw invalidFilter(`'${path}' is not an attribute of ${ctx.type.kind}.`);
    seen.add(r.attr.name.toLowerCase());
    seen.add(formatResolved(r).toLowerCase());
    if (r.container) seen.add(`${r.container}:${r.attr.name}`.toLowerCase());
    const keys = r.container ? [r.container, r.attr.name] : [r.attr.name];
    if (r.sub) keys.push(r.sub.name);
    target = { keys, def: r.sub ?? r.attr, resolved: r };
  }
  // Comparing a complex attribute means comparing its `value` (e.g. `manager eq "id"`, `emails co "@x"`).
  if (forCompare && target.def.type === 'complex') {
    const value = target.def.subByName?.get('value');
    if (!value) throw invalidFilter(`'${path}' is complex; compare one of its sub-attributes.`);
    target = { keys: [...target.keys, 'value'], def: value, resolved: target.resolved };
  }
  return target;
}

function resolveCompare(target: Target, op: CompareOp, value: CompValue, path: string): FilterNode {
  const def = target.def;
  if (value === null) {
    if (op !== 'eq' && op !== 'ne') throw invalidFilter(`'${op}' cannot compare with null.`);
    // `x eq null` reads as "x has no value".
    const pr: FilterNode = { k: 'pr', target };
    return op === 'eq' ? { k: 'not', e: pr } : pr;
  }
  switch (def.type) {
    case 'boolean': {
      if (op !== 'eq' && op !== 'ne') throw invalidFilter(`'${path}' is boolean; only eq, ne and pr apply.`);
      let v = value;
      if (typeof v === 'string' && /^(true|false)$/i.test(v)) v = v.toLowerCase() === 'true';
      if (typeof v !== 'boolean') throw invalidFilter(`'${path}' is boolean; compare it with true or false.`);
      return { k: 'cmp', target, op, value: v };
    }
    case 'binary':
      if (op !== 'eq' && op !== 'ne') throw invalidFilter(`'${path}' is binary; only eq, ne and pr apply.`);
      return { k: 'cmp', target, op, value: String(value) };
    case 'integer':
    case 'decimal':
      if (op === 'co' || op === 'sw' || op === 'ew')
        throw invalidFilter(`'${path}' is a number; '${op}' does not apply.`);
      if (typeof value !== 'number') throw invalidFilter(`'${path}' is a number; compare it with a number.`);
      return { k: 'cmp', target, op, value };
    case 'dateTime': {
      if (typeof value !== 'string')
        throw invalidFilter(`'${path}' is a dateTime; compare it with a quoted date.`);
      if (op === 'co' || op === 'sw' || op === 'ew') return { k: 'cmp', target, op, value };
      const time = Date.parse(value);
      if (Number.isNaN(time)) throw invalidFilter(`'${value}' is not a valid dateTime.`);
      return { k: 'cmp', target, op, value, time };
    }
    default:
      // Numbers and booleans compared with a string attribute compare as their text (`employeeNumber eq 42`).
      return {
        k: 'cmp',
        target,
        op,
        value: def.caseExact ? String(value) : String(value).toLowerCase(),
        raw: value,
      };
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** Collects the values at `keys`, flattening multi-valued attributes along the way. */
function collect(obj: unknown, keys: string[], from = 0, out: unknown[] = []): unknown[] {
  if (obj === undefined || obj === null) return out;
  if (Array.isArray(obj)) {
    for (const item of obj) collect(item, keys, from, out);
    return out;
  }
  if (from === keys.length) {
    out.push(obj);
    return out;
  }
  if (typeof obj !== 'object') return out;
  return collect((obj as Record<string, unknown>)[keys[from]!], keys, from + 1, out);
}

export function isPresent(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return false;
  if (Array.isArray(v)) return v.some(isPresent);
  if (typeof v === 'object') return Object.values(v as object).some(isPresent);
  return true;
}

function compareOne(node: Extract<FilterNode, { k: 'cmp' }>, actual: unknown): boolean {
  const { op, value, target } = node;
  const def = target.def;
  if (actual === null || actual === undefined) return false;
  if (node.time !== undefined) {
    const t = typeof actual === 'string' ? Date.parse(actual) : NaN;
    if (Number.isNaN(t)) return false;
    return ordered(op, t, node.time);
  }
  if (def.type === 'boolean') return actual === value;
  if (def.type === 'integer' || def.type === 'decimal') {
    return typeof actual === 'number' && ordered(op, actual, value as number);
  }
  let a = typeof actual === 'string' ? actual : String(actual);
  if (!def.caseExact) a = a.toLowerCase();
  const v = value as string;
  switch (op) {
    case 'co':
      return a.includes(v);
    case 'sw':
      return a.startsWith(v);
    case 'ew':
      return a.endsWith(v);
    default:
      return ordered(op, a, v);
  }
}

function ordered<T extends number | string>(op: CompareOp, a: T, b: T): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
    default:
      return false;
  }
}

/** Evaluates a resolved filter against a resource (or one element of a multi-valued attribute). */
export function matches(node: FilterNode, obj: unknown): boolean {
  switch (node.k) {
    case 'and':
      return matches(node.l, obj) && matches(node.r, obj);
    case 'or':
      return matches(node.l, obj) || matches(node.r, obj);
    case 'not':
      return !matches(node.e, obj);
    case 'pr':
      return collect(obj, node.target.keys).some(isPresent);
    case 'vp': {
      const items = collect(obj, node.target.keys);
      return items.some((item) => matches(node.filter, item));
    }
    case 'cmp': {
      const values = collect(obj, node.target.keys);
      // `ne` is the negation of `eq` over all values, so an absent attribute is "not equal".
      if (node.op === 'ne') return !values.some((v) => compareOne({ ...node, op: 'eq' }, v));
      return values.some((v) => compareOne(node, v));
    }
  }
}

/** The attributes a filter can be narrowed on through an index, in order of selectivity. */
export type IndexedAttribute = 'id' | 'userName' | 'externalId' | 'displayName';
const INDEXED: IndexedAttribute[] = ['id', 'userName', 'externalId', 'displayName'];

/**
 * Finds an `eq` on an indexed top-level attribute that every match must satisfy (the filter itself or
 * one conjunct of its top-level `and` chain), so the store can fetch candidates by index and the
 * evaluator only checks those.
 */
export function indexedEquality(root: FilterNode): { attribute: IndexedAttribute; value: string } | null {
  const conjuncts: FilterNode[] = [];
  const walk = (n: FilterNode): void => {
    if (n.k === 'and') {
      walk(n.l);
      walk(n.r);
    } else conjuncts.push(n);
  };
  walk(root);
  let best: { attribute: IndexedAttribute; value: string } | null = null;
  for (const c of conjuncts) {
    if (c.k !== 'cmp' || c.op !== 'eq' || typeof c.value !== 'string') continue;
    const r = c.target.resolved;
    if (!r || r.container || r.sub) continue;
    const name = r.attr.name as IndexedAttribute;
    if (!INDEXED.includes(name)) continue;
    if (!best || INDEXED.indexOf(name) < INDEXED.indexOf(best.attribute))
      best = { attribute: name, value: c.value };
  }
  return best;
}

/** Collects the `eq` clauses of an all-`and` filter as attribute → value (to build an element to add). */
export function equalityTemplate(node: FilterNode): Record<string, CompValue> | null {
  if (node.k === 'and') {
    const l = equalityTemplate(node.l);
    const r = equalityTemplate(node.r);
    return l && r ? { ...l, ...r } : null;
  }
  if (node.k === 'cmp' && node.op === 'eq' && node.target.keys.length === 1) {
    return { [node.target.keys[0]!]: node.raw ?? node.value };
  }
  return null;
}
