import type {
  ModifiedProperty,
  ProvisioningAction,
  ProvisioningErrorInfo,
  ProvisioningObjectSummary,
  ProvisioningResult,
  ProvisioningStep,
} from '@provisio/contracts';
import type { DesiredValues, MappingFailure, MatchingValue } from './attribute-mappings';
import type { FailureDecision } from './classify-failure';
import type { MatchOutcome, TargetLookup, ObjectActionPlan } from './plan-object-action';
import { flattenScimResource, type AttributeDiff } from './scim-resource';
import type { ScopeResult } from './scoping';
import { describeSkip, outOfScopeCause } from './skip-reasons';
import { sourceViewDetails, valueToLogString, type SourceView } from './source-view';

export const SOURCE_SYSTEM_NAME = 'Provisio Directory';
export const PROVISIONING_SERVICE_NAME = 'Provisio Provisioning Service';
export const REDACTED = '[Redact]';

/** One HTTP exchange with the target, as the SCIM client reports it. */
export interface ExchangeRecord {
  method: string;
  url: string;
  requestBody?: unknown;
  /** `requestBody` as sent, when the transport redacted nothing of it: logged as is when the plan redacts nothing either. */
  requestText?: string;
  status?: number;
  responseBody?: unknown;
  durationMs: number;
  error?: string;
}

/** How the export went (absent for skips, which export nothing). */
export type ExportOutcome =
  { kind: 'success'; targetId: string | null } | { kind: 'failure'; decision: FailureDecision };

export interface ProvisioningEventInput {
  id: string;
  changeId: string;
  cycleId: string;
  jobId: string;
  tenantId?: string;
  activityDateTime: string;
  durationInMilliseconds: number;
  servicePrincipal: { id: string; displayName: string };
  targetObjectName: string;
  source: {
    id: string;
    displayName: string;
    /** How descriptions name the object (a user's userPrincipalName). */
    reportableIdentifier: string;
    /** null when the object was hard-deleted from the directory. */
    view: SourceView | null;
  };
  objectType?: 'User' | 'Group';
  scope: ScopeResult | null;
  lookup: TargetLookup;
  match: MatchOutcome;
  /** The failure of the lookup itself, when it failed (the object then ends in failure). */
  lookupFailure?: FailureDecision | null;
  matchingValues: readonly MatchingValue[];
  mappingErrors?: readonly MappingFailure[];
  plan: ObjectActionPlan;
  outcome: ExportOutcome | null;
  /** Requests sent while exporting (after the lookup), for the export step's details. */
  exportExchanges?: readonly ExchangeRecord[];
  /** For an escrowed failure: when it is retried, or that retries stopped (the window is over). */
  escrow?: { nextAttemptAt: string } | { gaveUp: true; firstFailedAt: string } | null;
  /** Who caused the event; the provisioning service unless someone asked (provision on demand). */
  initiatedBy?: { id: string; displayName: string; initiatorType: string };
  /** References resolved to target ids before the export (a user's manager): one step each. */
  references?: readonly ReferenceResolution[];
  /**
   * A group's nested groups (groups that are its direct members), which are not expanded: a warning
   * step names them when the group is in scope.
   */
  nestedGroups?: readonly { id: string; displayName: string }[];
}

/** How one reference attribute was resolved for the event's referenceResolution step. */
export interface ReferenceResolution {
  /** The target attribute, e.g. the enterprise extension's manager. */
  attribute: string;
  /** The source object the reference points at; null when the source has none (the reference is cleared). */
  referenced: { objectType: string; id: string; name: string } | null;
  /** The referenced object's id in the target. */
  targetId: string | null;
  /** The referenced object is not provisioned yet: the reference waits for it (nothing is sent). */
  pending?: boolean;
}

/**
 * The words for a reference that waits for the object it points at (not provisioned in the target),
 * shared by its event's referenceResolution step and Explain.
 */
export function referenceWaitsText(attribute: string, who: string, referenced: string, app: string): string {
  return `The ${attribute} of the ${who} is ${referenced}, which is not provisioned in ${app}: the reference is set in the cycle that provisions it`;
}

/**
 * An event with a step for each of `references` before its export step, in the place of the steps
 * it had for those attributes: a reference of an object its own phase created or updated in the same
 * cycle, which waits for the object it points at, is told in that object's event, not in a second one.
 */
