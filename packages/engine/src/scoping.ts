import type { FilterClause, ScopeFilter } from '@provisio/contracts';
import type { ExpressionValue } from '@provisio/expressions';
import {
  booleanString,
  buildGroupSourceView,
  buildUserSourceView,
  findEntitledRole,
  readSourceAttribute,
  withScopeOutcome,
  type AppRoleRef,
  type Entitlement,
  type SourceGroup,
  type SourceUser,
  type SourceView,
} from './source-view';

/** A problem in the configuration that no user can fix: the job reports it and does not run. */
export interface ConfigurationError {
  code: string;
  message: string;
  /** Where: a target attribute (`userName`) or a scoping clause (`Sales only.department EQUALS 'Sales'`). */
  target: string;
  /** For a scoping clause: the JSON path of the field at fault under the scope (`groups/0/clauses/1/operatorName`). */
  path?: string;
}

interface CompiledClause {
  /** `<filter title>.<attribute> <OPERATOR> '<value>'`, the key Entra shows in ScopeEvaluationResult. */
  key: string;
  attribute: string;
  test: (value: ExpressionValue | undefined) => boolean;
}

/** Scoping filters compiled once per cycle: filters are ORed, the clauses of a filter ANDed. */
export interface CompiledScope {
  groups: { name: string; clauses: CompiledClause[] }[];
}

const isEmpty = (v: ExpressionValue | undefined): boolean =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** A scalar as a clause compares it; multi-valued attributes are not supported in scoping filters. */
function scalar(v: ExpressionValue | undefined): string | null {
  if (isEmpty(v) || Array.isArray(v)) return null;
  if (typeof v === 'boolean') return booleanString(v);
  return String(v);
}

const INTEGER = /^[+-]?\d+$/;

type OperatorImpl =
  | { arity: 'unary'; test: (value: ExpressionValue | undefined) => boolean }
  | { arity: 'binary'; make: (values: string[]) => ((s: string) => boolean) | BadValue };

const some = (values: string[], f: (x: string, s: string) => boolean) => (s: string) =>
  values.some((x) => f(x, s));
const none = (values: string[], f: (x: string, s: string) => boolean) => (s: string) =>
  !values.some((x) => f(x, s));

/** A value a clause cannot use: which one (its index in `targetOperand.values`) and why. */
interface BadValue {
  index: number;
  message: string;
}

/**
 * What is wrong with a pattern, in the words of the JavaScript engine but without the anchored
 * pattern it compiled (`Invalid regular expression: /^(?:(unclosed)$/: Unterminated group` →
 * `unterminated group`): the person wrote `(unclosed`, not what it is wrapped in.
 */
function regexProblem(error: Error): string {
  const reason =
    /^Invalid regular expression: \/.*\/[a-z]*: (.+)$/s.exec(error.message)?.[1] ?? error.message;
  return reason.charAt(0).toLowerCase() + reason.slice(1).replace(/\.$/, '');
}

function regexes(values: string[]): RegExp[] | BadValue {
  const out: RegExp[] = [];
  for (const [index, v] of values.entries()) {
    try {
      // Anchored: the documented examples ("([1-9][0-9]) matches any number between 10 and 99") only
      // mean what they say when the whole value has to match.
      out.push(new RegExp(`^(?:${v})$`));
    } catch (e) {
      return { index, message: `'${v}' is not a valid regular expression: ${regexProblem(e as Error)}.` };
    }
  }
  return out;
}

function integers(values: string[]): number[] | BadValue {
  const index = values.findIndex((v) => !INTEGER.test(v.trim()));
  return index < 0
    ? values.map((v) => Number(v.trim()))
    : {
        index,
        message: `'${values[index]}' is not an integer; this operator compares whole numbers such as 10 or -3.`,
      };
}

const isBad = (x: unknown): x is BadValue => typeof x === 'object' && x !== null && 'message' in x;

/**
 * The operators of the Source Object Scope editor. Every binary operator answers false for a
 * null or empty attribute ("Scoping filters will return false if the value is null / empty").
 * Several values in a clause: positive operators need one to hold, negative ones need all to hold.
 */
