import type { JobActivity } from '@provisio/contracts';
import type { CycleCheckpoint } from './plan-cycle';
import type { JobStatusState, ScheduleState } from './job-state';

/** What the job's activity is read from: its schedule, the worker's lease and the running cycle. */
export interface JobActivityInput {
  scheduleState: ScheduleState;
  status: Pick<JobStatusState, 'currentCycle' | 'progress'>;
  /** Start, Restart or Run now asked for a cycle (cleared by the cycle that began after it). */
  runRequestedAt: string | null;
  /** When the schedule runs the next cycle; null before the first one (due at once). */
  nextRunAt: string | null;
  /** A cycle interrupted (a stop of its worker, a crash) that the next worker resumes. */
  cycleCheckpoint: Pick<CycleCheckpoint, 'cycleId'> | null;
  leaseExpiresAt: string | null;
}

/** The job's activity now, and when its next cycle runs (our addition to Graph's status). */
export interface JobActivityView {
  activity: JobActivity;
  /** Since when a cycle waits for a worker; null unless `Queued`. */
  queuedDateTime: string | null;
  /** When the next cycle starts (now or in the past while queued); null while provisioning is off. */
  nextCycleDateTime: string | null;
}

const isLeased = (leaseExpiresAt: string | null, now: Date): boolean =>
  leaseExpiresAt !== null && Date.parse(leaseExpiresAt) >= now.getTime();

/**
 * What a provisioning job is doing, derived from what the API and the worker already write — so
 * the portal can say *Queued* the moment Start is selected, before any worker has seen it:
 *
 * - `InProgress`: a worker opened a cycle (`currentCycle`) and holds the job's lease.
 * - `Queued`: a cycle is due and no worker runs it yet — provisioning is on and a run is requested
 *   (Start, Restart, Run now) or its next run is reached; or an interrupted cycle waits to be
 *   resumed with no worker holding the lease.
 * - `Idle`: otherwise (on and waiting for its schedule, or off).
 *
 * @example describeJobActivity({ scheduleState: 'Active', runRequestedAt: t, nextRunAt: null, status: { currentCycle: null, progress: [] }, cycleCheckpoint: null, leaseExpiresAt: null }, now).activity // 'Queued'
 */
export function describeJobActivity(job: JobActivityInput, now: Date): JobActivityView {
  const on = job.scheduleState === 'Active';
  const current = job.status.currentCycle;
  const leased = isLeased(job.leaseExpiresAt, now);
  if (current !== null && leased) {
    return { activity: 'InProgress', queuedDateTime: null, nextCycleDateTime: on ? job.nextRunAt : null };
  }
  // A cycle left open by a worker that stopped is resumed by the next one, even while paused.
  const resumable = job.cycleCheckpoint !== null && job.scheduleState !== 'Disabled';
  if (current !== null && resumable) {
    const since = job.status.progress[0]?.progressObservationDateTime ?? current.timeBegan;
    return { activity: 'Queued', queuedDateTime: since, nextCycleDateTime: on ? since : null };
  }
  if (!on) return { activity: 'Idle', queuedDateTime: null, nextCycleDateTime: null };
  const due =
    job.runRequestedAt ??
    (job.nextRunAt === null || Date.parse(job.nextRunAt) <= now.getTime()
      ? (job.nextRunAt ?? now.toISOString())
      : null);
  if (due !== null) return { activity: 'Queued', queuedDateTime: due, nextCycleDateTime: due };
  return { activity: 'Idle', queuedDateTime: null, nextCycleDateTime: job.nextRunAt };
}
