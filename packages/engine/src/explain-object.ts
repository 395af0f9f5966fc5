import type { MatchingValue } from './attribute-mappings';
import type { FailureDecision } from './classify-failure';
import type { ObjectActionPlan, MatchOutcome } from './plan-object-action';
import type { ReferencePlan } from './plan-references';
import { referenceWaitsText } from './provisioning-event';
import { quarantineFix } from '@provisio/contracts';
import type { Quarantine } from './quarantine-policy';
import { readSourceAttribute, type SourceView } from './source-view';
import type { CompiledScope, ScopeResult } from './scoping';
import { causeText, describeSkip } from './skip-reasons';

/** One thing Explain looked at, and whether it stands in the way. */
export interface ExplainCheck {
  name: string;
  passed: boolean;
  detail: string;
}

/** Explain's answer: will the next cycle provision the object, what will it do, why, and what to do. */
export interface Explanation {
  willProvision: boolean;
  /** What the next cycle would do: an export action, `skip`, `staged`, or `none` when it will not run. */
  action: 'create' | 'update' | 'disable' | 'delete' | 'skip' | 'staged' | 'failed' | 'none';
  reason: string;
  /** The object's failed export waits in escrow: the first cycle after this time retries it, not the next. */
  retryAt?: string;
  recommendedAction: string;
  checks: ExplainCheck[];
}

export interface ExplainInput {
  objectType: 'User' | 'Group';
  /** How events name the object (a user's userPrincipalName). */
  identity: string;
  appName: string;
  job: {
    /** The job has a Tenant URL and a Secret Token. */
    configured: boolean;
    /** Provisioning is On. */
    active: boolean;
    quarantine: Quarantine | null;
    /** An initial cycle has completed (the job has a watermark). */
    initialCycleDone: boolean;
    /**
     * The configuration (mappings, scoping filters, scope setting) changed since the watermark was
     * reached: the next cycle is initial again.
     */
    configurationChanged?: boolean;
    /** The job's cycle is running now. */
    cycleRunning: boolean;
  };
  /** null when the object is not in the directory (or hard-deleted). */
  view: SourceView | null;
  scope: ScopeResult | null;
  compiledScope: CompiledScope;
  /** How the object is assigned: directly, through these groups, or not at all; and its role. */
  assignment: { direct: boolean; groups: string[]; role: string | null };
  matchingValues: readonly MatchingValue[];
  /** Required target attributes without a value. */
  missingRequired: readonly string[];
  /** The one read-only lookup of the target: what it holds for the object, or why it could not be read. */
  lookup: { match: MatchOutcome } | { failure: FailureDecision } | { notLooked: string };
  /** What the cycle would plan (the engine's `planObjectAction`, as the worker calls it). */
  plan: ObjectActionPlan;
  /** A failed export of the object waiting for its retry (`nextAttemptAt` is ISO 8601 UTC). */
  escrow: { attempts: number; nextAttemptAt: string; reason: string } | null;
  /** When Explain is asked (ISO 8601 UTC): an escrow whose retry is later waits for it. */
  now: string;
  /**
   * Each reference mapping of the object (a user's manager) as the references phase would plan it
   * now; absent or empty when the mapping has none.
   */
  references?: readonly ExplainReference[];
  /**
   * A failed update of the object's references waiting for its retry (the `<id>/references` escrow,
   * `nextAttemptAt` ISO 8601 UTC); absent or null when there is none.
   */
  referencesEscrow?: { nextAttemptAt: string } | null;
  lastEvent: { activityDateTime: string; action: string; status: string; reason: string | null } | null;
}

/** One reference of the object: what it points at in the directory and what the cycle would do. */
export interface ExplainReference {
  /** The target attribute, e.g. the enterprise extension's manager. */
  attribute: string;
  /** The object the reference points at, as the directory names it; null when there is none. */
  referenced: { objectType: string; name: string } | null;
  /** The referenced object's id in the target, when the job provisioned it. */
  referencedTargetId: string | null;
  /** What the references phase would do (`planReferenceChange`, as the worker calls it). */
  plan: ReferencePlan;
}

