import type { JobActivity } from '@provisio/contracts';

/**
 * How often the portal asks for a job's status. The API and the worker meet only in the database,
 * so the API learns of a cycle's progress by reading it, like the portal: a short poll through
 * react-query (cached, deduplicated, paused in background tabs, refetched on invalidation) says as
 * much as server-sent events would, without a second transport. It is fast only while it matters:
 * every second while a cycle is queued or running, so Queued → In progress → the result and the
 * progress bar show within a second; when idle, every 10 s, or at the next cycle's time if that
 * comes sooner, when the job turns Queued and the fast poll takes over.
 */
export const ACTIVE_POLL_MS = 1_000;
export const IDLE_POLL_MS = 10_000;

/** Whether a cycle is queued or running, so the status should be polled every second. */
export const isActive = (activity: JobActivity | undefined): boolean =>
  activity === 'Queued' || activity === 'InProgress';

/** The next poll for one job's (or several jobs') activity and next cycle time. */
export function pollInterval(
  jobs: readonly { activity: JobActivity; nextCycleDateTime: string | null }[],
  now = Date.now(),
): number {
  if (jobs.some((j) => isActive(j.activity))) return ACTIVE_POLL_MS;
  const untilNext = jobs
    .map((j) => (j.nextCycleDateTime ? Date.parse(j.nextCycleDateTime) - now : Infinity))
    .reduce((a, b) => Math.min(a, b), Infinity);
  return Math.min(IDLE_POLL_MS, Math.max(ACTIVE_POLL_MS, untilNext));
}
