import type { AppRoleFlow } from './app-role-values';
import type { ObjectFlowType } from '@provisio/contracts';
import type { DesiredValues, MappingFailure, MatchingValue } from './attribute-mappings';
import { plainValues } from './attribute-mappings';
import { diffAttributes, readScimAttributes, sameValue, type AttributeDiff } from './scim-resource';
import type { ScopeResult } from './scoping';

/** What the connector data store remembers of the object (null when the job never touched it). */
export interface ConnectorLink {
  state: 'pendingCreate' | 'linked' | 'disabled' | 'deleted';
  targetId: string | null;
}

/** How the target object is to be found before deciding. */
export type TargetLookup = 'none' | 'byLink' | 'byMatchingAttributes';

/**
 * Which lookup the object needs. Users that are out of scope and were never provisioned
 * cost no request; a pending creation (a crash between recording it and the answer) is
 * matched by attributes, so it is found rather than created twice.
 */
export function decideTargetLookup(input: {
  /** null when the source object was hard-deleted. */
  scope: ScopeResult | null;
  connector: ConnectorLink | null;
  matchingValues: readonly MatchingValue[];
}): TargetLookup {
  const { scope, connector } = input;
  if (scope === null) return 'none';
  const hasMatchingValue = input.matchingValues.some((m) => m.value !== null);
  const live = connector !== null && connector.state !== 'deleted';
  if (live && connector.targetId !== null) {
    if (scope.inScope) return 'byLink';
    return connector.state === 'disabled' ? 'none' : 'byLink';
  }
  if (live && connector.state === 'pendingCreate') return hasMatchingValue ? 'byMatchingAttributes' : 'none';
  if (!scope.inScope) return 'none';
  return hasMatchingValue ? 'byMatchingAttributes' : 'none';
}

/** What the lookup found. */
export type MatchOutcome =
  | { kind: 'notLooked' }
  | { kind: 'none'; tried: { attribute: string; value: string }[] }
  | {
      kind: 'one';
      targetId: string;
      resource: Readonly<Record<string, unknown>>;
      via: { kind: 'link' } | { kind: 'attribute'; attribute: string; value: string };
    }
  | { kind: 'many'; attribute: string; value: string; targetIds: string[] }
  /**
   * One object matched by attribute, but another source object of the job holds it (its connector
   * record links it): two directory objects cannot share one object in the target.
   */
  | { kind: 'taken'; targetId: string; attribute: string; value: string; heldBy: string };

/**
 * Matching by the target's own filter: one query per matching attribute in precedence order
 * (attributes without a value are passed over). The first query that finds one account matches it;
 * one that finds several stops the search as ambiguous (`many`); `none` lists what was tried.
 * `find` is the caller's query to the target: the worker's, paced by its gate, or Explain's.
 */
export async function matchInPrecedence(
  matchingValues: readonly MatchingValue[],
  find: (
    attribute: string,
    value: string,
  ) => Promise<readonly (Readonly<Record<string, unknown>> & { id: string })[]>,
): Promise<Exclude<MatchOutcome, { kind: 'notLooked' }>> {
  const tried: { attribute: string; value: string }[] = [];
  for (const { targetAttributeName: attribute, value } of matchingValues) {
    if (value === null) continue;
    const found = await find(attribute, value);
    const first = found[0];
    if (found.length === 1 && first)
      return {
        kind: 'one',
        targetId: first.id,
        resource: first,
        via: { kind: 'attribute', attribute, value },
      };
    if (found.length > 1) return { kind: 'many', attribute, value, targetIds: found.map((r) => r.id) };
    tried.push({ attribute, value });
  }
  return { kind: 'none', tried };
}

/**
 * A match by attribute (`one`) becomes `taken` when another source object of the job holds that
 * target object, so that two source objects never share one: `holderOf` says which source object
 * holds a target object, and is asked only for such a match.
 */
export async function unlessHeldByAnother(
  match: MatchOutcome,
  sourceId: string,
  holderOf: (targetId: string) => Promise<string | undefined>,
): Promise<MatchOutcome> {
  if (match.kind !== 'one' || match.via.kind !== 'attribute') return match;
  const heldBy = await holderOf(match.targetId);
  if (heldBy === undefined || heldBy === sourceId) return match;
  const { attribute, value } = match.via;
  return { kind: 'taken', targetId: match.targetId, attribute, value, heldBy };
}

