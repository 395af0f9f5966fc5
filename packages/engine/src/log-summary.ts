import { DEFAULT_LOG_RETENTION_DAYS, type LogStatusCounts, type LogSummaryRange } from '@provisio/contracts';

// One definition of the default retention, for the API (which reports it) and the worker (which purges).
export { DEFAULT_LOG_RETENTION_DAYS };

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** How a summary range is cut: hourly buckets for a day, daily ones (UTC days) beyond. */
const RANGE_CUTS: Record<LogSummaryRange, { count: number; sizeMs: number; interval: 'PT1H' | 'P1D' }> = {
  '24h': { count: 24, sizeMs: HOUR_MS, interval: 'PT1H' },
  '7d': { count: 7, sizeMs: DAY_MS, interval: 'P1D' },
  '30d': { count: 30, sizeMs: DAY_MS, interval: 'P1D' },
};

/** One bucket of a summary: events with `from <= activityDateTime < to` (ISO 8601, UTC). */
export interface SummaryBucket {
  from: string;
  to: string;
}

/** The buckets of a summary range, oldest first, and the length of each. */
export interface SummaryBuckets {
  interval: 'PT1H' | 'P1D';
  buckets: SummaryBucket[];
}

/**
 * Cuts a range into buckets that end with the one holding `now`: the last 24 whole hours for
 * `24h` (the current hour included), the last 7 or 30 UTC days for `7d` and `30d` (today included).
 * Bucket edges fall on whole hours or midnights, so a bucket means the same whenever it is asked.
 *
 * @example summaryBuckets('24h', new Date('2026-11-01T10:20:00Z')).buckets[23]
 *   // { from: '2026-11-01T10:00:00.000Z', to: '2026-11-01T11:00:00.000Z' }
 */
export function summaryBuckets(range: LogSummaryRange, now: Date): SummaryBuckets {
  const { count, sizeMs, interval } = RANGE_CUTS[range];
  const lastStart = Math.floor(now.getTime() / sizeMs) * sizeMs;
  const buckets: SummaryBucket[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const start = lastStart - i * sizeMs;
    buckets.push({ from: new Date(start).toISOString(), to: new Date(start + sizeMs).toISOString() });
  }
  return { interval, buckets };
}

/** No events of any status. */
export const emptyStatusCounts = (): LogStatusCounts => ({ success: 0, skipped: 0, failure: 0, warning: 0 });

/** The sum of several periods' counts, status by status. */
export function sumStatusCounts(counts: readonly LogStatusCounts[]): LogStatusCounts {
  const total = emptyStatusCounts();
  for (const c of counts) {
    total.success += c.success;
    total.skipped += c.skipped;
    total.failure += c.failure;
    total.warning += c.warning;
  }
  return total;
}

/** How long a cycle took in milliseconds; null while it runs (no end yet). */
export function cycleDurationMs(beganAt: string, endedAt: string | null): number | null {
  if (endedAt === null) return null;
  return Math.max(0, Date.parse(endedAt) - Date.parse(beganAt));
}