const OPERATORS: Record<string, OperatorImpl> = {
  EQUALS: { arity: 'binary', make: (vs) => some(vs, (x, s) => s === x) },
  'NOT EQUALS': { arity: 'binary', make: (vs) => none(vs, (x, s) => s === x) },
  'IS TRUE': { arity: 'unary', test: (v) => scalar(v)?.toLowerCase() === 'true' },
  'IS FALSE': { arity: 'unary', test: (v) => scalar(v)?.toLowerCase() === 'false' },
  'IS NULL': { arity: 'unary', test: (v) => isEmpty(v) },
  'IS NOT NULL': { arity: 'unary', test: (v) => !isEmpty(v) },
  PRESENT: { arity: 'unary', test: (v) => !isEmpty(v) },
  'REGEX MATCH': {
    arity: 'binary',
    make: (vs) => {
      const rs = regexes(vs);
      return isBad(rs) ? rs : (s) => rs.some((r) => r.test(s));
    },
  },
  'NOT REGEX MATCH': {
    arity: 'binary',
    make: (vs) => {
      const rs = regexes(vs);
      return isBad(rs) ? rs : (s) => !rs.some((r) => r.test(s));
    },
  },
  INCLUDES: { arity: 'binary', make: (vs) => some(vs, (x, s) => s.includes(x)) },
  'ENDS WITH': { arity: 'binary', make: (vs) => some(vs, (x, s) => s.endsWith(x)) },
  'GREATER THAN': {
    arity: 'binary',
    make: (vs) => {
      const ns = integers(vs);
      return isBad(ns) ? ns : (s) => INTEGER.test(s.trim()) && ns.some((n) => Number(s.trim()) > n);
    },
  },
  'GREATER THAN OR EQUALS': {
    arity: 'binary',
    make: (vs) => {
      const ns = integers(vs);
      return isBad(ns) ? ns : (s) => INTEGER.test(s.trim()) && ns.some((n) => Number(s.trim()) >= n);
    },
  },
  // "true if the evaluated attribute exists in the input string value": the attribute is part of the value.
  '&': { arity: 'binary', make: (vs) => some(vs, (x, s) => x.includes(s)) },
  '!&': { arity: 'binary', make: (vs) => none(vs, (x, s) => x.includes(s)) },
};

/** `Greater_Than_OR_EQUALS`, `greater than or equals` and `GREATER_THAN_OR_EQUALS` are one operator. */
const normalizeOperator = (name: string) => name.trim().toUpperCase().replace(/_/g, ' ').replace(/\s+/g, ' ');

/** The operator names the scoping filter editor offers: the contracts' `scopingOperators` (a test keeps them equal). */
export const SCOPING_OPERATORS = [
  '&',
  '!&',
  'ENDS_WITH',
  'EQUALS',
  'Greater_Than',
  'Greater_Than_OR_EQUALS',
  'Includes',
  'IS FALSE',
  'IS NOT NULL',
  'IS NULL',
  'IS TRUE',
  'NOT EQUALS',
  'NOT REGEX MATCH',
  'Present',
  'REGEX MATCH',
] as const;

function clauseKey(filterName: string, clause: FilterClause, unary: boolean): string {
  const head = `${filterName}.${clause.sourceOperandName} ${clause.operatorName}`;
  return unary ? head : `${head} '${(clause.targetOperand?.values ?? []).join(',')}'`;
}

/**
 * Compiles the scoping filters of an object mapping (`scope.groups`). Unknown operators,
 * missing values, bad regular expressions and non-integer comparands are configuration errors.
 */
