import type { MappingFailure, MatchingValue } from './attribute-mappings';
import type { MatchOutcome, SkipReason } from './plan-object-action';
import type { NotEntitledCause, ScopeResult } from './scoping';

export interface SkipContext {
  objectType: string;
  /** The object as descriptions name it (a user's userPrincipalName). */
  identity: string;
  appName: string;
  scope: ScopeResult | null;
  match: MatchOutcome;
  matchingValues: readonly MatchingValue[];
  mappingErrors: readonly MappingFailure[];
  note: string | null;
}

export interface SkipExplanation {
  /** Error code shown under Troubleshooting & Recommendations. */
  errorCode: string;
  /** What happened, in a sentence or two. */
  reason: string;
  /** What to do about it. */
  recommendedAction: string;
  /** The skip step's description. */
  description: string;
}

const CAUSE_TEXT: Record<NotEntitledCause, string> = {
  NotAssigned: 'it is not assigned to the application, directly or through a group it is a direct member of',
  AppRoleNotAvailable:
    'its assignment names an app role that the application no longer has (the role was disabled or removed), so the assignment no longer entitles it',
  AccountDisabled: 'its account is disabled in the directory (accountEnabled is false)',
  SoftDeleted: 'it is deleted (in the recycle bin) in the directory',
};

const CAUSE_ACTION: Record<NotEntitledCause, string> = {
  NotAssigned:
    "Assign the user to the application (Users and groups), or add it to an assigned group, or change Scope to 'Sync all users and groups'.",
  AppRoleNotAvailable:
    'Reassign the user to an existing role: under Users and groups remove its assignment (or that of the group it is assigned through) and assign it again with an enabled app role, or enable the role again under App roles.',
  AccountDisabled:
    'Enable the account in the directory if the user should have access; disabled users are not provisioned.',
  SoftDeleted: 'Restore the user from the recycle bin if it should keep its access.',
};

/** What differs for groups: a group is entitled by its own assignment, and has no account to disable. */
const GROUP_CAUSE_TEXT: Partial<Record<NotEntitledCause, string>> = {
  NotAssigned:
    'the group itself is not assigned to the application (a group is provisioned when it is assigned)',
};
const GROUP_CAUSE_ACTION: Partial<Record<NotEntitledCause, string>> = {
  AppRoleNotAvailable:
    'Reassign the group to an existing role: under Users and groups remove its assignment and assign it again with an enabled app role, or enable the role again under App roles.',
  NotAssigned:
    "Assign the group to the application (Users and groups), or change Scope to 'Sync all users and groups'.",
  SoftDeleted: 'Restore the group from the recycle bin if it should stay in the application.',
};
/** Why an object is not entitled, as a clause ("it is not assigned to the application, …"). */
export const causeText = (objectType: string, c: NotEntitledCause) =>
  (objectType === 'Group' ? GROUP_CAUSE_TEXT[c] : undefined) ?? CAUSE_TEXT[c];
/**
 * Why an object is out of scope, as a clause ("it is not assigned to the application, …"): what
 * keeps it from being entitled, or the scoping filters it fails.
 */
export function outOfScopeCause(objectType: string, scope: ScopeResult | null): string {
  const skip = scope?.skip;
  if (skip?.reason === 'OutOfScope') {
    const list = skip.failing
      .map((f) => `scoping filter '${f.filter}' (clause ${f.clause} is false)`)
      .join(', or ');
    return `it does not meet ${list || 'any scoping filter'}`;
  }
  const causes = skip?.reason === 'NotEffectivelyEntitled' ? skip.causes : [];
  return causes.length > 0
    ? causes.map((c) => causeText(objectType, c)).join('; and ')
    : 'it is not entitled';
}
const causeAction = (objectType: string, c: NotEntitledCause) =>
  (objectType === 'Group' ? GROUP_CAUSE_ACTION[c] : undefined) ?? CAUSE_ACTION[c];

/**
 * The error code, reason, recommended action and step description of a skip, so that a
 * skipped or failed event says what happened and what to do.
 */
