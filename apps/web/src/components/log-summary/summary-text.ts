import type {
  LogRetention,
  LogStatusCounts,
  LogSummaryCycle,
  LogSummaryRange,
  ProvisioningResult,
} from '@provisio/contracts';
import { formatDateTime } from '../../lib/format';

/** The statuses in the order the charts stack them and the tables list them. */
export const STATUS_ORDER: readonly ProvisioningResult[] = ['success', 'skipped', 'failure', 'warning'];

export const STATUS_LABEL: Record<ProvisioningResult, string> = {
  success: 'Success',
  skipped: 'Skipped',
  failure: 'Failure',
  warning: 'Warning',
};

export const RANGE_LABEL: Record<LogSummaryRange, string> = {
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
};

const hourFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const startFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});

/** A bucket's label: its local hour for hourly buckets, its (UTC) date for daily ones. */
export function bucketLabel(start: string, interval: 'PT1H' | 'P1D'): string {
  return (interval === 'PT1H' ? hourFormat : dayFormat).format(new Date(start));
}

/** When a cycle began, short enough for an axis: `Nov 1, 10:05 AM`. */
export const cycleLabel = (beganAt: string): string => startFormat.format(new Date(beganAt));

/** `3 success, 1 skipped, 0 failure, 0 warning`. */
export const countsText = (counts: LogStatusCounts): string =>
  STATUS_ORDER.map((s) => `${counts[s].toLocaleString()} ${s}`).join(', ');

/** The sentence that says what the events chart shows, for its caption and screen readers. */
export function eventsSummaryText(range: LogSummaryRange, totals: LogStatusCounts): string {
  const total = STATUS_ORDER.reduce((sum, s) => sum + totals[s], 0);
  const period = RANGE_LABEL[range].toLowerCase();
  if (total === 0) return `No provisioning events in the ${period}.`;
  return `${total.toLocaleString()} provisioning ${total === 1 ? 'event' : 'events'} in the ${period}: ${countsText(totals)}.`;
}

/** The unit a set of durations reads best in, and how to convert milliseconds to it. */
export function durationUnit(maxMs: number): { label: 'seconds' | 'minutes' | 'hours'; divisor: number } {
  if (maxMs < 120_000) return { label: 'seconds', divisor: 1000 };
  if (maxMs < 2 * 3_600_000) return { label: 'minutes', divisor: 60_000 };
  return { label: 'hours', divisor: 3_600_000 };
}

/** The finished cycles among the last ones, oldest first, as a chart reads left to right. */
export const finishedCycles = (cycles: readonly LogSummaryCycle[]) =>
  cycles
    .filter(
      (c): c is LogSummaryCycle & { durationInMilliseconds: number } => c.durationInMilliseconds !== null,
    )
    .toReversed();

/** The sentence that says what the durations chart shows. */
export function cyclesSummaryText(
  cycles: readonly LogSummaryCycle[],
  formatMs: (ms: number) => string,
): string {
  const finished = finishedCycles(cycles);
  const latest = finished.at(-1);
  if (!latest) return 'No cycle has finished yet.';
  const durations = finished.map((c) => c.durationInMilliseconds);
  const range =
    finished.length === 1
      ? ''
      : ` took from ${formatMs(Math.min(...durations))} to ${formatMs(Math.max(...durations))}; the latest`;
  return `The last ${finished.length === 1 ? 'finished cycle' : `${finished.length} finished cycles`}${range}, ${latest.kind.toLowerCase()} of ${latest.servicePrincipal.displayName} started ${cycleLabel(latest.beganAt)}, took ${formatMs(latest.durationInMilliseconds)}.`;
}

/** `Provisioning logs go back to 3/14/2026, 9:05:12 AM; events are kept for 30 days.` */
export function retentionText(log: 'Provisioning' | 'Audit', retention: LogRetention): string {
  const kept = `${retention.days} ${retention.days === 1 ? 'day' : 'days'}`;
  if (!retention.oldestEventDateTime) return `${log} logs hold no events yet; events are kept for ${kept}.`;
  return `${log} logs go back to ${formatDateTime(retention.oldestEventDateTime)}; events are kept for ${kept}.`;
}