/**
 * Why the next cycle will (not) provision an object, in the words its event would use: the job's
 * state first (configured, on, out of quarantine, initial cycle done), then the object's
 * assignment, activity, scoping clauses with its actual values, matching value and what the
 * target holds, required attributes, escrow, and what the cycle would plan. The plan comes from
 * the same `planObjectAction` the worker calls, and a skip is described by the same
 * `describeSkip`, so Explain and the provisioning log never disagree.
 *
 * @example explainObject({ …, plan: { kind: 'skip', reason: 'OutOfScope', … } })
 *   // → { willProvision: false, action: 'skip', reason: "The User 'ana@…' is out of scope: …", … }
 */
export function explainObject(input: ExplainInput): Explanation {
  const checks = [...jobChecks(input), ...objectChecks(input)];
  // Credentials the application rejects stop every object, whatever else holds: said first.
  if ('failure' in input.lookup && input.lookup.failure.disposition === 'stopCycle') {
    return {
      willProvision: false,
      action: 'failed',
      reason: input.lookup.failure.reason,
      recommendedAction: input.lookup.failure.recommendedAction,
      checks,
    };
  }
  const blocking = jobBlocker(input);
  if (blocking) return { willProvision: false, action: 'none', ...blocking, checks };
  const { plan } = input;
  if ('failure' in input.lookup) {
    return {
      willProvision: false,
      action: 'failed',
      reason: input.lookup.failure.reason,
      recommendedAction: input.lookup.failure.recommendedAction,
      checks,
    };
  }
  const who = `${input.objectType} '${input.identity}'`;
  const { cycle, recommendedAction, waits } = actingCycle(input);
  switch (plan.kind) {
    case 'none':
      return {
        willProvision: false,
        action: 'none',
        reason: `The ${who} is not in the directory and was never provisioned to ${input.appName}: nothing to do.`,
        recommendedAction: 'None.',
        checks,
      };
    case 'skip': {
      const explained = describeSkip(plan.reason, {
        objectType: input.objectType,
        identity: input.identity,
        appName: input.appName,
        scope: input.scope,
        match: 'match' in input.lookup ? input.lookup.match : { kind: 'notLooked' },
        matchingValues: input.matchingValues,
        mappingErrors: [],
        note: plan.note,
      });
      return {
        willProvision: false,
        action: plan.reason === 'StagedDelete' ? 'staged' : 'skip',
        reason: explained.reason,
        recommendedAction: explained.recommendedAction,
        checks,
      };
    }
    case 'create':
      return {
        willProvision: true,
        action: 'create',
        reason:
          plan.foundTargetId !== undefined
            ? `An earlier attempt created the ${who} in ${input.appName} and stopped before recording it; the account found holds the values sent: ${cycle} links it, sending nothing.`
            : `The ${who} is assigned, active and in scope, and no ${input.objectType} in ${input.appName} matches it: ${cycle} creates it.`,
        ...waits,
        recommendedAction,
        checks,
      };
    case 'update':
      return {
        willProvision: true,
        action: 'update',
        reason: `The ${who} is provisioned to ${input.appName}, and ${plan.changes.map((c) => c.path).join(', ')} differ${plan.changes.length === 1 ? 's' : ''}: ${cycle} updates ${plan.changes.length === 1 ? 'it' : 'them'}.`,
        ...waits,
        recommendedAction,
        checks,
      };
    case 'disable':
    case 'delete':
      return {
        willProvision: true,
        action: plan.kind,
        reason: `The ${who} ${removalCause(input)}: ${cycle} ${plan.kind === 'disable' ? 'disables it in' : 'deletes it from'} ${input.appName}.`,
        ...waits,
        recommendedAction:
          input.scope?.skip?.reason === 'NotEffectivelyEntitled'
            ? 'If it should keep its access, assign it to the application again (or enable it in the directory).'
            : 'If it should keep its access, change its attributes or the scoping filters so that it is in scope.',
        checks,
      };
  }
}

/**
 * Which cycle exports the object. The next one, unless a failed export of it waits in escrow for a
 * later retry: an incremental cycle visits the object only once that retry is due, or sooner when
 * the object changes in the directory (an initial cycle visits every escrowed object).
 */
