const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
});

/** Local date and time as the Azure portal shows it (`3/14/2026, 9:05:12 AM`); '—' when missing. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  // Graph writes "never" as year 1 (0001-01-01T00:00:00Z).
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1971) return '—';
  return dateTime.format(date);
}

/** A short duration between two instants: `850 ms`, `12 s`, `3 min 4 s`, `2 h 5 min`. */
export function formatDuration(fromIso: string, toIso: string | null | undefined, now = new Date()): string {
  const end = toIso ? new Date(toIso) : now;
  const ms = Math.max(0, end.getTime() - new Date(fromIso).getTime());
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ${s % 60} s`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

export const yesNo = (value: boolean): string => (value ? 'Yes' : 'No');

/** `stagedDelete` → `Staged delete`, `success` → `Success`. */
export function capitalize(value: string): string {
  const spaced = value.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** `1,234` or `999+` for a count that is a lower bound. */
export const formatCount = (count: number, atLeast = false): string =>
  `${count.toLocaleString()}${atLeast ? '+' : ''}`;
