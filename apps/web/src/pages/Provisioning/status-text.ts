import type {
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