export function withReferenceSteps(
  event: ProvisioningObjectSummary,
  references: readonly ReferenceResolution[],
  objectType: string,
  reportableIdentifier: string,
): ProvisioningObjectSummary {
  const who = `${objectType} '${reportableIdentifier}'`;
  const attributes = new Set(references.map((r) => r.attribute));
  const steps = event.provisioningSteps.filter(
    (s) => s.provisioningStepType !== 'referenceResolution' || !attributes.has(s.details.Attribute ?? ''),
  );
  const exportAt = steps.findIndex((s) => s.provisioningStepType === 'export');
  steps.splice(
    exportAt < 0 ? steps.length : exportAt,
    0,
    ...references.map((r) => referenceStep(r, who, event.servicePrincipal.displayName)),
  );
  return { ...event, provisioningSteps: steps };
}

function referenceStep(r: ReferenceResolution, who: string, app: string): ProvisioningStep {
  if (r.referenced !== null && (r.pending || r.targetId === null)) {
    const referenced = `${r.referenced.objectType} '${r.referenced.name}'`;
    return {
      name: 'EntryReferenceResolve',
      provisioningStepType: 'referenceResolution',
      status: r.pending ? 'skipped' : 'success',
      description: r.pending
        ? referenceWaitsText(r.attribute, who, referenced, app)
        : `The ${r.attribute} of the ${who} is ${referenced}, which is not in ${app}: the reference is removed, and set again in the cycle that provisions it`,
      details: { Attribute: r.attribute, ReferencedObjectId: r.referenced.id },
    };
  }
  if (r.referenced === null) {
    return {
      name: 'EntryReferenceResolve',
      provisioningStepType: 'referenceResolution',
      status: 'success',
      description: `The ${who} has no value for ${r.attribute} in ${SOURCE_SYSTEM_NAME}: the reference is removed in ${app}`,
      details: { Attribute: r.attribute },
    };
  }
  const referenced = `${r.referenced.objectType} '${r.referenced.name}'`;
  return {
    name: 'EntryReferenceResolve',
    provisioningStepType: 'referenceResolution',
    status: 'success',
    description: `Resolved ${r.attribute} of the ${who} to ${referenced}, whose id in ${app} is '${r.targetId ?? ''}'`,
    details: {
      Attribute: r.attribute,
      ReferencedObjectId: r.referenced.id,
      ...(r.targetId === null ? {} : { TargetId: r.targetId }),
    },
  };
}

/**
 * The warning of a group in scope that holds nested groups: their members are not its members in
 * the target (nested groups are not expanded, as in Entra), and what to do about it.
 */
function nestedGroupsStep(
  groups: readonly { id: string; displayName: string }[],
  who: string,
  app: string,
): ProvisioningStep {
  const names = groups.map((g) => `'${g.displayName}'`).join(', ');
  const one = groups.length === 1;
  return {
    name: 'NestedGroupsNotExpanded',
    provisioningStepType: 'processing',
    status: 'warning',
    description:
      `The ${who} holds ${one ? 'a nested group' : `${groups.length} nested groups`} in ${SOURCE_SYSTEM_NAME} (${names}). ` +
      `Nested groups are not expanded: ${one ? 'its' : 'their'} members are not members of the group in ${app}. ` +
      `Add those users to the group directly, or assign the nested ${one ? 'group' : 'groups'} to ${app} ` +
      `to provision ${one ? 'it as a group' : 'them as groups'} of ${one ? 'its' : 'their'} own.`,
    details: {
      NestedGroups: groups.map((g) => g.displayName).join(', '),
      NestedGroupIds: groups.map((g) => g.id).join(', '),
    },
  };
}

/** How the additional details of an escrowed object's event begin (`tallyOfEvent` reads it back). */
export const ESCROWED_DETAILS = 'The operation is escrowed and retried';

function escrowDetails(escrow: ProvisioningEventInput['escrow']): string {
  if (!escrow) return `${ESCROWED_DETAILS} in a later cycle.`;
  if ('gaveUp' in escrow)
    return `The operation has failed since ${escrow.firstFailedAt}; the retry window is over, so it is no longer retried automatically. Fix the cause, then restart provisioning.`;
  return `${ESCROWED_DETAILS} in the first cycle after ${escrow.nextAttemptAt}.`;
}

const PRIMARY_TARGET_KEYS = ['userName', 'displayName', 'externalId'];

/** Replaces every redacted value inside a request or response body by "[Redact]". */
export function redactBody(body: unknown, secrets: ReadonlySet<string>): unknown {
  if (secrets.size === 0) return body;
  if (typeof body === 'string') return secrets.has(body) ? REDACTED : body;
  if (Array.isArray(body)) return body.map((b) => redactBody(b, secrets));
  if (typeof body === 'object' && body !== null) {
    return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, redactBody(v, secrets)]));
  }
  return body;
}

