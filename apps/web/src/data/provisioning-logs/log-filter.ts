import type { ProvisioningAction, ProvisioningResult } from '@provisio/contracts';
import { odataString } from '../../api/client';
import { dateClauses, isDateRangeKey, type DateRangeKey } from '../log-dates';

export type StatusFilter = 'all' | ProvisioningResult;
export type ActionFilter = 'all' | Exclude<ProvisioningAction, 'stagedDelete'>;

/** What the filter bar of the provisioning logs holds; kept in the URL's search params. */
export interface ProvisioningLogFilters {
  date: DateRangeKey;
  /** `datetime-local` values, used when `date` is `custom`. */
  from: string;
  to: string;
  status: StatusFilter;
  action: ActionFilter;
  identity: string;
  /** The application (`servicePrincipal/id`); '' for all. Fixed by the route under an application. */
  servicePrincipalId: string;
  jobId: string;
  /** One cycle's events (the cycles table links here with it). */
  cycleId: string;
  changeId: string;
  /** `sourceSystem/displayName` and `targetSystem/displayName`, matched exactly. */
  sourceSystem: string;
  targetSystem: string;
}

/** The filters typed as text (ids and system names), in the order of the filter bar, with their URL param. */
export const TEXT_FILTERS = [
  { key: 'jobId', label: 'Job ID', property: 'jobId' },
  { key: 'cycleId', label: 'Cycle ID', property: 'cycleId' },
  { key: 'changeId', label: 'Change ID', property: 'changeId' },
  { key: 'sourceSystem', label: 'Source System', property: 'sourceSystem/displayName' },
  { key: 'targetSystem', label: 'Target System', property: 'targetSystem/displayName' },
] as const satisfies readonly { key: keyof ProvisioningLogFilters; label: string; property: string }[];
export type TextFilterKey = (typeof TEXT_FILTERS)[number]['key'];

export const STATUS_OPTIONS: { key: StatusFilter; label: string }[] = [
  { key: 'all', label: 'All' },
  { key: 'success', label: 'Success' },
  { key: 'failure', label: 'Failure' },
  { key: 'skipped', label: 'Skipped' },
  { key: 'warning', label: 'Warning' },
];

export const ACTION_OPTIONS: { key: ActionFilter; label: string }[] = [
  { key: 'all', label: 'All' },
  { key: 'create', label: 'Create' },
  { key: 'update', label: 'Update' },
  { key: 'delete', label: 'Delete' },
  { key: 'disable', label: 'Disable' },
  { key: 'other', label: 'Other' },
];

export const DEFAULT_FILTERS: ProvisioningLogFilters = {
  date: '7d',
  from: '',
  to: '',
  status: 'all',
  action: 'all',
  identity: '',
  servicePrincipalId: '',
  jobId: '',
  cycleId: '',
  changeId: '',
  sourceSystem: '',
  targetSystem: '',
};

const oneOf = <T extends string>(options: { key: T }[], value: string | null, fallback: T): T =>
  options.find((o) => o.key === value)?.key ?? fallback;

export function readFilters(params: URLSearchParams): ProvisioningLogFilters {
  const date = params.get('date');
  return {
    date: isDateRangeKey(date) ? date : DEFAULT_FILTERS.date,
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    status: oneOf(STATUS_OPTIONS, params.get('status'), 'all'),
    action: oneOf(ACTION_OPTIONS, params.get('action'), 'all'),
    identity: params.get('identity') ?? '',
    servicePrincipalId: params.get('app') ?? '',
    jobId: params.get('jobId') ?? '',
    cycleId: params.get('cycleId') ?? '',
    changeId: params.get('changeId') ?? '',
    sourceSystem: params.get('sourceSystem') ?? '',
    targetSystem: params.get('targetSystem') ?? '',
  };
}

/** Writes the filters into `params`, leaving out defaults so URLs stay short; other params are kept. */
export function writeFilters(params: URLSearchParams, filters: ProvisioningLogFilters): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (key: string, value: string, fallback: string) => {
    if (value && value !== fallback) next.set(key, value);
    else next.delete(key);
  };
  set('date', filters.date, DEFAULT_FILTERS.date);
  set('from', filters.date === 'custom' ? filters.from : '', '');
  set('to', filters.date === 'custom' ? filters.to : '', '');
  set('status', filters.status, 'all');
  set('action', filters.action, 'all');
  set('identity', filters.identity.trim(), '');
  set('app', filters.servicePrincipalId, '');
  for (const { key } of TEXT_FILTERS) set(key, filters[key].trim(), '');
  return next;
}

/**
 * Graph `$filter` for the provisioning logs. The identity text goes to
 * `sourceIdentity/displayName` with `contains`, which the API matches against the
 * source and target names (anywhere) and ids (from their start), as the Identity filter of
 * the Entra portal takes a name or an id.
 * Under an application, `servicePrincipalId` wins over the Application filter.
 */
export function buildProvisioningLogFilter(
  filters: ProvisioningLogFilters,
  now: Date,
  servicePrincipalId?: string,
): string {
  const clauses: string[] = [];
  const app = servicePrincipalId || filters.servicePrincipalId;
  if (app) clauses.push(`servicePrincipal/id eq ${odataString(app)}`);
  for (const { key, property } of TEXT_FILTERS) {
    const value = filters[key].trim();
    if (value) clauses.push(`${property} eq ${odataString(value)}`);
  }
  if (filters.status !== 'all')
    clauses.push(`provisioningStatusInfo/status eq ${odataString(filters.status)}`);
  if (filters.action !== 'all') clauses.push(`provisioningAction eq ${odataString(filters.action)}`);
  const identity = filters.identity.trim();
  if (identity) clauses.push(`contains(sourceIdentity/displayName, ${odataString(identity)})`);
  clauses.push(...dateClauses(filters.date, filters.from, filters.to, now));
  return clauses.join(' and ');
}
