import type { SynchronizationError, SynchronizationTaskExecution } from '@provisio/contracts';
import {
  cycleState,
  summarizeExecution,
  type CycleKind,
  type CycleState,
  type CycleTally,
} from './cycle-summary';
import { nextJobStatus, type JobStatusInput, type JobStatusState } from './job-state';
import {
  planQuarantine,
  type QuarantineDecision,
  type QuarantineEvidence,
  type QuarantineThresholds,
} from './quarantine-policy';
import type { CycleCheckpoint } from './plan-cycle';

/** What the finish step of a cycle needs to know. */
export interface CycleFinishInput {
  cycle: Pick<CycleCheckpoint, 'cycleId' | 'kind' | 'timeBegan' | 'upTo' | 'configHash'>;
  ended: Date;
  tally: CycleTally;
  /** The job-level error that stopped the cycle, if any. */
  error: SynchronizationError | null;
  /** How the number of entries in the connector data store changed during the cycle, per object type. */
  entriesDelta: Readonly<Record<string, number>>;
  /** The job as it is now (read in the finish step's transaction). */
  job: JobStatusInput & { intervalSeconds: number; runRequestedAt: string | null };
  /** The earliest escrow retry of the job, if any. */
  nextEscrowAt: string | null;
  /**
   * Whether the job still holds this cycle's checkpoint: a restart during the cycle discards it,
   * and the cycle then finishes without moving the watermark.
   */
  checkpointKept: boolean;
  /** What the cycle tells the quarantine, and the job's thresholds. Absent: the quarantine is left as it is. */
  quarantine?: { evidence: QuarantineEvidence; thresholds: QuarantineThresholds };
}

/** What the finish step writes. */
export interface CycleFinish {
  state: CycleState;
  execution: SynchronizationTaskExecution;
  /** The job's new fields; `watermark` and `configHash` only when the cycle settled every change. */
  job: {
    statusCode: JobStatusInput['statusCode'];
    /** Disabled after four weeks in quarantine. */
    scheduleState?: 'Disabled';
    nextRunAt: string;
    cycleCheckpoint: null;
    runRequestedAt?: null;
    watermark?: number;
    configHash?: string;
    status: JobStatusState;
  };
  /**
   * Whether `status.synchronizedEntryCountByType` must be counted afresh from the connector data
   * store (an initial cycle, or none counted yet); otherwise the cycle's delta was added to it.
   */
  recountEntries: boolean;
  /** How the quarantine changed, for the audit log. */
  quarantineChange: QuarantineDecision['change'];
}

/**
 * The finish step of a cycle: its state and Graph execution summary, the job's next run (its
 * interval, or an earlier escrow retry; a quarantined job's reduced pace), the watermark (moved
 * only when every change up to it is settled, none was held by the accidental deletion threshold
 * and the cycle was not reset meanwhile), the quarantine (`planQuarantine`), and the status
 * document (last executions, steady state, successive failures, entry counts).
 */
export function planCycleFinish(input: CycleFinishInput): CycleFinish {
  const { cycle, ended, tally, error, job } = input;
  const state = cycleState(tally, error);
  const execution = summarizeExecution({
    cycleId: cycle.cycleId,
    kind: cycle.kind,
    timeBegan: cycle.timeBegan,
    timeEnded: ended.toISOString(),
    tally,
    error,
  });
  const nextByInterval = ended.getTime() + job.intervalSeconds * 1000;
  const nextRun =
    input.nextEscrowAt === null ? nextByInterval : Math.min(nextByInterval, Date.parse(input.nextEscrowAt));
  const decision: QuarantineDecision = input.quarantine
    ? planQuarantine({
        previous: job.status.quarantine,
        evidence: input.quarantine.evidence,
        thresholds: input.quarantine.thresholds,
        intervalSeconds: job.intervalSeconds,
        now: ended,
      })
    : { quarantine: job.status.quarantine, nextAttempt: null, disable: false, change: 'none' };
  const transition = nextJobStatus(job, {
    type: 'cycleFinished',
    succeeded: error === null,
    quarantined: decision.quarantine !== null,
  });
  const { status: recorded, recountEntries } = recordExecution(job.status, {
    execution,
    kind: cycle.kind,
    exported: tally.exported,
    entriesDelta: input.entriesDelta,
  });
  const status: JobStatusState = { ...recorded, quarantine: decision.quarantine };
  return {
    state,
    execution,
    quarantineChange: decision.change,
    job: {
      statusCode: transition.statusCode,
      ...(decision.disable ? { scheduleState: 'Disabled' as const } : {}),
      // A quarantined job runs at its reduced pace, whatever its escrows are due.
      nextRunAt: (decision.nextAttempt ?? new Date(nextRun)).toISOString(),
      cycleCheckpoint: null,
      // A run requested while this cycle ran is for the next cycle: it is kept.
      ...(job.runRequestedAt !== null && job.runRequestedAt <= cycle.timeBegan
        ? { runRequestedAt: null }
        : {}),
      // Held removals keep the watermark where it was: the next cycle visits those objects again.
      ...(error === null && input.checkpointKept && tally.staged === 0
        ? { watermark: cycle.upTo, configHash: cycle.configHash }
        : {}),
      status,
    },
    recountEntries,
  };
}

/** The status document after a cycle: executions, steady state, failures in a row, entry counts. */
function recordExecution(
  previous: JobStatusState,
  cycle: {
    execution: SynchronizationTaskExecution;
    kind: CycleKind;
    exported: number;
    entriesDelta: Readonly<Record<string, number>>;
  },
): { status: JobStatusState; recountEntries: boolean } {
  const { execution } = cycle;
  const s: JobStatusState = { ...previous, currentCycle: null, progress: [], lastExecution: execution };
  if (execution.state === 'Failed') {
    s.countSuccessiveCompleteFailures += 1;
  } else {
    s.countSuccessiveCompleteFailures = 0;
    s.lastSuccessfulExecution = execution;
    if (cycle.exported > 0) s.lastSuccessfulExecutionWithExports = execution;
  }
  if (execution.state === 'Succeeded') {
    if (s.steadyStateFirstAchievedTime.startsWith('0001-'))
      s.steadyStateFirstAchievedTime = execution.timeEnded;
    s.steadyStateLastAchievedTime = execution.timeEnded;
  }
  // An initial cycle counts every entry; an incremental one adds what its objects changed, so
  // that its cost follows the changes, not the size of the directory. A type not counted yet is
  // counted afresh.
  const counted = s.synchronizedEntryCountByType.some((e) => e.key === 'User');
  const added = addEntryDeltas(s.synchronizedEntryCountByType, cycle.entriesDelta);
  if (cycle.kind === 'Incremental' && counted && added) {
    s.synchronizedEntryCountByType = added;
    return { status: s, recountEntries: false };
  }
  return { status: s, recountEntries: true };
}

/**
 * `synchronizedEntryCountByType` with each object type's change added; null when a type that
 * changed is not counted yet, and the entries must be counted afresh.
 */
export function addEntryDeltas(
  counts: readonly { key: string; value: number }[],
  delta: Readonly<Record<string, number>>,
): { key: string; value: number }[] | null {
  const changed = Object.keys(delta).filter((k) => delta[k] !== 0);
  if (!changed.every((k) => counts.some((e) => e.key === k))) return null;
  return counts.map((e) => ({ key: e.key, value: Math.max(0, e.value + (delta[e.key] ?? 0)) }));
}
