import type {
  AttributeMappingFunctionSchema,
  AttributeMappingParameterSchema,
  ExpressionInputObject,
  ObjectMapping,
  ParseExpressionResponse,
} from '@provisio/contracts';
import {
  evaluateExpression,
  functionCatalog,
  parseExpression,
  toAttributeMappingSource,
  type ExpressionValue,
} from '@provisio/expressions';
import { buildScopedUserView, compileScopeFilter, type ScopeResult } from './scoping';
import {
  booleanString,
  readSourceAttribute,
  type AppRoleRef,
  type Entitlement,
  type SourceUser,
  type SourceView,
} from './source-view';

/** Our parameter types → Graph's attributeType, the only types the `functions` list may name. */
const GRAPH_TYPE: Record<string, AttributeMappingParameterSchema['type']> = {
  Boolean: 'Boolean',
  DateTime: 'DateTime',
  Integer: 'Integer',
  Number: 'Integer',
  Reference: 'Reference',
  Binary: 'Binary',
};

/**
 * Every function of the expression language in Graph's `attributeMappingFunctionSchema` shape
 * (`GET …/schema/functions`), with a description for the expression builder.
 */
export function listMappingFunctions(): AttributeMappingFunctionSchema[] {
  return functionCatalog.map((f) => ({
    id: f.name,
    name: f.name,
    description: f.description,
    parameters: f.parameters.map((p) => ({
      name: p.name,
      type: GRAPH_TYPE[p.type] ?? 'String',
      allowMultipleOccurrence: p.repeating === true,
      required: p.required,
    })),
  }));
}

/** `buildScopedUserView` for a mapping not yet compiled (the expression builder's test against a user). */
export function buildUserTestView(input: {
  user: SourceUser;
  entitlement: Entitlement | null;
  appRoles: readonly AppRoleRef[];
  syncAll: boolean;
  objectMapping: Pick<ObjectMapping, 'scope'> | null;
}): { view: SourceView; scope: ScopeResult } {
  return buildScopedUserView({
    ...input,
    scope: compileScopeFilter(input.objectMapping?.scope ?? null).scope,
  });
}

/** Graph's `testInputObject.properties` as a source view; booleans become "True"/"False" as the directory's do. */
export function sourceViewFromTestInput(
  properties: ExpressionInputObject['properties'],
  base: SourceView = {},
): SourceView {
  const view: Record<string, ExpressionValue> = { ...base };
  for (const { key, value } of properties) {
    // A typed value replaces the user's value whatever case the key is written in.
    for (const existing of Object.keys(view))
      if (existing.toLowerCase() === key.toLowerCase()) delete view[existing];
    view[key] = typeof value === 'boolean' ? booleanString(value) : value;
  }
  return view;
}

function toText(value: ExpressionValue): string {
  if (typeof value === 'boolean') return booleanString(value);
  if (Array.isArray(value)) return JSON.stringify(value);
  return String(value);
}

const isNothing = (v: ExpressionValue | undefined): boolean =>
  v === undefined || v === null || (Array.isArray(v) && v.length === 0);

/**
 * Parses an expression and, when there is something to test it with, evaluates it: Graph's
 * `parseExpression` answer plus what the expression reads, the test values it saw, and what
 * flows to the target (a value, nothing, or the attribute or object dropped). Never throws.
 *
 * @example
 * previewExpression({ expression: 'Join(" ", [givenName], [surname])', view: { givenName: 'Adele', surname: 'Vance' }, now, random })
 * // { parsingSucceeded: true, evaluationSucceeded: true, evaluationResult: ['Adele Vance'], flow: 'Value', … }
 */
export function previewExpression(input: {
  expression: string;
  /** null: parse only. */
  view: SourceView | null;
  /** The target attribute's type: a Boolean target shows true/false as "True"/"False". */
  targetType?: string | null;
  now: Date;
  random: () => number;
  defaultDomain?: string;
}): ParseExpressionResponse {
  const parsed = parseExpression(input.expression);
  if (!parsed.ok) {
    const e = parsed.error;
    return {
      parsingSucceeded: false,
      evaluationSucceeded: false,
      evaluationResult: null,
      parsedExpression: null,
      error: {
        code: e.code,
        message: e.message,
        start: e.start,
        end: e.end,
        line: e.line,
        column: e.column,
        ...(e.hint ? { hint: e.hint } : {}),
      },
      attributesRead: [],
      inputValues: [],
      flow: null,
      redacted: false,
    };
  }
  const compiled = parsed.expression;
  const base = {
    parsingSucceeded: true,
    parsedExpression: toAttributeMappingSource(compiled),
    attributesRead: [...compiled.attributes],
  };
  const view = input.view;
  if (view === null) {
    return {
      ...base,
      evaluationSucceeded: false,
      evaluationResult: null,
      error: null,
      inputValues: [],
      flow: null,
      redacted: false,
    };
  }
  const inputValues = compiled.attributes.map((name) => {
    const v = readSourceAttribute(view, name);
    return { key: name, value: isNothing(v) ? null : toText(v as ExpressionValue) };
  });
  const outcome = evaluateExpression(compiled, {
    getAttribute: (name) => readSourceAttribute(view, name),
    now: input.now,
    random: input.random,
    ...(input.defaultDomain ? { defaultDomain: input.defaultDomain } : {}),
  });
  switch (outcome.kind) {
    case 'error':
      return {
        ...base,
        evaluationSucceeded: false,
        evaluationResult: null,
        error: { code: outcome.error.code, message: outcome.error.message },
        inputValues,
        flow: null,
        redacted: false,
      };
    case 'ignoreAttribute':
    case 'ignoreObject':
      return {
        ...base,
        evaluationSucceeded: true,
        evaluationResult: null,
        error: null,
        inputValues,
        flow: outcome.kind === 'ignoreAttribute' ? 'IgnoreAttribute' : 'IgnoreObject',
        redacted: false,
      };
    case 'value': {
      const values = isNothing(outcome.value)
        ? null
        : (Array.isArray(outcome.value) ? outcome.value : [outcome.value]).map((v) =>
            input.targetType === 'Boolean' && typeof v === 'string' && /^(true|false)$/i.test(v)
              ? booleanString(v.toLowerCase() === 'true')
              : toText(v),
          );
      return {
        ...base,
        evaluationSucceeded: true,
        evaluationResult: values,
        error: null,
        inputValues,
        flow: values === null ? 'NoValue' : 'Value',
        redacted: outcome.redacted,
      };
    }
  }
}