export function compileScopeFilter(scope: ScopeFilter | null): {
  scope: CompiledScope;
  errors: ConfigurationError[];
} {
  const errors: ConfigurationError[] = [];
  const groups: CompiledScope['groups'] = [];
  for (const [g, group] of (scope?.groups ?? []).entries()) {
    const clauses: CompiledClause[] = [];
    for (const [c, clause] of group.clauses.entries()) {
      const impl = OPERATORS[normalizeOperator(clause.operatorName)];
      const key = clauseKey(group.name, clause, impl?.arity === 'unary');
      const path = `groups/${g}/clauses/${c}`;
      if (!impl) {
        errors.push({
          code: 'scoping_filter.unknown_operator',
          target: key,
          path: `${path}/operatorName`,
          message: `Scoping filter '${group.name}' uses the operator '${clause.operatorName}', which Provisio does not know. Use one of: ${SCOPING_OPERATORS.join(', ')}.`,
        });
        continue;
      }
      if (impl.arity === 'unary') {
        clauses.push({ key, attribute: clause.sourceOperandName, test: impl.test });
        continue;
      }
      const values = clause.targetOperand?.values ?? [];
      if (values.length === 0) {
        errors.push({
          code: 'scoping_filter.missing_value',
          target: key,
          path: `${path}/targetOperand/values`,
          message: `Scoping filter '${group.name}': the clause on '${clause.sourceOperandName}' with ${clause.operatorName} needs a value. Enter a Clause value, or pick an operator that takes none (IS NULL, IS NOT NULL, IS TRUE, IS FALSE).`,
        });
        continue;
      }
      const test = impl.make(values);
      if (isBad(test)) {
        errors.push({
          code: 'scoping_filter.invalid_value',
          target: key,
          path: `${path}/targetOperand/values/${test.index}`,
          message: `Scoping filter '${group.name}', clause on '${clause.sourceOperandName}': ${test.message}`,
        });
        continue;
      }
      clauses.push({
        key,
        attribute: clause.sourceOperandName,
        test: (v) => {
          const s = scalar(v);
          return s !== null && test(s);
        },
      });
    }
    groups.push({ name: group.name, clauses });
  }
  return { scope: { groups }, errors };
}

/** Why a user is not effectively entitled. */
export type NotEntitledCause = 'NotAssigned' | 'AppRoleNotAvailable' | 'AccountDisabled' | 'SoftDeleted';

export type ScopeSkip =
  | { reason: 'NotEffectivelyEntitled'; causes: NotEntitledCause[] }
  | { reason: 'OutOfScope'; failing: { filter: string; clause: string }[] };

export interface ScopeResult {
  inScope: boolean;
  /** accountEnabled and not in the recycle bin. */
  isActive: boolean;
  /** Assigned directly or as a direct member of an assigned group. */
  assigned: boolean;
  /**
   * The assignment's app role is one the application has and has enabled. False when the role was
   * disabled or removed after the assignment was made (the assignment record is broken).
   */
  hasRequiredRole: boolean;
  syncAll: boolean;
  /** Assigned (or Sync all) and active. */
  effectivelyEntitled: boolean;
  passesScopingFilters: boolean;
  /** Each clause's outcome keyed as Entra shows it. */
  clauseResults: Record<string, boolean>;
  skip: ScopeSkip | null;
  /** The scoping step's details, as Entra names them. */
  details: Record<string, string>;
}

export interface ScopeInput {
  view: SourceView;
  accountEnabled: boolean;
  softDeleted: boolean;
  entitlement: Entitlement | null;
  /**
   * Whether the entitlement's app role is still enabled in the application (see
   * {@link findEntitledRole}); absent = yes.
   */
  roleAvailable?: boolean;
  /** Scope setting "Sync all users and groups" (secret `SyncAll` = "True"). */
  syncAll: boolean;
  scope: CompiledScope;
}

/**
 * Decides whether a user is in the provisioning scope of an application: entitlement
 * (assignment or Sync all), active in the directory, and at least one scoping filter
 * whose clauses all hold (no filters = all records).
 *
 * @example
 * evaluateScope({ view, accountEnabled: true, softDeleted: false, entitlement: null, syncAll: false, scope })
 * // → { inScope: false, skip: { reason: 'NotEffectivelyEntitled', causes: ['NotAssigned'] }, … }
 */
