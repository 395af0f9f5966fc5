import {
  formatSignature,
  functionNames,
  parameterAt,
  signatureByName,
  type FunctionSignature,
} from './catalog.js';
import { parseDateText } from './dates.js';
import { closestName, syntaxError, type ExpressionSyntaxError } from './errors.js';
import { functionCompilers, type Condition, type Evaluator, type FunctionCompilation } from './functions.js';
import { parse } from './parser.js';
import type { CompiledExpression, ComparisonOperator, ExpressionNode, FunctionCallNode } from './types.js';
import {
  DateTimeValue,
  FALSE,
  IGNORE_ATTRIBUTE,
  IGNORE_OBJECT,
  TRUE,
  asNumber,
  fail,
  isNull,
  scalar,
  toBoolean,
  toStr,
  type Value,
} from './values.js';

/** Where a compiled expression keeps its closures; not part of the public shape. */
export const INTERNALS: unique symbol = Symbol('provisio.expression.internals');

export interface Internals {
  readonly evaluate: Evaluator;
  /** The rules of a top-level SelectUniqueValue, for the async evaluator. */
  readonly uniqueRules: readonly Evaluator[] | null;
}

export class Compiled implements CompiledExpression {
  readonly [INTERNALS]: Internals;

  constructor(
    readonly text: string,
    readonly ast: ExpressionNode,
    readonly attributes: readonly string[],
    readonly usesSelectUniqueValue: boolean,
    internals: Internals,
  ) {
    this[INTERNALS] = internals;
    Object.freeze(this);
  }
}

/** Parses, checks and compiles; throws ExpressionSyntaxError. */
export function compile(text: string): Compiled {
  const ast = parse(text);
  const attributes = new Set<string>();
  const conditions = new WeakMap<Evaluator, Condition>();
  let uniqueRules: readonly Evaluator[] | null = null;

  const readAttribute = (name: string): Evaluator => {
    attributes.add(name);
    return (s) => {
      const v = s.ctx.getAttribute(name);
      return v === undefined ? null : v;
    };
  };

  const compileNode = (node: ExpressionNode, root: boolean): Evaluator => {
    switch (node.kind) {
      case 'string':
      case 'number':
      case 'enum': {
        const value = node.value;
        return () => value;
      }
      case 'attribute':
        return readAttribute(node.name);
      case 'keyword': {
        const signal = node.name === 'IgnoreAttributeFlow' ? IGNORE_ATTRIBUTE : IGNORE_OBJECT;
        return () => {
          throw signal;
        };
      }
      case 'comparison': {
        const left = compileNode(node.left, false);
        const right = compileNode(node.right, false);
        const operator = node.operator;
        const condition: Condition = (s) => compareValues(left(s), right(s), operator);
        const evaluator: Evaluator = (s) => (condition(s) ? TRUE : FALSE);
        conditions.set(evaluator, condition);
        return evaluator;
      }
      case 'call':
        return compileCall(node, root);
    }
  };

  const compileCall = (node: FunctionCallNode, root: boolean): Evaluator => {
    const signature = signatureByName.get(node.name);
    if (signature === undefined) throw unknownFunction(text, node);
    checkArguments(text, node, signature);
    if (node.name === 'SelectUniqueValue' && !root) {
      throw syntaxError(
        text,
        'expression.nested_select_unique_value',
        'SelectUniqueValue cannot be nested inside another function',
        node.start,
        node.nameEnd,
        'SelectUniqueValue must be the whole expression; nest the other functions inside its rules',
      );
    }
    const args = node.args.map((arg) => (arg.kind === 'omitted' ? null : compileNode(arg, false)));
    const compilation: FunctionCompilation = {
      node,
      args,
      condition: (index) => {
        const evaluator = args[index]!;
        const condition = conditions.get(evaluator);
        if (condition !== undefined) return condition;
        const name = node.name;
        return (s) => toBoolean(evaluator(s), name);
      },
      readAttribute,
      error: (code, message, index, hint): ExpressionSyntaxError => {
        const arg = index === undefined ? undefined : node.args[index];
        const start = arg === undefined ? node.start : arg.start;
        const end = arg === undefined ? node.nameEnd : arg.end;
        return syntaxError(text, code, message, start, end, hint);
      },
      setUniqueRules: (rules) => {
        if (root) uniqueRules = rules;
      },
    };
    return functionCompilers[node.name]!(compilation);
  };

  const evaluate = compileNode(ast, true);
  const usesSelectUniqueValue = ast.kind === 'call' && ast.name === 'SelectUniqueValue';
  return new Compiled(text, ast, Object.freeze([...attributes]), usesSelectUniqueValue, {
    evaluate,
    uniqueRules,
  });
}