function actingCycle(input: ExplainInput): {
  cycle: string;
  recommendedAction: string;
  /** What the answer adds: `retryAt` when the object waits for its retry. */
  waits: Pick<Explanation, 'retryAt'>;
} {
  const retryAt = retryAhead(input, [input.escrow]);
  if (retryAt === null) return { cycle: 'the next cycle', recommendedAction: 'None.', waits: {} };
  return {
    waits: { retryAt },
    cycle: `the first cycle after ${retryAt}, which retries its failed export,`,
    recommendedAction: `None. To retry it now, provision the ${input.objectType} on demand; a change to it in the directory also has the next cycle retry it.`,
  };
}

/**
 * Explain's answer for a job that has no credentials yet, when nothing else about it can be read
 * (its settings cannot be read without them).
 */
export function explainUnconfiguredJob(appName: string): Explanation {
  const blocking = jobBlocker({
    appName,
    job: { configured: false, active: false, quarantine: null, initialCycleDone: false, cycleRunning: false },
  });
  return {
    willProvision: false,
    action: 'none',
    reason: blocking?.reason ?? '',
    recommendedAction: blocking?.recommendedAction ?? '',
    checks: [{ name: 'Provisioning configured', passed: false, detail: 'No Tenant URL or Secret Token.' }],
  };
}

/** What stops every object of the job, before the object itself matters. */
function jobBlocker(
  input: Pick<ExplainInput, 'appName' | 'job'>,
): { reason: string; recommendedAction: string } | null {
  const app = input.appName;
  if (!input.job.configured) {
    return {
      reason: `Provisioning of ${app} is not configured: it has no Tenant URL and Secret Token.`,
      recommendedAction:
        'Enter the Tenant URL and Secret Token under Provisioning > Admin Credentials, Test Connection, save, then set Provisioning Status On.',
    };
  }
  if (input.job.quarantine) {
    return {
      reason: `Provisioning of ${app} is in quarantine (${input.job.quarantine.reason}): cycles run at a reduced pace and provision nothing until the cause is fixed.`,
      recommendedAction: quarantineFix(input.job.quarantine.reason),
    };
  }
  if (!input.job.active) {
    return {
      reason: `Provisioning of ${app} is Off: no cycle runs.`,
      recommendedAction:
        'Set Provisioning Status On (Provisioning > Start provisioning), or use Provision on demand for this object.',
    };
  }
  return null;
}

/**
 * When the first of these escrowed failures is retried, if the next cycle leaves the object to that
 * retry: null when none waits, one is due already, or the next cycle is initial (it visits every
 * escrowed object).
 */
function retryAhead(
  input: Pick<ExplainInput, 'job' | 'now'>,
  escrows: readonly ({ nextAttemptAt: string } | null | undefined)[],
): string | null {
  const waiting = escrows.flatMap((e) => (e ? [e.nextAttemptAt] : []));
  if (waiting.length === 0 || nextCycleInitial(input.job) || waiting.some((at) => at <= input.now))
    return null;
  return waiting.sort()[0] ?? null;
}

/** The next cycle evaluates every assigned object: none has completed, or the configuration changed since. */
const nextCycleInitial = (job: ExplainInput['job']) =>
  !job.initialCycleDone || job.configurationChanged === true;

function jobChecks(input: ExplainInput): ExplainCheck[] {
  const { job } = input;
  return [
    {
      name: 'Provisioning configured',
      passed: job.configured,
      detail: job.configured
        ? 'The job has a Tenant URL and a Secret Token.'
        : 'No Tenant URL or Secret Token.',
    },
    {
      name: 'Provisioning On',
      passed: job.active,
      detail: job.active ? 'Cycles run on the schedule.' : 'Provisioning Status is Off.',
    },
    {
      name: 'Not in quarantine',
      passed: job.quarantine === null,
      detail: job.quarantine
        ? `In quarantine since ${job.quarantine.currentBegan} (${job.quarantine.reason}); next attempt ${job.quarantine.nextAttempt}.`
        : 'The job is not quarantined.',
    },
    {
      name: 'Initial cycle completed',
      passed: !nextCycleInitial(job),
      detail: !nextCycleInitial(job)
        ? 'Later cycles are incremental: a change to this object is picked up by the next one.'
        : job.initialCycleDone
          ? 'The mappings, scoping filters or scope changed since the last cycle: the next cycle is initial again and evaluates every assigned object.'
          : job.cycleRunning
            ? 'The initial cycle is running: every assigned object is evaluated in it.'
            : 'No initial cycle has completed yet: the next cycle evaluates every assigned object.',
    },
  ];
}

