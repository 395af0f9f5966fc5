/**
 * @provisio/expressions — the attribute-mapping expression language: lexer, parser,
 * compiler to closures and evaluator. Pure: time, randomness and the target lookup of
 * SelectUniqueValue come in through the EvaluationContext.
 */
import { compile } from './compile.js';
import { ExpressionSyntaxError } from './errors.js';
import type { CompiledExpression, ParseResult } from './types.js';
import { signatures } from './catalog.js';
import type { FunctionInfo } from './types.js';

export type {
  ArgumentNode,
  AsyncEvaluationContext,
  AttributeMappingSource,
  AttributeNode,
  ComparisonNode,
  ComparisonOperator,
  CompiledExpression,
  EnumNode,
  EvaluationContext,
  EvaluationOutcome,
  ExpressionError,
  ExpressionNode,
  ExpressionValue,
  FunctionCallNode,
  FunctionInfo,
  FunctionParameterInfo,
  KeywordNode,
  NumberNode,
  OmittedNode,
  ParseResult,
  StringNode,
} from './types.js';
export { ExpressionSyntaxError } from './errors.js';
export { evaluateExpression, evaluateExpressionAsync } from './evaluate.js';
export { printExpression, toAttributeMappingSource } from './print.js';
export { MAX_EXPRESSION_LENGTH } from './parser.js';

/**
 * Parses and compiles an expression. Never throws: a problem is `{ ok: false, error }` with
 * the position, a code and usually a hint.
 *
 * @example
 * const result = parseExpression('Joinn(",", [a])');
 * // { ok: false, error: { code: 'expression.unknown_function',
 * //   message: 'unknown function "Joinn" — did you mean "Join"?', start: 0, end: 5, … } }
 */
export function parseExpression(text: string): ParseResult {
  if (typeof text !== 'string') {
    return {
      ok: false,
      error: {
        code: 'expression.syntax',
        message: 'the expression must be a string',
        start: 0,
        end: 0,
        line: 1,
        column: 1,
      },
    };
  }
  try {
    return { ok: true, expression: compile(text) };
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) return { ok: false, error: error.error };
    // A defect of this package, not of the expression: still reported, never thrown.
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      error: {
        code: 'expression.internal',
        message: `internal error: ${message}`,
        start: 0,
        end: 0,
        line: 1,
        column: 1,
      },
    };
  }
}

/** Parses and compiles, throwing ExpressionSyntaxError (with `.error`) on a problem. */
export function compileExpression(text: string): CompiledExpression {
  return compile(text);
}

/** Every function with its parameters, for Graph's `schema/functions` and the expression builder. */
export const functionCatalog: readonly FunctionInfo[] = Object.freeze(
  signatures.map((s) => ({
    name: s.name,
    parameters: s.parameters.map((p) => ({ ...p })),
    description: s.description,
  })),
);
