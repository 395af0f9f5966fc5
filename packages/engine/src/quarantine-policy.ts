import { quarantineFix, type DirectoryAudit, type SynchronizationError } from '@provisio/contracts';
import type { JobStatusState } from './job-state';
import { PROVISIONING_SERVICE_NAME } from './provisioning-event';

/** Graph's synchronizationQuarantine reasons that Provisio sets. */
export type QuarantineReason =
  | 'EncounteredQuarantineException'
  | 'EncounteredEscrowProportionThreshold'
  | 'EncounteredBaseEscrowThreshold'
  | 'EncounteredTotalEscrowThreshold'
  | 'TooManyDeletes';

export type Quarantine = NonNullable<JobStatusState['quarantine']>;

/**
 * The escrow thresholds (the reference's, "subject to change"): nothing is evaluated below
 * `minimumFailures`; then more than `proportion` of the objects failing, or more than
 * `baseFailures` failures, quarantine the job (reference failures — memberships, managers — left
 * out of both); more than `totalFailures` failures of any kind always do.
 */
export interface QuarantineThresholds {
  minimumFailures: number;
  proportion: number;
  baseFailures: number;
  totalFailures: number;
}

export const DEFAULT_QUARANTINE_THRESHOLDS: QuarantineThresholds = {
  minimumFailures: 5_000,
  proportion: 0.4,
  baseFailures: 40_000,
  totalFailures: 60_000,
};

/** How often a quarantined job runs at most: its interval doubles per quarantined cycle, up to once a day. */
export const QUARANTINE_MAX_INTERVAL_MS = 24 * 3_600_000;
/** A job quarantined this long is disabled, as in Entra. */
export const QUARANTINE_DISABLE_AFTER_MS = 28 * 24 * 3_600_000;

/** The failures the escrow thresholds count. */
export interface EscrowCounts {
  /** Objects whose own operation is failing (escrowed). */
  failures: number;
  /** Failing references: group memberships and managers. */
  referenceFailures: number;
  /** Objects the job provisions successfully (linked in the target). */
  successes: number;
}

/**
 * Which escrow threshold, if any, the failures cross.
 *
 * @example escrowThresholdReason({ failures: 30_000, referenceFailures: 0, successes: 5_000 }) // 'EncounteredEscrowProportionThreshold'
 */
export function escrowThresholdReason(
  counts: EscrowCounts,
  t: QuarantineThresholds = DEFAULT_QUARANTINE_THRESHOLDS,
): QuarantineReason | null {
  if (counts.failures + counts.referenceFailures > t.totalFailures) return 'EncounteredTotalEscrowThreshold';
  if (counts.failures < t.minimumFailures) return null;
  if (counts.failures > t.baseFailures) return 'EncounteredBaseEscrowThreshold';
  if (counts.failures / (counts.failures + counts.successes) > t.proportion)
    return 'EncounteredEscrowProportionThreshold';
  return null;
}

/**
 * Whether some count of successes would let `escrowThresholdReason` find a reason for these
 * failures. With no successes the proportion failing is at its highest, so when that finds none,
 * no count would: the worker counts the job's successes (all its linked objects) only when this holds.
 *
 * @example escrowThresholdInReach({ failures: 10, referenceFailures: 0 }) // false
 */
export function escrowThresholdInReach(
  failing: Omit<EscrowCounts, 'successes'>,
  t: QuarantineThresholds = DEFAULT_QUARANTINE_THRESHOLDS,
): boolean {
  return escrowThresholdReason({ ...failing, successes: 0 }, t) !== null;
}

/** What one cycle tells the quarantine. */
export interface QuarantineEvidence {
  /** The job-level error that stopped the cycle (rejected credentials). */
  error: SynchronizationError | null;
  /** Requests the target answered, and requests that got no answer at all (refused, timed out, unreachable). */
  answeredRequests: number;
  unansweredRequests: number;
  /** The first unanswered request's error, for the quarantine's error. */
  firstUnanswered: SynchronizationError | null;
  escrows: EscrowCounts;
  /** Removals the cycle held back because they were over the accidental deletion threshold. */
  stagedRemovals?: number;
}

