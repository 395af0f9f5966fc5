import type {
  SynchronizationError,
  SynchronizationProgress,
  SynchronizationStatusCode,
  SynchronizationTaskExecution,
} from '@provisio/contracts';

export type ScheduleState = 'Active' | 'Disabled' | 'Paused';

/** The parts of Graph's synchronizationStatus that a job keeps between cycles. */
export interface JobStatusState {
  countSuccessiveCompleteFailures: number;
  escrowsPruned: boolean;
  lastExecution: SynchronizationTaskExecution | null;
  lastSuccessfulExecution: SynchronizationTaskExecution | null;
  lastSuccessfulExecutionWithExports: SynchronizationTaskExecution | null;
  progress: SynchronizationProgress[];
  quarantine: {
    currentBegan: string;
    nextAttempt: string;
    reason: string;
    seriesBegan: string;
    seriesCount: number;
    error: SynchronizationError | null;
  } | null;
  steadyStateFirstAchievedTime: string;
  steadyStateLastAchievedTime: string;
  synchronizedEntryCountByType: { key: string; value: number }[];
  currentCycle: { cycleId: string; cycleKind: 'Initial' | 'Incremental'; timeBegan: string } | null;
}

/** Graph's "never" for a date-time that has not happened. */
export const NEVER = '0001-01-01T00:00:00Z';

export const emptyStatus = (): JobStatusState => ({
  countSuccessiveCompleteFailures: 0,
  escrowsPruned: false,
  lastExecution: null,
  lastSuccessfulExecution: null,
  lastSuccessfulExecutionWithExports: null,
  progress: [],
  quarantine: null,
  steadyStateFirstAchievedTime: NEVER,
  steadyStateLastAchievedTime: NEVER,
  synchronizedEntryCountByType: [],
  currentCycle: null,
});

/** What the job's status machine needs to know of the job. */
export interface JobStatusInput {
  statusCode: SynchronizationStatusCode;
  scheduleState: ScheduleState;
  status: JobStatusState;
}

/**
 * What moves a job's status: an administrator's Start, Restart or Stop (Graph's start, restart
 * and pause), or the end of a cycle. `succeeded` is false when the cycle stopped on a job-level
 * error (Graph's lastExecution.error).
 */
export type JobStatusEvent =
  | { type: 'start' }
  | { type: 'restart'; clearQuarantine: boolean }
  | { type: 'pause' }
  | { type: 'cycleFinished'; succeeded: boolean; quarantined?: boolean };

/** The job's status after an event: its code, its schedule and the status document. */
export interface JobStatusTransition {
  statusCode: SynchronizationStatusCode;
  scheduleState: ScheduleState;
  status: JobStatusState;
}

/**
 * The job status state machine, the one place its rules live; the API (start, restart, pause)
 * and the worker (a finished cycle) both call it.
 *
 * - Start and Restart schedule the job. Its code is NotRun until a first cycle has run, Active
 *   after. Start always lifts a quarantine; Restart does when its reset scope names the quarantine
 *   state, and otherwise the job stays in Quarantine.
 * - Stop pauses the schedule; a cycle already running finishes.
 * - A cycle that ends without a job-level error turns NotRun into Active; other codes stay (a
 *   job stopped during its cycle stays Paused). A cycle that ends quarantined (`planQuarantine`)
 *   shows Quarantine; one that ends the quarantine shows Active.
 *
 * @example nextJobStatus({ statusCode: 'NotRun', scheduleState: 'Active', status }, { type: 'cycleFinished', succeeded: true }).statusCode // 'Active'
 */
export function nextJobStatus(job: JobStatusInput, event: JobStatusEvent): JobStatusTransition {
  switch (event.type) {
    case 'start':
    case 'restart': {
      const clear = event.type === 'start' || event.clearQuarantine;
      const quarantined = job.status.quarantine !== null || job.statusCode === 'Quarantine';
      const neverRan = job.status.lastExecution === null;
      return {
        statusCode: quarantined && !clear ? 'Quarantine' : neverRan ? 'NotRun' : 'Active',
        scheduleState: 'Active',
        status: clear ? { ...job.status, quarantine: null, countSuccessiveCompleteFailures: 0 } : job.status,
      };
    }
    case 'pause':
      return { statusCode: 'Paused', scheduleState: 'Paused', status: job.status };
    case 'cycleFinished': {
      // A job stopped while its cycle ran stays Paused; its status document still carries the quarantine.
      const code = event.quarantined
        ? job.statusCode === 'Paused'
          ? 'Paused'
          : 'Quarantine'
        : job.statusCode === 'Quarantine' || (event.succeeded && job.statusCode === 'NotRun')
          ? 'Active'
          : job.statusCode;
      return { statusCode: code, scheduleState: job.scheduleState, status: job.status };
    }
  }
}