export function describeSkip(reason: SkipReason, ctx: SkipContext): SkipExplanation {
  const who = `${ctx.objectType} '${ctx.identity}'`;
  const noun = ctx.objectType === 'Group' ? 'group' : 'user';
  const noted = ctx.note ? ` ${ctx.note}` : '';
  switch (reason) {
    case 'NotEffectivelyEntitled': {
      const causes = ctx.scope?.skip?.reason === 'NotEffectivelyEntitled' ? ctx.scope.skip.causes : [];
      const text = outOfScopeCause(ctx.objectType, ctx.scope);
      return {
        errorCode: 'NotEffectivelyEntitled',
        reason: `The ${who} will be skipped: this object does not have the required entitlement for provisioning because ${text}.${noted}`,
        recommendedAction:
          causes.length > 0
            ? causes.map((c) => causeAction(ctx.objectType, c)).join(' ')
            : causeAction(ctx.objectType, 'NotAssigned'),
        description: `The ${who} is not effectively entitled for provisioning to ${ctx.appName}; it was skipped.${noted}`,
      };
    }
    case 'OutOfScope':
      return {
        errorCode: 'OutOfScope',
        reason: `The ${who} is out of scope: ${outOfScopeCause(ctx.objectType, ctx.scope)}.${noted}`,
        recommendedAction: `If the ${noun} should be provisioned, change its attributes so that it meets a scoping filter, or change the scoping filters under Mappings > Source Object Scope (saving them starts an initial cycle).`,
        description: `The ${who} does not meet the scoping filters of the mapping; it was skipped.${noted}`,
      };
    case 'MatchingAttributeEmpty': {
      const names = ctx.matchingValues.map((m) => m.targetAttributeName).join(', ');
      return {
        errorCode: 'ImportSkipped',
        reason: `The ${who} has no value for any matching attribute (${names || 'none is configured'}), so it cannot be matched to an account in ${ctx.appName}.`,
        recommendedAction:
          ctx.objectType === 'Group'
            ? `Give the group a value for the source attribute behind its matching attribute (${names || 'displayName'}): a group is matched by its display name unless the group mapping says otherwise.`
            : 'Give the user a value for the source attribute behind a matching attribute, or add a matching attribute (Match objects using this attribute) that every user has.',
        description: `The ${who} was skipped: its matching attributes are empty.`,
      };
    }
    case 'RequiredAttributeMissing':
      return {
        errorCode: 'MandatoryFieldsMissing',
        reason: `The ${who} cannot be created in ${ctx.appName}: a required target attribute has no value.${noted}`,
        recommendedAction: `Give the ${noun} a value for the source attribute mapped to the required attribute, or set a Default value if null on that mapping.`,
        description: `The ${who} was not created: a required attribute is missing.${noted}`,
      };
    case 'RedundantExport':
      return {
        errorCode: 'RedundantExport',
        reason: `The state of the ${noun} in both the source and target systems already match.`,
        recommendedAction: 'Nothing to do.',
        description: `The state of the ${noun} in both the source and target systems already match. No change to the ${who} currently needs to be made.`,
      };
    case 'CreateActionDisabled':
      return {
        errorCode: 'CreateActionDisabled',
        reason: `The ${who} has no account in ${ctx.appName}, but the mapping's Target Object Actions do not include Create.`,
        recommendedAction:
          'Tick Create under Mappings > Target Object Actions if Provisio should create accounts.',
        description: `The ${who} would be created in ${ctx.appName}, but Create is not enabled; it was skipped.`,
      };
    case 'UpdateActionDisabled':
      return {
        errorCode: 'UpdateActionDisabled',
        reason: `The account of the ${who} in ${ctx.appName} differs from the directory, but the mapping's Target Object Actions do not include Update.`,
        recommendedAction:
          'Tick Update under Mappings > Target Object Actions if Provisio should update (and disable) accounts.',
        description: `The ${who} would be updated in ${ctx.appName}, but Update is not enabled; it was skipped.`,
      };
    case 'StagedDelete':
      return {
        errorCode: 'TooManyDeletes',
        reason: `The ${who} would be removed from ${ctx.appName}, but this cycle removes more objects than the accidental deletion threshold allows, so no removal is made.${noted}`,
        recommendedAction:
          'If the removals are intended, select Allow deletes on the Provisioning overview. Otherwise fix the assignments, scoping filters or deletions that caused them, then restart provisioning.',
        description: `The removal of the ${who} from ${ctx.appName} is staged: the accidental deletion threshold was exceeded.`,
      };
    case 'DeleteActionDisabled':
      return {
        errorCode: 'DeleteActionDisabled',
        reason: `The ${who} was deleted from the directory, but the mapping's Target Object Actions do not include Delete, so its account in ${ctx.appName} stays.`,
        recommendedAction:
          'Tick Delete under Mappings > Target Object Actions if Provisio should delete accounts of deleted users.',
        description: `The ${who} would be deleted from ${ctx.appName}, but Delete is not enabled; it was skipped.`,
      };
    case 'DuplicateTargetEntries': {
      const m = ctx.match.kind === 'many' ? ctx.match : null;
      return {
        errorCode: 'DuplicateTargetEntries',
        reason: m
          ? `${m.targetIds.length} accounts in ${ctx.appName} have ${m.attribute} '${m.value}' (ids ${m.targetIds.join(', ')}); Provisio cannot tell which one belongs to the ${who}.`
          : `More than one account in ${ctx.appName} matches the ${who}.`,
        recommendedAction:
          'Remove or rename the duplicate accounts in the application so that only one matches, or match on an attribute that is unique.',
        description: `More than one ${ctx.objectType} in ${ctx.appName} matches the ${who}.`,
      };
    }
    case 'DuplicateSourceEntries': {
      const m = ctx.match.kind === 'taken' ? ctx.match : null;
      return {
        errorCode: 'DuplicateSourceEntries',
        reason: m
          ? `The ${who} matches the ${noun} ${m.targetId} in ${ctx.appName} by ${m.attribute} '${m.value}', but that ${noun} is already provisioned from another ${noun} of the directory (${m.heldBy}). Two ${noun}s of the directory cannot share one ${noun} in the application.`
          : `The ${who} matches a ${noun} in ${ctx.appName} that is already provisioned from another ${noun} of the directory.`,
        recommendedAction: m
          ? `Give one of the two ${noun}s a different value for the source attribute behind ${m.attribute}, or match on an attribute that is unique (Mappings), so that each has its own ${noun} in the application. Nothing was changed in ${ctx.appName}.`
          : `Give one of the two ${noun}s a different value for its matching attribute, or match on an attribute that is unique (Mappings).`,
        description: `Another ${noun} of the directory already holds the ${ctx.objectType} in ${ctx.appName} that the ${who} matches; it was not linked.`,
      };
    }
    case 'ReferencePending':
      return {
        errorCode: 'ReferencePending',
        reason: `The ${who} is in ${ctx.appName}, but a reference of it waits: ${ctx.note ?? 'the object it points at'} is not provisioned in ${ctx.appName}. The reference is set in the cycle that provisions it.`,
        recommendedAction: `Nothing, if that object should stay out of ${ctx.appName}. Otherwise assign it to the application (directly or through a group) and keep it in scope: the reference is then set without anything else to do.`,
        description: `A reference of the ${who} waits for the object it points at to be provisioned in ${ctx.appName}.`,
      };
    case 'ObjectFlowIgnored':
      return {
        errorCode: 'ObjectFlowIgnored',
        reason: `An attribute mapping of the ${who} reached IgnoreObjectFlow, so the object is not provisioned.`,
        recommendedAction:
          'Nothing to do if this is intended; otherwise change the expression that returns IgnoreObjectFlow.',
        description: `The ${who} was skipped by IgnoreObjectFlow.`,
      };
    case 'AttributeMappingFailed': {
      const list = ctx.mappingErrors.map((e) => `'${e.targetAttributeName}': ${e.message}`).join('; ');
      return {
        errorCode: 'AttributeMappingFailed',
        reason: `The attribute mappings could not be evaluated for the ${who}: ${list}.`,
        recommendedAction:
          'Fix the expression (test it in the expression builder against this user), or give the user the attribute values it expects.',
        description: `The attribute mappings of the ${who} failed to evaluate.`,
      };
    }
  }
}