function unknownFunction(text: string, node: FunctionCallNode): ExpressionSyntaxError {
  const suggestion = closestName(node.name, functionNames);
  const sameLetters = suggestion !== undefined && suggestion.toLowerCase() === node.name.toLowerCase();
  return syntaxError(
    text,
    'expression.unknown_function',
    `unknown function "${node.name}"${suggestion === undefined ? '' : ` — did you mean "${suggestion}"?`}`,
    node.start,
    node.nameEnd,
    sameLetters
      ? 'function names are case-sensitive'
      : suggestion === undefined
        ? 'see the function list of the expression builder'
        : `did you mean "${suggestion}"?`,
  );
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function checkArguments(text: string, node: FunctionCallNode, signature: FunctionSignature): void {
  const count = node.args.length;
  const { minArgs: min, maxArgs: max } = signature;
  // Messages are built only on failure: compiling a long expression checks hundreds of calls.
  const usage = (): string => formatSignature(signature);
  const expected = (): string =>
    min === max
      ? plural(min, 'argument')
      : max === Infinity
        ? `at least ${plural(min, 'argument')}`
        : `${min} to ${plural(max, 'argument')}`;
  if (count < min) {
    const missing = signature.parameters
      .slice(count)
      .filter((param) => param.required)
      .map((param) => param.name);
    const what = missing.length > 0 && min === max ? ` (missing ${missing.join(', ')})` : '';
    throw syntaxError(
      text,
      'expression.arity',
      `${node.name} expects ${expected()} but got ${count}${what}`,
      node.end - 1,
      node.end,
      usage(),
    );
  }
  if (count > max) {
    const first = node.args[max]!;
    const last = node.args[count - 1]!;
    throw syntaxError(
      text,
      'expression.arity',
      `${node.name} expects ${expected()} but got ${count}`,
      first.start,
      last.end,
      usage(),
    );
  }
  if (node.name === 'Switch' && (count - 2) % 2 !== 0) {
    const last = node.args[count - 1]!;
    throw syntaxError(
      text,
      'expression.arity',
      'Switch needs its keys and values in pairs: the last key has no value',
      last.start,
      last.end,
      usage(),
    );
  }
  node.args.forEach((arg, index) => {
    if (arg.kind !== 'omitted') return;
    const param = parameterAt(signature, index, count);
    if (param !== undefined && param.required && param.repeating !== true) {
      throw syntaxError(
        text,
        'expression.arity',
        `${node.name}: argument ${index + 1} (${param.name}) is required but was left empty`,
        arg.start,
        arg.end,
        usage(),
      );
    }
  });
}

// ------------------------------------------------------------------------------------------
// Comparison operators

/**
 * `=` and `<>` on multi-valued values test whether any value matches; the ordering
 * operators use the first value. A null on either side makes the comparison false, which
 * is the documented "condition check fails" of IIF.
 */
export function compareValues(a: Value, b: Value, operator: ComparisonOperator): boolean {
  if (isNull(a) || isNull(b)) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (operator === '=' || operator === '<>') {
      const left = Array.isArray(a) ? a : [a];
      const right = Array.isArray(b) ? b : [b];
      const any = left.some((x) => right.some((y) => compareScalars(scalar(x), scalar(y), '=')));
      return operator === '=' ? any : !any;
    }
    return compareScalars(scalar(a), scalar(b), operator);
  }
  return compareScalars(a, b, operator);
}

function dateMsForComparison(v: Exclude<Value, Value[] | null>): number {
  if (v instanceof DateTimeValue) return v.ms;
  const text = toStr(v);
  const ms = parseDateText(text);
  return ms ?? fail('expression.invalid_date', `cannot compare ${JSON.stringify(text)} with a date`);
}

const booleanOf = (v: Exclude<Value, Value[] | null>): boolean | undefined => {
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string') return undefined;
  const lower = v.trim().toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
};

function compareScalars(
  a: Exclude<Value, Value[]>,
  b: Exclude<Value, Value[]>,
  operator: ComparisonOperator,
): boolean {
  if (a === null || b === null) return false;
  let order: number;
  if (a instanceof DateTimeValue || b instanceof DateTimeValue) {
    order = Math.sign(dateMsForComparison(a) - dateMsForComparison(b));
  } else if (typeof a === 'boolean' || typeof b === 'boolean') {
    // A boolean attribute compares with "True"/"true" alike.
    const x = booleanOf(a);
    const y = booleanOf(b);
    if (x === undefined || y === undefined) order = ordinal(toStr(a), toStr(b));
    else order = x === y ? 0 : x ? 1 : -1;
  } else if (typeof a === 'number' || typeof b === 'number') {
    const x = asNumber(a);
    const y = asNumber(b);
    if (x === undefined || y === undefined) order = ordinal(toStr(a), toStr(b));
    else if (Number.isNaN(x) || Number.isNaN(y)) return operator === '<>';
    else order = x < y ? -1 : x > y ? 1 : 0;
  } else {
    order = ordinal(a, b);
  }
  switch (operator) {
    case '=':
      return order === 0;
    case '<>':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}

/** Case-sensitive code-unit order, as .NET's ordinal comparison. */
const ordinal = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