function objectChecks(input: ExplainInput): ExplainCheck[] {
  const checks: ExplainCheck[] = [];
  const { scope, view, assignment } = input;
  checks.push({
    name: 'In the directory',
    passed: view !== null,
    detail: view ? `${input.objectType} '${input.identity}'.` : 'The object is not in the directory.',
  });
  if (!view || !scope) return [...checks, ...lookupChecks(input)];
  const via = [
    ...(assignment.direct ? ['directly'] : []),
    ...assignment.groups.map((g) => `through the group '${g}'`),
  ];
  checks.push({
    name: 'Assigned',
    passed: scope.hasRequiredRole || scope.syncAll,
    detail: scope.assigned
      ? !scope.hasRequiredRole && !scope.syncAll
        ? `Assigned ${via.join(' and ') || 'to the application'}, but ${causeText(input.objectType, 'AppRoleNotAvailable')}.`
        : `Assigned ${via.join(' and ') || 'to the application'}${assignment.role ? ` with the role '${assignment.role}'` : ''}.`
      : scope.syncAll
        ? "Not assigned, but the scope is 'Sync all users and groups'."
        : `Not assigned: ${causeText(input.objectType, 'NotAssigned')}.`,
  });
  checks.push({
    name: 'Active',
    passed: scope.isActive,
    detail: scope.isActive
      ? 'Enabled in the directory and not deleted.'
      : (scope.skip?.reason === 'NotEffectivelyEntitled' ? scope.skip.causes : [])
          .filter((c) => c !== 'NotAssigned')
          .map((c) => causeText(input.objectType, c))
          .join('; ') || 'Not active.',
  });
  for (const group of input.compiledScope.groups) {
    for (const clause of group.clauses) {
      const value = readSourceAttribute(view, clause.attribute);
      const shown = value === undefined || value === null || value === '' ? '(empty)' : JSON.stringify(value);
      checks.push({
        name: `Scoping filter '${group.name}': ${clause.key.slice(group.name.length + 1)}`,
        passed: scope.clauseResults[clause.key] === true,
        detail: `${clause.attribute} is ${shown}.`,
      });
    }
  }
  checks.push({
    name: 'Required attributes',
    passed: input.missingRequired.length === 0,
    detail:
      input.missingRequired.length === 0
        ? 'Every attribute the application requires has a value.'
        : `No value for ${input.missingRequired.join(', ')}.`,
  });
  if (scope.inScope) checks.push(...(input.references ?? []).map((r) => referenceCheck(r, input)));
  return [...checks, ...lookupChecks(input)];
}

/**
 * A reference of an object in scope, in the words of its event's referenceResolution step: one that
 * waits for an object not provisioned fails the check, with the fix; the object itself still goes.
 */
function referenceCheck(r: ExplainReference, input: ExplainInput): ExplainCheck {
  const name = `Reference ${r.attribute.slice(r.attribute.lastIndexOf(':') + 1)}`;
  const who = `${input.objectType} '${input.identity}'`;
  const of = `The ${r.attribute} of the ${who}`;
  const cycle = referencesCycle(input);
  if (r.referenced === null) {
    return {
      name,
      passed: true,
      detail:
        r.plan.kind === 'clear'
          ? `${of} has no value: ${cycle} removes the reference in ${input.appName}.`
          : `${of} has no value: nothing is sent.`,
    };
  }
  const referenced = `${r.referenced.objectType} '${r.referenced.name}'`;
  switch (r.plan.kind) {
    case 'wait':
      return {
        name,
        passed: false,
        detail: `${referenceWaitsText(r.attribute, who, referenced, input.appName)}. If it should be there, assign it to the application (directly or through a group) and keep it in scope.`,
      };
    case 'clear':
      return {
        name,
        passed: true,
        detail: `${of} is ${referenced}, which is not in ${input.appName}: ${cycle} removes the reference, and sets it again in the cycle that provisions it.`,
      };
    case 'set':
      return {
        name,
        passed: true,
        detail: `${of} is ${referenced}, whose id in ${input.appName} is '${r.plan.targetId}': ${cycle} sets it.`,
      };
    case 'none':
      return {
        name,
        passed: true,
        detail: `${of} is ${referenced}, whose id in ${input.appName} is '${r.referencedTargetId ?? ''}': already set.`,
      };
  }
}

