import type {
  ProvisioningObjectSummary,
  SynchronizationError,
  SynchronizationTaskExecution,
} from '@provisio/contracts';
import { ESCROWED_DETAILS, type ExportOutcome } from './provisioning-event';
import type { ObjectActionPlan } from './plan-object-action';
import type { ScopeResult } from './scoping';

export type CycleKind = 'Initial' | 'Incremental';
export type CycleState = 'Succeeded' | 'Failed' | 'EntryLevelErrors';

/** Counts of one cycle (a type alias, so that it fits the db's `CycleCounts` record). */
export type CycleTally = {
  /** Source objects read. */
  imported: number;
  /** Effectively entitled (assigned or Sync all, and active). */
  entitled: number;
  /** Entitled and passing the scoping filters. */
  inScope: number;
  /** Objects changed in the target (created + updated + disabled + deleted). */
  exported: number;
  /** Write requests sent (POST, PATCH, DELETE), retries included. */
  exports: number;
  /** Objects whose operation failed transiently and is kept for a later retry. */
  escrowed: number;
  skipped: number;
  /** Objects that ended in failure (escrowed ones included). */
  failed: number;
  created: number;
  updated: number;
  disabled: number;
  deleted: number;
  /** Skipped because source and target already match. */
  redundant: number;
  /** Removals held back by the accidental deletion threshold (StagedDelete). */
  staged: number;
};

export const emptyTally = (): CycleTally => ({
  imported: 0,
  entitled: 0,
  inScope: 0,
  exported: 0,
  exports: 0,
  escrowed: 0,
  skipped: 0,
  failed: 0,
  created: 0,
  updated: 0,
  disabled: 0,
  deleted: 0,
  redundant: 0,
  staged: 0,
});

/** Adds one object's result to the tally. */
export function tallyObject(
  tally: CycleTally,
  result: {
    scope: ScopeResult | null;
    plan: ObjectActionPlan;
    outcome: ExportOutcome | null;
    lookupFailed?: boolean;
    escrowed?: boolean;
    requests?: number;
  },
): void {
  tally.imported += 1;
  if (result.scope?.effectivelyEntitled) tally.entitled += 1;
  if (result.scope?.inScope) tally.inScope += 1;
  tally.exports += result.requests ?? 0;
  if (result.escrowed) tally.escrowed += 1;
  if (result.lookupFailed || result.outcome?.kind === 'failure') {
    tally.failed += 1;
    return;
  }
  const plan = result.plan;
  switch (plan.kind) {
    case 'skip':
      if (plan.status === 'failure') tally.failed += 1;
      else tally.skipped += 1;
      if (plan.reason === 'RedundantExport') tally.redundant += 1;
      if (plan.reason === 'StagedDelete') tally.staged += 1;
      return;
    case 'none':
      return;
    case 'create':
      tally.created += 1;
      break;
    case 'update':
      tally.updated += 1;
      break;
    case 'disable':
      tally.disabled += 1;
      break;
    case 'delete':
      tally.deleted += 1;
      break;
  }
  tally.exported += 1;
}

/**
 * An object's counts as its provisioning event records them. A resumed cycle counts this way the
 * objects an earlier run settled after its last checkpoint, instead of visiting them again (which
 * would log a second, misleading "already match" event for an account just created).
 */
export function tallyOfEvent(event: ProvisioningObjectSummary): CycleTally {
  const tally = emptyTally();
  tally.imported = 1;
  const scoping = event.provisioningSteps.find((s) => s.provisioningStepType === 'scoping')?.details ?? {};
  const action = event.provisioningAction;
  const status = event.provisioningStatusInfo.status;
  const exported =
    (status === 'success' || status === 'warning') &&
    ['create', 'update', 'disable', 'delete'].includes(action);
  // Events without a scoping step (an object gone from the directory) were neither entitled nor in scope.
  if (scoping.IsEffectivelyEntitledForProvisioning === 'True') tally.entitled = 1;
  if (scoping.IsInProvisioningScope === 'True') tally.inScope = 1;
  const exportStep = event.provisioningSteps.find((s) => s.provisioningStepType === 'export')?.details ?? {};
  tally.exports = Object.entries(exportStep).filter(
    ([key, value]) => /^Request( \d+)?$/.test(key) && !String(value).startsWith('GET '),
  ).length;
  const info = event.provisioningStatusInfo.errorInformation;
  if (status === 'failure') {
    tally.failed = 1;
    if (info?.additionalDetails?.startsWith(ESCROWED_DETAILS)) tally.escrowed = 1;
    return tally;
  }
  if (!exported) {
    tally.skipped = 1;
    if (info?.errorCode === 'RedundantExport') tally.redundant = 1;
    if (action === 'stagedDelete') tally.staged = 1;
    return tally;
  }
  tally.exported = 1;
  if (action === 'create') tally.created = 1;
  else if (action === 'update') tally.updated = 1;
  else if (action === 'disable') tally.disabled = 1;
  else tally.deleted = 1;
  return tally;
}

/** A cycle that stopped on a job-level error failed; one with failed objects has entry-level errors. */
export function cycleState(tally: CycleTally, error: SynchronizationError | null): CycleState {
  if (error) return 'Failed';
  return tally.failed > 0 ? 'EntryLevelErrors' : 'Succeeded';
}

/** The cycle as Graph's synchronizationTaskExecution. */
export function summarizeExecution(input: {
  cycleId: string;
  kind: CycleKind;
  timeBegan: string;
  timeEnded: string;
  tally: CycleTally;
  error: SynchronizationError | null;
}): SynchronizationTaskExecution {
  const t = input.tally;
  return {
    activityIdentifier: input.cycleId,
    countEntitled: t.entitled,
    countEntitledForProvisioning: t.inScope,
    countEscrowed: t.escrowed,
    countEscrowedRaw: t.escrowed,
    countExported: t.exported,
    countExports: t.exports,
    countImported: t.imported,
    countImportedDeltas: input.kind === 'Incremental' ? t.imported : 0,
    countImportedReferenceDeltas: 0,
    error: input.error,
    state: cycleState(t, input.error),
    timeBegan: input.timeBegan,
    timeEnded: input.timeEnded,
    cycleKind: input.kind,
  };
}
