import type {
  JobActivity,
  SynchronizationJob,
  SynchronizationStatusCode,
  SynchronizationTaskExecution,
} from '@provisio/contracts';

export const STATUS_TEXT: Record<SynchronizationStatusCode, { label: string; description: string }> = {
  NotConfigured: {
    label: 'Not configured',
    description: 'Enter the admin credentials, test the connection, turn Provisioning Status On and Save.',
  },
  NotRun: {
    label: 'Not run yet',
    description: 'Provisioning is on; the initial cycle has not completed yet.',
  },
  Active: { label: 'Active', description: 'Provisioning runs cycles on its schedule.' },
  Paused: {
    label: 'Paused',
    description:
      'Provisioning is off: nothing is created, updated or removed. Start provisioning to resume where it left off.',
  },
  Quarantine: {
    label: 'Quarantined',
    description: 'Provisioning is held back after failures; it runs less often until the cause is fixed.',
  },
};

/** Provisioning Status On is the job's schedule being active (Off = paused or never started). */
export const isProvisioningOn = (job: SynchronizationJob | null | undefined): boolean =>
  job?.schedule.state === 'Active';

const RESULT: Record<SynchronizationTaskExecution['state'], string> = {
  Succeeded: 'completed',
  Failed: 'failed',
  EntryLevelErrors: 'completed with errors on some objects',
};

/** "Initial cycle completed", "Incremental cycle failed", … */
export const executionSummary = (execution: SynchronizationTaskExecution): string =>
  `${execution.cycleKind} cycle ${RESULT[execution.state]}`;

/** The Users / Groups figures of synchronizedEntryCountByType, whatever the case of the keys. */
export function entryCount(job: SynchronizationJob, type: 'user' | 'group'): number {
  return job.status.synchronizedEntryCountByType
    .filter((e) => e.key.toLowerCase().replace(/s$/, '') === type)
    .reduce((sum, e) => sum + e.value, 0);
}

/** What a job is doing now, as the overview and the Applications list label it. */
export const ACTIVITY_LABEL: Record<JobActivity, string> = {
  Idle: 'Idle',
  Queued: 'Queued',
  InProgress: 'In progress',
};

const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

/**
 * When the next cycle starts, as a person says it: "in 38 minutes, at 10:42", "in 1 hour 5
 * minutes, at 11:47", "in less than a minute, at 10:05", "now" once it is due.
 */
export function formatNextCycle(iso: string, now = Date.now()): string {
  const at = new Date(iso);
  const minutes = Math.round((at.getTime() - now) / 60_000);
  if (at.getTime() <= now) return 'now';
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  const span =
    minutes < 1
      ? 'less than a minute'
      : hours === 0
        ? unit(minutes, 'minute')
        : `${unit(hours, 'hour')}${minutes % 60 ? ` ${unit(minutes % 60, 'minute')}` : ''}`;
  const sameDay = at.toDateString() === new Date(now).toDateString();
  return `in ${span}, at ${sameDay ? clock.format(at) : `${at.toLocaleDateString()} ${clock.format(at)}`}`;
}