function redactedValues(plan: ObjectActionPlan): Set<string> {
  const out = new Set<string>();
  const values: DesiredValues | null = plan.kind === 'create' || plan.kind === 'update' ? plan.values : null;
  for (const d of Object.values(values ?? {})) {
    if (!d.redacted) continue;
    for (const v of Array.isArray(d.value) ? d.value : [d.value]) if (v !== null) out.add(String(v));
  }
  return out;
}

const logText = (v: unknown, redacted: boolean): string | null => {
  const text = valueToLogString(v);
  return redacted && text !== null ? REDACTED : text;
};

/** A creation's modified properties: every value sent, old value none (a loop: one per created object). */
function createdProperties(values: DesiredValues): ModifiedProperty[] {
  const out: ModifiedProperty[] = [];
  for (const path in values) {
    const d = values[path];
    if (d === undefined || !Object.hasOwn(values, path)) continue;
    out.push({ displayName: path, oldValue: null, newValue: logText(d.value, d.redacted) });
  }
  return out;
}

function modifiedProperties(plan: ObjectActionPlan): ModifiedProperty[] {
  const fromDiffs = (diffs: AttributeDiff[], values: DesiredValues | null) =>
    diffs.map((d) => {
      const redacted = values?.[d.path]?.redacted === true;
      return {
        displayName: d.path,
        oldValue: logText(d.oldValue, redacted),
        newValue: logText(d.newValue, redacted),
      };
    });
  switch (plan.kind) {
    case 'create':
      return createdProperties(plan.values);
    case 'update':
      return fromDiffs(plan.changes, plan.values);
    case 'disable':
      return fromDiffs(plan.changes, null);
    default:
      return [];
  }
}

function exchangeDetails(
  exchanges: readonly ExchangeRecord[],
  secrets: ReadonlySet<string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  exchanges.forEach((x, i) => {
    const n = exchanges.length > 1 ? ` ${i + 1}` : '';
    out[`Request${n}`] = `${x.method} ${x.url}`;
    if (x.requestBody !== undefined)
      out[`RequestBody${n}`] =
        x.requestText !== undefined && secrets.size === 0
          ? x.requestText
          : JSON.stringify(redactBody(x.requestBody, secrets));
    out[`ResponseStatus${n}`] = x.status === undefined ? 'none' : String(x.status);
    if (x.error !== undefined) out[`Error${n}`] = x.error;
    out[`DurationMs${n}`] = String(x.durationMs);
  });
  return out;
}

function actionOf(plan: ObjectActionPlan): ProvisioningAction {
  switch (plan.kind) {
    case 'create':
      return 'create';
    case 'update':
      return 'update';
    case 'disable':
      return 'disable';
    case 'delete':
      return 'delete';
    default:
      return 'other';
  }
}

const EXPORT_STEP: Record<
  'create' | 'update' | 'disable' | 'delete',
  { name: string; done: string; failed: string }
> = {
  create: { name: 'EntryExportAdd', done: 'was created in', failed: 'Failed to create' },
  update: { name: 'EntryExportUpdate', done: 'was updated in', failed: 'Failed to update' },
  disable: { name: 'EntryExportUpdateSoftDelete', done: 'was disabled in', failed: 'Failed to disable' },
  delete: { name: 'EntryExportDelete', done: 'was deleted from', failed: 'Failed to delete' },
};

/**
 * Builds the provisioning event of one object: the steps Entra shows (import, scoping,
 * matching, export or skip), the modified properties old → new (redacted values as
 * "[Redact]"), and for skips and failures an error code, reason and recommended action.
 */