/**
 * Which cycle changes the object's references: the next one, unless failed updates wait in escrow
 * for a later retry, the object's own (its references wait for it) or its references'. An
 * incremental cycle's references phase then takes the object up once the first retry is due, or
 * sooner when the object changes in the directory (an initial cycle takes up every provisioned user).
 */
function referencesCycle(input: ExplainInput): string {
  const retryAt = retryAhead(input, [input.escrow, input.referencesEscrow]);
  if (retryAt === null) return 'the next cycle';
  return `the first cycle after ${retryAt}, which retries the ${input.objectType}'s failed update (or the next, if the ${input.objectType} changes in the directory),`;
}

function lookupChecks(input: ExplainInput): ExplainCheck[] {
  const checks: ExplainCheck[] = [];
  const matching = input.matchingValues.filter((m) => m.value !== null);
  if (input.view) {
    checks.push({
      name: 'Matching value',
      passed: matching.length > 0,
      detail:
        matching.length > 0
          ? matching
              .map((m) => `${m.targetAttributeName} = ${m.redacted ? '(secret)' : `"${m.value}"`}`)
              .join('; ')
          : 'Every matching attribute is empty: the object cannot be matched.',
    });
  }
  const { lookup } = input;
  checks.push(
    'failure' in lookup
      ? { name: `In ${input.appName}`, passed: false, detail: `Could not be read: ${lookup.failure.reason}` }
      : 'notLooked' in lookup
        ? { name: `In ${input.appName}`, passed: true, detail: lookup.notLooked }
        : {
            name: `In ${input.appName}`,
            passed: lookup.match.kind !== 'many' && lookup.match.kind !== 'taken',
            detail: describeMatch(lookup.match, input.appName),
          },
  );
  checks.push({
    name: 'No escrow',
    passed: input.escrow === null,
    detail: input.escrow
      ? `Failed ${input.escrow.attempts} time(s) (${input.escrow.reason}); retried at ${input.escrow.nextAttemptAt}.`
      : 'No failed export waits for a retry.',
  });
  if (input.lastEvent) {
    checks.push({
      name: 'Last event',
      passed: input.lastEvent.status !== 'failure',
      detail: `${input.lastEvent.action} (${input.lastEvent.status}) at ${input.lastEvent.activityDateTime}${input.lastEvent.reason ? `: ${input.lastEvent.reason}` : ''}.`,
    });
  }
  return checks;
}

function describeMatch(match: MatchOutcome, app: string): string {
  switch (match.kind) {
    case 'one':
      return match.via.kind === 'link'
        ? `Provisioned as ${match.targetId} (the link kept by the job).`
        : `Matches ${match.targetId} by ${match.via.attribute} "${match.via.value}".`;
    case 'none':
      return `Nothing in ${app} matches ${match.tried.map((t) => `${t.attribute} "${t.value}"`).join(' or ') || 'it'}.`;
    case 'many':
      return `${match.targetIds.length} objects in ${app} have ${match.attribute} "${match.value}".`;
    case 'taken':
      return `Matches ${match.targetId} by ${match.attribute} "${match.value}", which is already provisioned from ${match.heldBy}.`;
    case 'notLooked':
      return `${app} was not asked.`;
  }
}

function removalCause(input: ExplainInput): string {
  if (!input.view || !input.scope) return 'was deleted from the directory';
  if (input.scope.skip?.reason === 'NotEffectivelyEntitled')
    return `is no longer entitled: ${input.scope.skip.causes.map((c) => causeText(input.objectType, c)).join('; and ')}`;
  if (input.scope.skip?.reason === 'OutOfScope') return 'no longer meets the scoping filters';
  return 'left the scope of the job';
}
