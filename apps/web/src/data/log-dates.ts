/** The Date filter shared by the provisioning and audit logs, as the Entra portal offers it. */
export type DateRangeKey = '24h' | '7d' | '30d' | 'custom';

export const DATE_RANGES: { key: DateRangeKey; label: string }[] = [
  { key: '24h', label: '24 hours' },
  { key: '7d', label: '7 days' },
  { key: '30d', label: '30 days' },
  { key: 'custom', label: 'Custom time interval' },
];

const HOUR = 60 * 60 * 1000;
const spans: Record<Exclude<DateRangeKey, 'custom'>, number> = {
  '24h': 24 * HOUR,
  '7d': 7 * 24 * HOUR,
  '30d': 30 * 24 * HOUR,
};

export const isDateRangeKey = (value: string | null): value is DateRangeKey =>
  value === '24h' || value === '7d' || value === '30d' || value === 'custom';

/** Graph's DateTimeOffset literal without milliseconds: `2026-11-01T00:00:00Z`. */
export const odataDate = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * A `<input type="datetime-local">` value (local time, no zone) as a Date, or null when
 * empty or invalid.
 */
export function parseLocalDateTime(value: string | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** `activityDateTime` clauses for a range, relative to `now` for the preset ranges. */
export function dateClauses(
  range: DateRangeKey,
  from: string | undefined,
  to: string | undefined,
  now: Date,
): string[] {
  if (range !== 'custom') return [`activityDateTime ge ${odataDate(new Date(now.getTime() - spans[range]))}`];
  const clauses: string[] = [];
  const start = parseLocalDateTime(from);
  const end = parseLocalDateTime(to);
  if (start) clauses.push(`activityDateTime ge ${odataDate(start)}`);
  if (end) clauses.push(`activityDateTime le ${odataDate(end)}`);
  return clauses;
}

/**
 * What is wrong with a custom interval, said at the End field: an End before the Start leaves no
 * event in between, which an empty list alone would not explain.
 */
export function dateRangeProblem(from: string | undefined, to: string | undefined): string | undefined {
  const start = parseLocalDateTime(from);
  const end = parseLocalDateTime(to);
  if (!start || !end || end.getTime() >= start.getTime()) return undefined;
  return 'The End is before the Start, so no event can be in this interval. Pick an End after the Start.';
}
