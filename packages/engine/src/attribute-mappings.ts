import type {
  AttributeDefinition,
  AttributeMapping,
  FlowType,
  ObjectDefinition,
  ObjectFlowType,
  ObjectMapping,
} from '@provisio/contracts';
import {
  compileExpression,
  evaluateExpression,
  type CompiledExpression,
  type ExpressionValue,
} from '@provisio/expressions';
import { appRoleFlowOf, type AppRoleFlow } from './app-role-values';
import { compileScopeFilter, type CompiledScope, type ConfigurationError } from './scoping';
import { readSourceAttribute, type SourceView } from './source-view';

/** What one attribute mapping yields for one object. */
export type MappingOutcome =
  | { kind: 'value'; value: ExpressionValue; redacted: boolean }
  | { kind: 'ignoreAttribute' }
  | { kind: 'ignoreObject' }
  | { kind: 'error'; error: { code: string; message: string } };

export interface EvaluationOptions {
  now: Date;
  random: () => number;
}

/** One attribute mapping, ready to evaluate many times. */
export interface CompiledAttributeMapping {
  targetAttributeName: string;
  /** `None` = no source: only the default value, on creation. */
  sourceType: 'Attribute' | 'Constant' | 'Function' | 'None';
  /** The source as the mapping list shows it: `[mail]`, `"True"`, `Switch(…)`. */
  sourceText: string;
  defaultValue: string | null;
  flowType: FlowType;
  /** 0 = not a matching attribute; otherwise the precedence, lowest first. */
  matchingPriority: number;
  /** Source attributes the mapping reads. */
  attributesRead: readonly string[];
  /** The compiled expression of a `Function` mapping (absent for the other source types). */
  expression?: CompiledExpression;
  /** Set when the expression is one of the app role functions: the value goes out as SCIM roles. */
  appRoleFlow?: AppRoleFlow;
  evaluate(view: SourceView, options: EvaluationOptions): MappingOutcome;
}

/** The target schema facts the engine needs about one target attribute. */
export interface TargetAttributeInfo {
  type: AttributeDefinition['type'];
  caseExact: boolean;
  required: boolean;
  multivalued: boolean;
}

/** An object mapping compiled once per cycle. */
export interface CompiledObjectMapping {
  name: string;
  enabled: boolean;
  sourceObjectName: string;
  targetObjectName: string;
  flowTypes: readonly ObjectFlowType[];
  /** In the order of the mapping list. */
  attributes: readonly CompiledAttributeMapping[];
  /** Matching attributes in precedence order (lowest matchingPriority first). */
  matching: readonly CompiledAttributeMapping[];
  scope: CompiledScope;
  /** Keyed by target attribute path as mapped; absent when the target schema does not define it. */
  targetAttributes: Readonly<Record<string, TargetAttributeInfo>>;
  /** Target attributes compared case-sensitively (`Exact case?` in the schema). */
  caseExactByPath: Readonly<Record<string, boolean>>;
  /** Target attributes the schema marks required: a creation without them is skipped. */
  requiredTargets: readonly string[];
  /** Target attributes fed by an app role function, and how their roles are sent. */
  appRoleFlows: Readonly<Record<string, AppRoleFlow>>;
  /**
   * Mappings to reference attributes of the target (a group's `members`, a user's `manager`):
   * they are not sent with the object, but resolved to target ids once the objects they point at
   * exist (the cycle's memberships and references phase).
   */
  references: readonly CompiledAttributeMapping[];
}

export type CompileResult =
  { ok: true; mapping: CompiledObjectMapping } | { ok: false; errors: ConfigurationError[] };