/** The quarantine after a cycle, and what it asks of the job. */
export interface QuarantineDecision {
  quarantine: Quarantine | null;
  /** When the job runs next while quarantined (its interval, doubled per quarantined cycle, at most daily). */
  nextAttempt: Date | null;
  /** Quarantined for four weeks: the job is disabled. */
  disable: boolean;
  /** For the audit log: entered, reason changed, cleared, or unchanged (none). */
  change: 'entered' | 'changed' | 'continued' | 'cleared' | 'none';
}

/**
 * The quarantine rules: a cycle whose credentials were rejected, or whose every request went
 * unanswered (a closed port, a wrong host), or whose escrows cross a threshold, puts the job in
 * quarantine (`EncounteredQuarantineException`, or the threshold's reason). A quarantined job runs at
 * its interval doubled per quarantined cycle, at most once a day, and is disabled after four weeks.
 * A cycle that reached the application (at least one answered request) without crossing anything
 * ends the quarantine; a cycle that sent nothing leaves it as it is. Start and Restart lift it
 * (`nextJobStatus`).
 */
export function planQuarantine(input: {
  previous: Quarantine | null;
  evidence: QuarantineEvidence;
  thresholds: QuarantineThresholds;
  intervalSeconds: number;
  now: Date;
}): QuarantineDecision {
  const { previous, evidence, now } = input;
  const trigger = quarantineTrigger(evidence, input.thresholds);
  if (trigger === null) {
    if (previous === null) return { quarantine: null, nextAttempt: null, disable: false, change: 'none' };
    if (evidence.answeredRequests > 0)
      return { quarantine: null, nextAttempt: null, disable: false, change: 'cleared' };
    // Nothing reached the application: nothing shows the cause is gone.
    const next = nextAttemptAfter(previous.seriesCount, input.intervalSeconds, now);
    return {
      quarantine: { ...previous, nextAttempt: next.toISOString() },
      nextAttempt: next,
      disable: false,
      change: 'none',
    };
  }
  const seriesCount = (previous?.seriesCount ?? 0) + 1;
  const next = nextAttemptAfter(seriesCount, input.intervalSeconds, now);
  const sameReason = previous !== null && previous.reason === trigger.reason;
  const seriesBegan = previous?.seriesBegan ?? now.toISOString();
  const quarantine: Quarantine = {
    reason: trigger.reason,
    error: trigger.error,
    currentBegan: sameReason ? previous.currentBegan : now.toISOString(),
    nextAttempt: next.toISOString(),
    seriesBegan,
    seriesCount,
  };
  return {
    quarantine,
    nextAttempt: next,
    disable: now.getTime() - Date.parse(seriesBegan) >= QUARANTINE_DISABLE_AFTER_MS,
    change: previous === null ? 'entered' : sameReason ? 'continued' : 'changed',
  };
}

function quarantineTrigger(
  evidence: QuarantineEvidence,
  thresholds: QuarantineThresholds,
): { reason: QuarantineReason; error: SynchronizationError | null } | null {
  if (evidence.error) return { reason: 'EncounteredQuarantineException', error: evidence.error };
  if ((evidence.stagedRemovals ?? 0) > 0) {
    return {
      reason: 'TooManyDeletes',
      error: {
        code: 'TooManyDeletes',
        message: `The cycle would have removed ${evidence.stagedRemovals} objects, more than the accidental deletion threshold allows; none was removed.`,
        tenantActionable: true,
      },
    };
  }
  if (evidence.answeredRequests === 0 && evidence.unansweredRequests > 0)
    return { reason: 'EncounteredQuarantineException', error: evidence.firstUnanswered };
  const reason = escrowThresholdReason(evidence.escrows, thresholds);
  if (reason === null) return null;
  const { failures, referenceFailures, successes } = evidence.escrows;
  return {
    reason,
    error: {
      code: reason,
      message: `${failures} objects and ${referenceFailures} references are failing, against ${successes} exported.`,
      tenantActionable: true,
    },
  };
}

function nextAttemptAfter(seriesCount: number, intervalSeconds: number, now: Date): Date {
  const delay = Math.min(
    QUARANTINE_MAX_INTERVAL_MS,
    intervalSeconds * 1000 * 2 ** Math.max(0, seriesCount - 1),
  );
  return new Date(now.getTime() + delay);
}

