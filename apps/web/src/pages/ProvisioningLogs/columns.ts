/** The columns the provisioning logs can show, as Entra's Columns picker offers them. */
export const LOG_COLUMNS = [
  { key: 'date', label: 'Date' },
  { key: 'identity', label: 'Identity' },
  { key: 'action', label: 'Action' },
  { key: 'sourceSystem', label: 'Source System' },
  { key: 'targetSystem', label: 'Target System' },
  { key: 'status', label: 'Status' },
  { key: 'application', label: 'Application' },
  { key: 'jobId', label: 'Job ID' },
  { key: 'changeId', label: 'Change ID' },
  { key: 'duration', label: 'Duration' },
  { key: 'cycleId', label: 'Cycle ID' },
] as const;

export type LogColumnKey = (typeof LOG_COLUMNS)[number]['key'];

export const DEFAULT_LOG_COLUMNS: readonly LogColumnKey[] = [
  'date',
  'identity',
  'action',
  'sourceSystem',
  'targetSystem',
  'status',
];

/** Where the browser remembers the chosen columns. */
export const LOG_COLUMNS_STORAGE_KEY = 'provisio.provisioningLogs.columns';

const isColumnKey = (value: unknown): value is LogColumnKey => LOG_COLUMNS.some((c) => c.key === value);

/** The remembered columns in the picker's order; the defaults when none (or nothing valid) is stored. */
export function parseLogColumns(stored: string | null): LogColumnKey[] {
  if (!stored) return [...DEFAULT_LOG_COLUMNS];
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return [...DEFAULT_LOG_COLUMNS];
  }
  if (!Array.isArray(value)) return [...DEFAULT_LOG_COLUMNS];
  const chosen = LOG_COLUMNS.map((c) => c.key).filter((key) => value.includes(key) && isColumnKey(key));
  return chosen.length > 0 ? chosen : [...DEFAULT_LOG_COLUMNS];
}

export function readLogColumns(): LogColumnKey[] {
  try {
    return parseLogColumns(window.localStorage.getItem(LOG_COLUMNS_STORAGE_KEY));
  } catch {
    // Storage may be off (private windows, policies): the defaults still work.
    return [...DEFAULT_LOG_COLUMNS];
  }
}

export function writeLogColumns(columns: readonly LogColumnKey[]): void {
  try {
    window.localStorage.setItem(LOG_COLUMNS_STORAGE_KEY, JSON.stringify(columns));
  } catch {
    // Not remembered, but the page still shows the columns chosen now.
  }
}