/** Graph serialises constants with quotes (`"\"True\""`); the UI stores the bare text in `name`. */
function constantValue(mapping: AttributeMapping): string {
  const source = mapping.source;
  if (source?.name !== null && source?.name !== undefined) return source.name;
  const text = source?.expression ?? '';
  const quoted = /^"((?:[^"\\]|\\.)*)"$/s.exec(text.trim());
  return quoted ? (quoted[1] ?? '').replace(/\\(["\\])/g, '$1') : text;
}

function compileOne(mapping: AttributeMapping): CompiledAttributeMapping | ConfigurationError {
  const base = {
    targetAttributeName: mapping.targetAttributeName,
    defaultValue: mapping.defaultValue,
    flowType: mapping.flowType,
    matchingPriority: mapping.matchingPriority,
  };
  const source = mapping.source;
  if (source === null) {
    return {
      ...base,
      sourceType: 'None',
      sourceText: '',
      attributesRead: [],
      evaluate: () => ({ kind: 'value', value: null, redacted: false }),
    };
  }
  if (source.type === 'Constant') {
    const value = constantValue(mapping);
    return {
      ...base,
      sourceType: 'Constant',
      sourceText: JSON.stringify(value),
      attributesRead: [],
      evaluate: () => ({ kind: 'value', value, redacted: false }),
    };
  }
  if (source.type === 'Attribute') {
    const name = source.name ?? /^\s*\[([^\]]+)\]\s*$/.exec(source.expression ?? '')?.[1] ?? null;
    if (!name) {
      return {
        code: 'mapping.missing_source',
        target: mapping.targetAttributeName,
        message: `The mapping to '${mapping.targetAttributeName}' is Direct but names no source attribute. Pick a source attribute or change the mapping type.`,
      };
    }
    return {
      ...base,
      sourceType: 'Attribute',
      sourceText: `[${name}]`,
      attributesRead: [name],
      evaluate: (view) => ({
        kind: 'value',
        value: readSourceAttribute(view, name) ?? null,
        redacted: false,
      }),
    };
  }
  const text = source.expression ?? '';
  let compiled: CompiledExpression;
  try {
    compiled = compileExpression(text);
  } catch (e) {
    const detail = (
      e as { error?: { message?: string; start?: number; end?: number; hint?: string; code?: string } }
    ).error;
    if (!detail) throw e;
    const at = detail.start === undefined ? '' : ` at position ${detail.start + 1}`;
    return {
      code: 'mapping.invalid_expression',
      target: mapping.targetAttributeName,
      message:
        `The expression mapped to '${mapping.targetAttributeName}' is invalid${at}: ${detail.message ?? 'syntax error'}` +
        `${detail.hint ? ` ${detail.hint}` : ''} Expression: ${text}`,
    };
  }
  const appRoleFlow = appRoleFlowOf(compiled);
  return {
    ...base,
    sourceType: 'Function',
    sourceText: text,
    attributesRead: compiled.attributes,
    expression: compiled,
    ...(appRoleFlow ? { appRoleFlow } : {}),
    evaluate: (view, options) =>
      evaluateExpression(compiled, {
        getAttribute: (name) => readSourceAttribute(view, name),
        now: options.now,
        random: options.random,
      }),
  };
}

/** Finds the target object's definition in a schema's directories (by object name). */
export function findTargetObject(
  directories: readonly { objects: readonly ObjectDefinition[] }[],
  targetObjectName: string,
): ObjectDefinition | null {
  for (const d of directories) {
    const found = d.objects.find((o) => o.name.toLowerCase() === targetObjectName.toLowerCase());
    if (found) return found;
  }
  return null;
}

/**
 * Compiles an object mapping once per cycle: every expression is parsed here, so that a
 * bad expression stops the job with a clear error instead of failing user after user.
 *
 * @example
 * const result = compileObjectMapping(userMapping, { targetObject });
 * if (!result.ok) throw new Error(result.errors.map((e) => e.message).join(' '));
 */
export function compileObjectMapping(
  objectMapping: ObjectMapping,
  options: { targetObject?: ObjectDefinition | null } = {},
): CompileResult {
  const errors: ConfigurationError[] = [];
  const compiledAll: CompiledAttributeMapping[] = [];
  const seen = new Set<string>();
  for (const m of objectMapping.attributeMappings) {
    const key = m.targetAttributeName.toLowerCase();
    if (seen.has(key)) {
      errors.push({
        code: 'mapping.duplicate_target',
        target: m.targetAttributeName,
        message: `'${m.targetAttributeName}' is the target of more than one attribute mapping; keep one.`,
      });
      continue;
    }
    seen.add(key);
    const compiled = compileOne(m);
    if ('code' in compiled) errors.push(compiled);
    else compiledAll.push(compiled);
  }
  const scope = compileScopeFilter(objectMapping.scope);
  errors.push(...scope.errors);
  if (errors.length > 0) return { ok: false, errors };

  const targetAttributes: Record<string, TargetAttributeInfo> = {};
  const caseExactByPath: Record<string, boolean> = {};
  const defs = options.targetObject?.attributes ?? [];
  const definitionOf = (a: CompiledAttributeMapping) =>
    defs.find((d) => d.name.toLowerCase() === a.targetAttributeName.toLowerCase());
  // References are resolved after the objects exist (memberships, managers), not sent as values.
  const references = compiledAll.filter((a) => definitionOf(a)?.type === 'Reference');
  const attributes = compiledAll.filter((a) => definitionOf(a)?.type !== 'Reference');
  for (const a of attributes) {
    const def = definitionOf(a);
    if (!def) continue;
    targetAttributes[a.targetAttributeName] = {
      type: def.type,
      caseExact: def.caseExact,
      required: def.required,
      multivalued: def.multivalued,
    };
    caseExactByPath[a.targetAttributeName] = def.caseExact;
  }
  const requiredTargets = defs
    .filter((d) => d.required)
    .map(
      (d) =>
        attributes.find((a) => a.targetAttributeName.toLowerCase() === d.name.toLowerCase())
          ?.targetAttributeName ?? d.name,
    );

  return {
    ok: true,
    mapping: {
      name: objectMapping.name,
      enabled: objectMapping.enabled,
      sourceObjectName: objectMapping.sourceObjectName,
      targetObjectName: objectMapping.targetObjectName,
      flowTypes: objectMapping.flowTypes,
      attributes,
      matching: attributes
        .filter((a) => a.matchingPriority > 0)
        .sort((a, b) => a.matchingPriority - b.matchingPriority),
      scope: scope.scope,
      targetAttributes,
      caseExactByPath,
      requiredTargets,
      appRoleFlows: Object.fromEntries(
        attributes.flatMap((a) => (a.appRoleFlow ? [[a.targetAttributeName, a.appRoleFlow]] : [])),
      ),
      references,
    },
  };
}

/** A value to provision to one target attribute. */
export interface DesiredValue {
  value: ExpressionValue;
  /** From `Redact(…)`: shown as "[Redact]" in the provisioning logs. */
  redacted: boolean;
  flowType: FlowType;
}

/** Target attribute path → value to provision. Attributes without a value are absent. */
export type DesiredValues = Readonly<Record<string, DesiredValue>>;

export interface MappingFailure {
  targetAttributeName: string;
  code: string;
  message: string;
}

export interface AppliedMappings {
  values: DesiredValues;
  /** `IgnoreObjectFlow` was reached: the object is not to be provisioned. */
  ignoreObject: boolean;
  errors: MappingFailure[];
}

/** An attribute mapping whose value depends on what the target already holds. */
export interface TargetDependentMapping {
  targetAttributeName: string;
  expression: CompiledExpression;
}

/**
 * The attribute mappings whose expression is a `SelectUniqueValue`: their value must be chosen by
 * asking the target which candidates are taken, which the engine cannot do itself (no I/O). The
 * caller evaluates them with `evaluateExpressionAsync` and passes the outcomes to `applyMappings`
 * as `resolved`.
 *
 * @example
 * for (const m of mappingsNeedingTargetLookup(compiled))
 *   resolved.set(m.targetAttributeName, await evaluateExpressionAsync(m.expression, { …, isValueUnique }));
 */
export function mappingsNeedingTargetLookup(compiled: CompiledObjectMapping): TargetDependentMapping[] {
  const out: TargetDependentMapping[] = [];
  for (const m of compiled.attributes) {
    if (m.expression?.usesSelectUniqueValue)
      out.push({ targetAttributeName: m.targetAttributeName, expression: m.expression });
  }
  return out;
}

const isNullish = (v: ExpressionValue | undefined): boolean =>
  v === null || v === undefined || (Array.isArray(v) && v.length === 0);

/**
 * Evaluates the attribute mappings for one object. On update, mappings applied "Only during
 * object creation" are left out and default values do not apply; null values are never
 * provisioned (the attribute is omitted). `resolved` holds outcomes computed by the caller
 * (keyed by target attribute name), used instead of evaluating those mappings: the values of
 * `SelectUniqueValue`, which depend on the target.
 *
 * @example
 * applyMappings(compiled, view, { isCreate: true, now, random }).values.userName
 * // → { value: 'adele@contoso.com', redacted: false, flowType: 'Always' }
 */
export function applyMappings(
  compiled: CompiledObjectMapping,
  view: SourceView,
  options: EvaluationOptions & {
    isCreate: boolean;
    resolved?: ReadonlyMap<string, MappingOutcome>;
  },
): AppliedMappings {
  const applied = emptyApplied();
  for (const m of compiled.attributes) {
    if (!options.isCreate && m.flowType === 'ObjectAddOnly') continue;
    const outcome = options.resolved?.get(m.targetAttributeName) ?? m.evaluate(view, options);
    addOutcome(applied, m, outcome, options.isCreate);
  }
  return applied;
}

/**
 * `applyMappings` for creation and for update at once, each mapping evaluated once: the two
 * differ only in which mappings and defaults they take, so a caller that does not know yet
 * whether the object will be created or updated gets both for the cost of one.
 */
export function applyMappingsForBoth(
  compiled: CompiledObjectMapping,
  view: SourceView,
  options: EvaluationOptions,
): { forCreate: AppliedMappings; forUpdate: AppliedMappings } {
  const forCreate = emptyApplied();
  const forUpdate = emptyApplied();
  for (const m of compiled.attributes) {
    const outcome = m.evaluate(view, options);
    addOutcome(forCreate, m, outcome, true);
    if (m.flowType !== 'ObjectAddOnly') addOutcome(forUpdate, m, outcome, false);
  }
  return { forCreate, forUpdate };
}

/** What the mappings give, while it is put together. */
type AppliedSoFar = AppliedMappings & { values: Record<string, DesiredValue> };

const emptyApplied = (): AppliedSoFar => ({ values: {}, ignoreObject: false, errors: [] });

/** One mapping's outcome added to what the mappings give: a value, a default (on creation only), an error or an ignore. */
function addOutcome(
  applied: AppliedSoFar,
  m: CompiledObjectMapping['attributes'][number],
  outcome: MappingOutcome,
  isCreate: boolean,
): void {
  if (outcome.kind === 'ignoreAttribute') return;
  if (outcome.kind === 'ignoreObject') {
    applied.ignoreObject = true;
    return;
  }
  if (outcome.kind === 'error') {
    applied.errors.push({
      targetAttributeName: m.targetAttributeName,
      code: outcome.error.code,
      message: outcome.error.message,
    });
    return;
  }
  if (isNullish(outcome.value)) {
    if (isCreate && m.defaultValue !== null)
      applied.values[m.targetAttributeName] = {
        value: m.defaultValue,
        redacted: false,
        flowType: m.flowType,
      };
    return;
  }
  applied.values[m.targetAttributeName] = {
    value: outcome.value,
    redacted: outcome.redacted,
    flowType: m.flowType,
  };
}

export interface MatchingValue {
  targetAttributeName: string;
  /** The value to look the target up by; null when the source yields nothing. */
  value: string | null;
  redacted: boolean;
}

/**
 * The values to match target objects by, in precedence order. Evaluated whatever the flow type,
 * without default values: a default is the same for every user and would match the wrong one.
 */
export function evaluateMatchingValues(
  compiled: CompiledObjectMapping,
  view: SourceView,
  options: EvaluationOptions,
): MatchingValue[] {
  return compiled.matching.map((m) => {
    const outcome = m.evaluate(view, options);
    if (
      outcome.kind !== 'value' ||
      isNullish(outcome.value) ||
      // Blank is no value: a name of spaces or a tab matches nothing a person would mean.
      (typeof outcome.value === 'string' && outcome.value.trim() === '') ||
      Array.isArray(outcome.value)
    ) {
      return { targetAttributeName: m.targetAttributeName, value: null, redacted: false };
    }
    const v = outcome.value;
    return {
      targetAttributeName: m.targetAttributeName,
      value: typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v),
      redacted: outcome.redacted,
    };
  });
}

/** Plain values of desired attributes (what goes to the target). */
export function plainValues(desired: DesiredValues): Record<string, ExpressionValue> {
  const out: Record<string, ExpressionValue> = {};
  // A for-in over the record's own keys: a cycle calls this for every object, and Object.entries
  // allocates a pair per key.
  for (const path in desired) if (Object.hasOwn(desired, path)) out[path] = desired[path]!.value;
  return out;
}