export type SkipReason =
  | 'NotEffectivelyEntitled'
  | 'OutOfScope'
  | 'MatchingAttributeEmpty'
  | 'RequiredAttributeMissing'
  | 'RedundantExport'
  | 'CreateActionDisabled'
  | 'UpdateActionDisabled'
  | 'DeleteActionDisabled'
  | 'DuplicateTargetEntries'
  | 'DuplicateSourceEntries'
  | 'ObjectFlowIgnored'
  | 'AttributeMappingFailed'
  /** A removal held back: the cycle removes more objects than the accidental deletion threshold allows. */
  | 'StagedDelete'
  /** A reference (manager) waits for the object it points at to be provisioned. */
  | 'ReferencePending';

export type ObjectActionPlan =
  | {
      kind: 'create';
      values: DesiredValues;
      /**
       * Set when an earlier attempt's creation landed but its answer was never recorded (the
       * process died in between: the connector record still says pendingCreate) and the account
       * found by matching holds exactly the values sent: the object is linked to it and nothing is
       * sent again. The creation is this job's, so it is logged and counted as one.
       */
      foundTargetId?: string;
    }
  | { kind: 'update'; targetId: string; changes: AttributeDiff[]; values: DesiredValues }
  | { kind: 'disable'; targetId: string; changes: AttributeDiff[] }
  | { kind: 'delete'; targetId: string }
  | {
      kind: 'skip';
      reason: SkipReason;
      /** Skips are 'skipped'; duplicates and mapping failures are 'failure'. */
      status: 'skipped' | 'failure';
      /** The target object found, if any: its link is kept. */
      targetId: string | null;
      /** Extra facts for the event (missing attributes, the SkipOutOfScopeDeletions setting…). */
      note: string | null;
      /** What the connector store should say of the object afterwards (null = leave as is). */
      connectorState: ConnectorLink['state'] | null;
    }
  /** A hard-deleted object the job never provisioned: nothing to do and nothing to log. */
  | { kind: 'none' };

export interface PlanInput {
  /** null when the source object was hard-deleted. */
  scope: ScopeResult | null;
  connector: ConnectorLink | null;
  match: MatchOutcome;
  matchingValues: readonly MatchingValue[];
  /** Mapping results with creation semantics (defaults, "Only during object creation" mappings). */
  desiredForCreate: DesiredValues;
  /** Mapping results with update semantics. */
  desiredForUpdate: DesiredValues;
  mappingErrors: readonly MappingFailure[];
  ignoreObject: boolean;
  caseExactByPath: Readonly<Record<string, boolean>>;
  /** Target attributes fed by an app role function (compared by role name). */
  appRoleFlows?: Readonly<Record<string, AppRoleFlow>>;
  requiredTargets: readonly string[];
  /** Target object actions (Create = Add, Update, Delete). */
  flowTypes: readonly ObjectFlowType[];
  /** Secret `SkipOutOfScopeDeletions` = "True": accounts leaving scope are left as they are. */
  skipOutOfScopeDeletions: boolean;
  /**
   * What becomes of a target object whose source left scope: users are disabled (`active` false);
   * groups, which have no such state, are deleted when the Delete action is on. Default 'disable'.
   */
  outOfScope?: 'disable' | 'delete';
  /**
   * The cycle holds its removals (more than the accidental deletion threshold): a disable or delete
   * becomes a StagedDelete skip, sent only once an administrator allows the deletes.
   */
  holdRemovals?: boolean;
}

/** Skips that are failures: the object cannot be provisioned until someone fixes the cause. */
const FAILED_SKIPS: ReadonlySet<SkipReason> = new Set([
  'DuplicateTargetEntries',
  'DuplicateSourceEntries',
  'AttributeMappingFailed',
]);

const skip = (
  reason: SkipReason,
  extra: Partial<Extract<ObjectActionPlan, { kind: 'skip' }>> = {},
): Extract<ObjectActionPlan, { kind: 'skip' }> => ({
  kind: 'skip',
  reason,
  status: FAILED_SKIPS.has(reason) ? 'failure' : 'skipped',
  targetId: null,
  note: null,
  connectorState: null,
  ...extra,
});

const isFalse = (v: unknown) => sameValue(false, v, false);

/**
 * Decides what to do with one object (a user or a group): create, update only what differs,
 * disable (users) or delete (groups) one that left scope, delete one that was hard-deleted, or
 * skip with a reason the logs can explain.
 */
export function planObjectAction(input: PlanInput): ObjectActionPlan {
  const plan = planAction(input);
  if (!input.holdRemovals || (plan.kind !== 'disable' && plan.kind !== 'delete')) return plan;
  return skip('StagedDelete', {
    targetId: plan.targetId,
    note: `The ${plan.kind === 'disable' ? 'disable' : 'delete'} is held until the deletes are allowed.`,
  });
}