export function buildProvisioningEvent(input: ProvisioningEventInput): ProvisioningObjectSummary {
  const objectType = input.objectType ?? 'User';
  const app = input.servicePrincipal.displayName;
  const who = `${objectType} '${input.source.reportableIdentifier}'`;
  const steps: ProvisioningStep[] = [];
  const plan = input.plan;
  const secrets = redactedValues(plan);
  const mappingErrors = input.mappingErrors ?? [];

  // Import.
  steps.push(
    input.source.view
      ? {
          name: 'EntryImport',
          provisioningStepType: 'import',
          status: 'success',
          description: `Retrieved ${who} from ${SOURCE_SYSTEM_NAME}`,
          details: sourceViewDetails(input.source.view),
        }
      : {
          name: 'EntryImportDelete',
          provisioningStepType: 'import',
          status: 'success',
          description: `Received ${who} change of type (Delete) from ${SOURCE_SYSTEM_NAME}`,
          details: { objectId: input.source.id },
        },
  );

  // Scoping.
  if (input.scope) {
    const inScope = input.scope.inScope;
    steps.push({
      name: 'EntrySynchronizationScoping',
      provisioningStepType: 'scoping',
      status: inScope || plan.kind !== 'skip' ? 'success' : 'skipped',
      description: inScope
        ? `Determine if ${objectType} in scope by evaluating against each scoping filter: the ${who} is in scope`
        : `Determine if ${objectType} in scope by evaluating against each scoping filter: the ${who} is out of scope: ${outOfScopeCause(objectType, input.scope)}`,
      details: input.scope.details,
    });
  }

  // Matching.
  const match = input.match;
  const matchDetails = (): Record<string, string> => {
    const d: Record<string, string> = {};
    input.matchingValues.forEach((m) => {
      if (m.value !== null) d[`MatchingAttribute ${m.targetAttributeName}`] = m.redacted ? REDACTED : m.value;
    });
    return d;
  };
  if (input.lookupFailure) {
    steps.push({
      name: 'EntryImport',
      provisioningStepType: 'matching',
      status: 'failure',
      description: `Failed to look up ${who} in ${app}`,
      details: { ...matchDetails(), Error: input.lookupFailure.reason },
    });
  } else if (match.kind === 'one') {
    steps.push({
      name: 'EntryImport',
      provisioningStepType: 'matching',
      status: 'success',
      description: `Retrieved '${input.source.reportableIdentifier}' from ${app}`,
      details: {
        ...(match.via.kind === 'link'
          ? { MatchedBy: 'id (the link kept in the connector data store)' }
          : { MatchedBy: `${match.via.attribute} eq "${match.via.value}"` }),
        id: match.targetId,
        ...flattenScimResource(match.resource),
      },
    });
  } else if (match.kind === 'none') {
    steps.push({
      name: 'EntryImport',
      provisioningStepType: 'matching',
      status: 'success',
      description: `No matching ${objectType} was found in ${app}`,
      details: Object.fromEntries(match.tried.map((t) => [`Searched ${t.attribute}`, t.value])),
    });
  } else if (match.kind === 'taken') {
    steps.push({
      name: 'EntryImport',
      provisioningStepType: 'matching',
      status: 'failure',
      description: `Found ${objectType} ${match.targetId} in ${app} with ${match.attribute} '${match.value}', already provisioned from ${match.heldBy}`,
      details: {
        MatchedBy: `${match.attribute} eq "${match.value}"`,
        TargetId: match.targetId,
        HeldBy: match.heldBy,
      },
    });
  } else if (match.kind === 'many') {
    steps.push({
      name: 'EntryImport',
      provisioningStepType: 'matching',
      status: 'failure',
      description: `Found ${match.targetIds.length} ${objectType}s in ${app} with ${match.attribute} '${match.value}'`,
      details: { MatchedBy: `${match.attribute} eq "${match.value}"`, TargetIds: match.targetIds.join(', ') },
    });
  }

  for (const r of input.references ?? []) steps.push(referenceStep(r, who, app));
  if (input.nestedGroups?.length && input.scope?.inScope)
    steps.push(nestedGroupsStep(input.nestedGroups, who, app));

  // Export or skip.
  let status: ProvisioningResult;
  let errorInformation: ProvisioningErrorInfo | null = null;
  let targetId = match.kind === 'one' ? match.targetId : '';
  const exportDetails = exchangeDetails(input.exportExchanges ?? [], secrets);

  if (input.lookupFailure) {
    const d = input.lookupFailure;
    status = 'failure';
    errorInformation = {
      errorCode: d.errorCode,
      reason: d.reason,
      additionalDetails: d.disposition === 'escrow' ? escrowDetails(input.escrow) : null,
      errorCategory: d.errorCategory,
      recommendedAction: d.recommendedAction,
    };
  } else if (plan.kind === 'skip' || plan.kind === 'none') {
    const reason = plan.kind === 'skip' ? plan.reason : 'NotEffectivelyEntitled';
    const explained = describeSkip(reason, {
      objectType,
      identity: input.source.reportableIdentifier,
      appName: app,
      scope: input.scope,
      match,
      matchingValues: input.matchingValues,
      mappingErrors,
      note: plan.kind === 'skip' ? plan.note : null,
    });
    status = plan.kind === 'skip' ? plan.status : 'skipped';
    if (plan.kind === 'skip' && plan.targetId) targetId = plan.targetId;
    steps.push({
      name: 'EntrySynchronizationSkip',
      provisioningStepType: 'export',
      status,
      description: explained.description,
      details: { SkipReason: reason, ReportableIdentifier: input.source.reportableIdentifier },
    });
    errorInformation = {
      errorCode: explained.errorCode,
      reason: explained.reason,
      additionalDetails: plan.kind === 'skip' ? plan.note : null,
      errorCategory: status === 'failure' ? 'nonServiceFailure' : 'success',
      recommendedAction: explained.recommendedAction,
    };
  } else {
    const step = EXPORT_STEP[plan.kind];
    const outcome = input.outcome;
    if (plan.kind !== 'create') targetId = plan.targetId;
    if (outcome?.kind === 'failure') {
      status = 'failure';
      steps.push({
        name: step.name,
        provisioningStepType: 'export',
        status: 'failure',
        description: `${step.failed} ${who} in ${app}`,
        details: { ReportableIdentifier: input.source.reportableIdentifier, ...exportDetails },
      });
      errorInformation = {
        errorCode: outcome.decision.errorCode,
        reason: outcome.decision.reason,
        additionalDetails: outcome.decision.disposition === 'escrow' ? escrowDetails(input.escrow) : null,
        errorCategory: outcome.decision.errorCategory,
        recommendedAction: outcome.decision.recommendedAction,
      };
    } else {
      status = 'success';
      if (outcome?.kind === 'success' && outcome.targetId) targetId = outcome.targetId;
      const found = plan.kind === 'create' && plan.foundTargetId !== undefined;
      steps.push({
        name: step.name,
        provisioningStepType: 'export',
        status: 'success',
        description: found
          ? `${who} ${step.done} ${app} by an earlier attempt that stopped before recording the answer; the account was found by its matching attributes, holding the values sent, and linked (nothing was sent again)`
          : `${who} ${step.done} ${app}`,
        details: { ReportableIdentifier: input.source.reportableIdentifier, ...exportDetails },
      });
    }
  }

  // A success with a step that warns (nested groups not expanded) is a warning, as the log's
  // status filter and counts show it.
  if (status === 'success' && steps.some((s) => s.status === 'warning')) status = 'warning';

  const targetName = (() => {
    const values = plan.kind === 'create' || plan.kind === 'update' ? plan.values : null;
    for (const key of PRIMARY_TARGET_KEYS) {
      const d = values?.[key];
      if (d && !d.redacted && d.value !== null) return String(d.value);
    }
    if (match.kind === 'one') {
      const flat = flattenScimResource(match.resource);
      for (const key of PRIMARY_TARGET_KEYS) if (flat[key]) return flat[key];
    }
    // An object deleted for good is not looked up: it is named as it was exported.
    if ((plan.kind === 'delete' || plan.kind === 'disable') && input.source.view === null)
      return input.source.reportableIdentifier === input.source.id ? '' : input.source.reportableIdentifier;
    return '';
  })();

  return {
    id: input.id,
    activityDateTime: input.activityDateTime,
    changeId: input.changeId,
    cycleId: input.cycleId,
    jobId: input.jobId,
    durationInMilliseconds: Math.max(0, Math.round(input.durationInMilliseconds)),
    initiatedBy: input.initiatedBy
      ? { ...input.initiatedBy }
      : { id: '', displayName: PROVISIONING_SERVICE_NAME, initiatorType: 'system' },
    modifiedProperties:
      status === 'success' ||
      status === 'warning' ||
      (input.outcome?.kind === 'failure' && !input.lookupFailure)
        ? modifiedProperties(plan)
        : [],
    provisioningAction: input.lookupFailure
      ? 'other'
      : plan.kind === 'skip' && plan.reason === 'StagedDelete'
        ? 'stagedDelete'
        : actionOf(plan),
    provisioningStatusInfo: { status, errorInformation },
    provisioningSteps: steps,
    servicePrincipal: { ...input.servicePrincipal },
    sourceIdentity: {
      id: input.source.id,
      displayName: input.source.displayName,
      identityType: objectType,
      details: {},
    },
    targetIdentity: {
      id: targetId,
      displayName: targetName,
      identityType: input.targetObjectName,
      details: {},
    },
    sourceSystem: { id: 'Provisio', displayName: SOURCE_SYSTEM_NAME, details: {} },
    targetSystem: {
      id: input.jobId,
      displayName: app,
      details: { ServicePrincipalId: input.servicePrincipal.id, ServicePrincipalDisplayName: app },
    },
    tenantId: input.tenantId ?? '',
  };
}