export function evaluateScope(input: ScopeInput): ScopeResult {
  const isActive = input.accountEnabled && !input.softDeleted;
  const assigned = input.entitlement !== null;
  const hasRequiredRole = assigned && input.roleAvailable !== false;
  // With "Sync all" an assignment is not needed, so neither is its role.
  const effectivelyEntitled = (hasRequiredRole || input.syncAll) && isActive;

  const clauseResults: Record<string, boolean> = {};
  const failing: { filter: string; clause: string }[] = [];
  let passesScopingFilters = input.scope.groups.length === 0;
  for (const group of input.scope.groups) {
    let all = true;
    let firstFailing: string | null = null;
    for (const clause of group.clauses) {
      const ok = clause.test(readSourceAttribute(input.view, clause.attribute));
      clauseResults[clause.key] = ok;
      if (!ok) {
        all = false;
        firstFailing ??= clause.key;
      }
    }
    if (all) passesScopingFilters = true;
    else if (firstFailing !== null) failing.push({ filter: group.name, clause: firstFailing });
  }

  const inScope = effectivelyEntitled && passesScopingFilters;
  let skip: ScopeSkip | null = null;
  if (!effectivelyEntitled) {
    const causes: NotEntitledCause[] = [];
    if (!assigned && !input.syncAll) causes.push('NotAssigned');
    if (assigned && !hasRequiredRole && !input.syncAll) causes.push('AppRoleNotAvailable');
    if (!input.accountEnabled) causes.push('AccountDisabled');
    if (input.softDeleted) causes.push('SoftDeleted');
    skip = { reason: 'NotEffectivelyEntitled', causes };
  } else if (!passesScopingFilters) {
    skip = { reason: 'OutOfScope', failing };
  }

  return {
    inScope,
    isActive,
    assigned,
    hasRequiredRole,
    syncAll: input.syncAll,
    effectivelyEntitled,
    passesScopingFilters,
    clauseResults,
    skip,
    details: {
      IsActive: booleanString(isActive),
      Assigned: booleanString(assigned),
      HasRequiredRole: booleanString(hasRequiredRole),
      ScopeSyncAll: booleanString(input.syncAll),
      IsEffectivelyEntitledForProvisioning: booleanString(effectivelyEntitled),
      IsInProvisioningScope: booleanString(inScope),
      ScopeEvaluationResult: JSON.stringify(clauseResults),
    },
  };
}

/**
 * The source view of a directory user as a cycle sees it: its attributes, then scope (assignment
 * or Sync all, active, scoping filters), whose outcome sets `IsSoftDeleted`. The worker and the
 * expression builder both call this, so a test in the builder gives what the worker would send.
 */
export function buildScopedUserView(input: {
  user: SourceUser;
  entitlement: Entitlement | null;
  appRoles: readonly AppRoleRef[];
  syncAll: boolean;
  scope: CompiledScope;
}): { view: SourceView; scope: ScopeResult } {
  const base = buildUserSourceView(input.user, { entitlement: input.entitlement, appRoles: input.appRoles });
  const scope = evaluateScope({
    view: base,
    accountEnabled: input.user.accountEnabled,
    softDeleted: input.user.deletedDateTime !== null,
    entitlement: input.entitlement,
    roleAvailable: roleAvailable(input.entitlement, input.appRoles),
    syncAll: input.syncAll,
    scope: input.scope,
  });
  return { view: withScopeOutcome(base, scope), scope };
}

/** Whether an entitlement's app role is still there and enabled; true when the roles are not known. */
function roleAvailable(
  entitlement: Entitlement | null,
  appRoles: readonly AppRoleRef[] | undefined,
): boolean {
  if (entitlement === null || appRoles === undefined) return true;
  return findEntitledRole(entitlement, appRoles) !== null;
}

/**
 * A directory group's source view and scope: a group is entitled when it is assigned to the
 * application itself (or with Sync all), active unless soft-deleted, and in scope when it passes
 * the group mapping's scoping filters.
 */
export function buildScopedGroupView(input: {
  group: SourceGroup;
  /** The group's own assignment to the application (not a membership). */
  entitlement: Entitlement | null;
  /** The application's app roles: a group assigned with a role the application no longer has is not entitled. */
  appRoles?: readonly AppRoleRef[];
  syncAll: boolean;
  scope: CompiledScope;
}): { view: SourceView; scope: ScopeResult } {
  const base = buildGroupSourceView(input.group);
  const scope = evaluateScope({
    view: base,
    accountEnabled: true,
    softDeleted: input.group.deletedDateTime !== null,
    entitlement: input.entitlement,
    roleAvailable: roleAvailable(input.entitlement, input.appRoles),
    syncAll: input.syncAll,
    scope: input.scope,
  });
  return { view: withScopeOutcome(base, scope), scope };
}
