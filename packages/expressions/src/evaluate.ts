import { INTERNALS, compile, type Compiled, type Internals } from './compile.js';
import type { State } from './functions.js';
import type {
  AsyncEvaluationContext,
  CompiledExpression,
  EvaluationContext,
  EvaluationOutcome,
} from './types.js';
import {
  EvaluationFailure,
  FlowSignal,
  isNullOrEmpty,
  scalar,
  toOutput,
  toStr,
  type Value,
} from './values.js';

// Expressions that did not come from compileExpression (e.g. rebuilt from JSON) are
// compiled from their text once and remembered.
const recompiled = new WeakMap<object, Internals>();

function internalsOf(expression: CompiledExpression): Internals {
  const own = (expression as Partial<Compiled>)[INTERNALS];
  if (own !== undefined) return own;
  let internals = recompiled.get(expression);
  if (internals === undefined) {
    internals = compile(expression.text)[INTERNALS];
    recompiled.set(expression, internals);
  }
  return internals;
}

function outcomeOf(error: unknown): EvaluationOutcome {
  if (error instanceof FlowSignal) return { kind: error.kind };
  if (error instanceof EvaluationFailure)
    return { kind: 'error', error: { code: error.code, message: error.message } };
  throw error;
}

/**
 * Evaluates a compiled expression against one source object. Never throws for a problem
 * of the expression or the data: those are `error` outcomes. (An exception thrown by the
 * context's own callbacks is passed through.)
 *
 * @example
 * const expr = compileExpression('Join(".", [givenName], [surname])');
 * evaluateExpression(expr, { getAttribute: (n) => user[n], now: new Date(), random: rng });
 * // { kind: 'value', value: 'John.Smith', redacted: false }
 */
export function evaluateExpression(
  expression: CompiledExpression,
  ctx: EvaluationContext,
): EvaluationOutcome {
  const internals = internalsOf(expression);
  const state: State = { ctx, redacted: false };
  try {
    const value = internals.evaluate(state);
    return { kind: 'value', value: toOutput(value), redacted: state.redacted };
  } catch (error) {
    return outcomeOf(error);
  }
}

function candidateOf(v: Value): string | null {
  const one = scalar(v);
  if (one === null || isNullOrEmpty(one)) return null;
  return toStr(one);
}

/**
 * As evaluateExpression, with an asynchronous uniqueness check for SelectUniqueValue (a
 * query to the target). Only a top-level SelectUniqueValue consults the port, so the rules
 * run synchronously and only the checks are awaited, one after another.
 */
export async function evaluateExpressionAsync(
  expression: CompiledExpression,
  ctx: AsyncEvaluationContext,
): Promise<EvaluationOutcome> {
  const internals = internalsOf(expression);
  const isValueUnique = ctx.isValueUnique;
  const syncContext: EvaluationContext = {
    getAttribute: (name) => ctx.getAttribute(name),
    now: ctx.now,
    random: ctx.random,
  };
  if (ctx.defaultDomain !== undefined) syncContext.defaultDomain = ctx.defaultDomain;
  if (internals.uniqueRules === null || isValueUnique === undefined)
    return evaluateExpression(expression, syncContext);

  const state: State = { ctx: syncContext, redacted: false };
  try {
    let tried = 0;
    for (const rule of internals.uniqueRules) {
      const candidate = candidateOf(rule(state));
      if (candidate === null) continue;
      if (await isValueUnique(candidate))
        return { kind: 'value', value: candidate, redacted: state.redacted };
      tried++;
    }
    if (tried === 0) return { kind: 'value', value: null, redacted: state.redacted };
    return {
      kind: 'error',
      error: {
        code: 'expression.no_unique_value',
        message: `SelectUniqueValue: all ${tried} generated values already exist in the target`,
      },
    };
  } catch (error) {
    return outcomeOf(error);
  }
}