/**
 * The audit event of a quarantine entered, changed or lifted by a cycle (activity `Quarantine`,
 * logged by the Account Provisioning service, initiated by the provisioning service).
 */
export function quarantineAuditEvent(input: {
  id: string;
  time: Date;
  cycleId: string;
  jobId: string;
  servicePrincipal: { id: string; displayName: string };
  change: 'entered' | 'changed' | 'cleared';
  previous: Quarantine | null;
  quarantine: Quarantine | null;
}): DirectoryAudit {
  const reason = input.quarantine?.reason ?? input.previous?.reason ?? 'Unknown';
  const what =
    input.change === 'cleared'
      ? `Provisioning of ${input.servicePrincipal.displayName} left quarantine: the last cycle reached the application without crossing a threshold.`
      : `Provisioning of ${input.servicePrincipal.displayName} was quarantined (${reason}). ${quarantineFix(reason)}`;
  return {
    id: input.id,
    category: 'ProvisioningManagement',
    correlationId: input.cycleId,
    result: 'success',
    resultReason: what,
    activityDisplayName: 'Quarantine',
    activityDateTime: input.time.toISOString(),
    loggedByService: 'Account Provisioning',
    operationType: 'Update',
    initiatedBy: { user: null, app: { displayName: PROVISIONING_SERVICE_NAME, servicePrincipalId: null } },
    targetResources: [
      {
        id: input.servicePrincipal.id,
        displayName: input.servicePrincipal.displayName,
        type: 'ServicePrincipal',
        modifiedProperties: [
          {
            displayName: 'QuarantineReason',
            oldValue: input.previous?.reason ?? null,
            newValue: input.quarantine?.reason ?? null,
          },
        ],
      },
    ],
    additionalDetails: [
      { key: 'JobId', value: input.jobId },
      { key: 'CycleId', value: input.cycleId },
      ...(input.quarantine?.error ? [{ key: 'Error', value: input.quarantine.error.message ?? '' }] : []),
    ],
  };
}

/**
 * The audit event of the accidental deletion threshold at work: a cycle that would remove more
 * objects than the threshold allows held them all (`thresholdExceeded`), or a cycle after Allow
 * deletes (Restart with ForceDeletes, whose own audit event names who allowed them) carried them out
 * (`deletesAllowed`).
 */
export function deletionGuardAuditEvent(input: {
  id: string;
  time: Date;
  cycleId: string;
  jobId: string;
  servicePrincipal: { id: string; displayName: string };
  kind: 'thresholdExceeded' | 'deletesAllowed';
  /** Removals the cycle counted (thresholdExceeded) or carried out (deletesAllowed). */
  removals: number;
  threshold: number;
}): DirectoryAudit {
  const app = input.servicePrincipal.displayName;
  const exceeded = input.kind === 'thresholdExceeded';
  return {
    id: input.id,
    category: 'ProvisioningManagement',
    correlationId: input.cycleId,
    result: 'success',
    resultReason: exceeded
      ? `A cycle would remove ${input.removals} objects from ${app}, more than the accidental deletion threshold of ${input.threshold}: none was removed. ${quarantineFix('TooManyDeletes')}`
      : `The removals held by the accidental deletion threshold were allowed (Restart with ForceDeletes): the cycle removed ${input.removals} objects from ${app}.`,
    activityDisplayName: exceeded ? 'Accidental deletion threshold exceeded' : 'Held deletions allowed',
    activityDateTime: input.time.toISOString(),
    loggedByService: 'Account Provisioning',
    operationType: exceeded ? 'Update' : 'Delete',
    initiatedBy: { user: null, app: { displayName: PROVISIONING_SERVICE_NAME, servicePrincipalId: null } },
    targetResources: [
      {
        id: input.servicePrincipal.id,
        displayName: app,
        type: 'ServicePrincipal',
        modifiedProperties: [],
      },
    ],
    additionalDetails: [
      { key: 'JobId', value: input.jobId },
      { key: 'CycleId', value: input.cycleId },
      { key: exceeded ? 'Removals' : 'RemovalsCarriedOut', value: String(input.removals) },
      { key: 'Threshold', value: String(input.threshold) },
    ],
  };
}