/**
 * Whether an object's next action would remove it from the application (disable or delete),
 * judged before any request, from its scope and what the job remembers of it. The accidental
 * deletion threshold counts these before a cycle removes anything.
 */
export function plansRemoval(
  input: Pick<PlanInput, 'scope' | 'connector' | 'flowTypes' | 'skipOutOfScopeDeletions' | 'outOfScope'>,
): boolean {
  const c = input.connector;
  if (c === null || c.state !== 'linked' || c.targetId === null) return false;
  if (input.scope === null) return input.flowTypes.includes('Delete');
  if (input.scope.inScope || input.skipOutOfScopeDeletions) return false;
  return input.flowTypes.includes(input.outOfScope === 'delete' ? 'Delete' : 'Update');
}

function planAction(input: PlanInput): ObjectActionPlan {
  const { scope, connector, match, flowTypes } = input;

  if (scope === null) {
    const targetId = connector && connector.state !== 'deleted' ? connector.targetId : null;
    if (targetId === null) return { kind: 'none' };
    if (!flowTypes.includes('Delete')) return skip('DeleteActionDisabled', { targetId });
    return { kind: 'delete', targetId };
  }

  if (!scope.inScope) {
    const reason = scope.skip?.reason ?? 'NotEffectivelyEntitled';
    if (match.kind !== 'one') {
      // Nothing of ours in the target (never provisioned, already disabled, or gone there).
      const gone = connector !== null && connector.state !== 'deleted' && connector.state !== 'disabled';
      return skip(reason, { connectorState: gone ? 'disabled' : null });
    }
    const targetId = match.targetId;
    if (input.skipOutOfScopeDeletions) {
      return skip(reason, {
        targetId,
        note: "SkipOutOfScopeDeletions is 'True': the account in the application is left as it is.",
        connectorState: 'disabled',
      });
    }
    if (input.outOfScope === 'delete') {
      if (!flowTypes.includes('Delete')) return skip('DeleteActionDisabled', { targetId });
      return { kind: 'delete', targetId };
    }
    const current = readScimAttributes(match.resource, ['active']).active;
    if (isFalse(current)) return skip('RedundantExport', { targetId, connectorState: 'disabled' });
    if (!flowTypes.includes('Update')) return skip('UpdateActionDisabled', { targetId });
    return { kind: 'disable', targetId, changes: [{ path: 'active', oldValue: current, newValue: 'False' }] };
  }

  if (input.mappingErrors.length > 0) {
    return skip('AttributeMappingFailed', { targetId: match.kind === 'one' ? match.targetId : null });
  }
  if (input.ignoreObject)
    return skip('ObjectFlowIgnored', { targetId: match.kind === 'one' ? match.targetId : null });

  if (match.kind === 'many') return skip('DuplicateTargetEntries');
  if (match.kind === 'taken') return skip('DuplicateSourceEntries');

  if (match.kind === 'one') {
    const desired = plainValues(input.desiredForUpdate);
    const current = readScimAttributes(match.resource, Object.keys(desired));
    const changes = diffAttributes(desired, current, input.caseExactByPath, input.appRoleFlows).filter(
      // "AttributeAddOnly" fills an empty target attribute and never overwrites one.
      (c) =>
        input.desiredForUpdate[c.path]?.flowType !== 'AttributeAddOnly' ||
        c.oldValue === undefined ||
        c.oldValue === null ||
        c.oldValue === '',
    );
    if (changes.length === 0 && connector?.state === 'pendingCreate' && flowTypes.includes('Add'))
      return { kind: 'create', values: input.desiredForCreate, foundTargetId: match.targetId };
    if (changes.length === 0)
      return skip('RedundantExport', { targetId: match.targetId, connectorState: 'linked' });
    if (!flowTypes.includes('Update'))
      return skip('UpdateActionDisabled', { targetId: match.targetId, connectorState: 'linked' });
    return { kind: 'update', targetId: match.targetId, changes, values: input.desiredForUpdate };
  }

  const hasLink = connector !== null && connector.state !== 'deleted' && connector.targetId !== null;
  if (match.kind === 'notLooked' && !hasLink && !input.matchingValues.some((m) => m.value !== null)) {
    return skip('MatchingAttributeEmpty', {
      note: `No value for ${input.matchingValues.map((m) => m.targetAttributeName).join(', ') || 'any matching attribute'}.`,
    });
  }
  if (!flowTypes.includes('Add')) return skip('CreateActionDisabled');
  const missing = input.requiredTargets.filter((t) => !(t in input.desiredForCreate));
  if (missing.length > 0)
    return skip('RequiredAttributeMissing', { note: `Missing: ${missing.join(', ')}.` });
  return { kind: 'create', values: input.desiredForCreate };
}
