import { odataString } from '../../api/client';
import { dateClauses, isDateRangeKey, type DateRangeKey } from '../log-dates';

/** The activities of the "Account Provisioning" service, as the Entra audit log names them. */
export const PROVISIONING_ACTIVITIES = [
  'Accidental deletion threshold exceeded',
  'Add provisioning configuration',
  'Delete provisioning configuration',
  'Disable/pause provisioning configuration',
  'Enable/restart provisioning configuration',
  'Enable/start provisioning configuration',
  'Export',
  'Held deletions allowed',
  'Import',
  'Import provisioning configuration',
  'Other',
  'Process escrow',
  'Quarantine',
  'Run previewed provisioning cycle',
  'Synchronization rule action',
  'Update attribute mappings or scope',
  'Update provisioning setting or credentials',
  'User Provisioning',
] as const;

/** The "Core Directory" activities of the directory and its applications, named as in Entra. */
export const DIRECTORY_ACTIVITIES = [
  'Add user',
  'Update user',
  'Delete user',
  'Add group',
  'Update group',
  'Delete group',
  'Add member to group',
  'Remove member from group',
  'Add extension property',
  'Delete extension property',
  'Add service principal',
  'Remove service principal',
  'Add app role assignment grant to user',
  'Add app role assignment to group',
  'Remove app role assignment from user',
  'Remove app role assignment from group',
  'Add portal account',
  'Delete portal account',
  'Change portal account password',
  'Change portal account role',
  'Add API token',
  'Revoke API token',
] as const;

/** Sign-ins and sign-outs of portal accounts (category Authentication). */
export const AUTHENTICATION_ACTIVITIES = [
  'Sign-in',
  'Portal account locked out',
  'Sign out everywhere',
] as const;

export const AUDIT_CATEGORIES = [
  { key: 'ProvisioningManagement', label: 'Provisioning Management' },
  { key: 'ApplicationManagement', label: 'Application Management' },
  { key: 'UserManagement', label: 'User Management' },
  { key: 'GroupManagement', label: 'Group Management' },
  { key: 'DirectoryManagement', label: 'Directory Management' },
  { key: 'RoleManagement', label: 'Role Management' },
  { key: 'Authentication', label: 'Authentication' },
] as const;

export interface AuditLogFilters {
  date: DateRangeKey;
  from: string;
  to: string;
  /** An activity display name, or '' for all. */
  activity: string;
  /** A category key (`ProvisioningManagement`), or '' for all. */
  category: string;
  /** `loggedByService`: 'Core Directory' or 'Account Provisioning', or '' for all. */
  service: string;
  /** The display name of the user or application that initiated the event. */
  initiatedBy: string;
  /** The display name of one of the event's targets. */
  target: string;
  status: AuditStatusFilter;
}

export type AuditStatusFilter = '' | 'success' | 'failure';

export const AUDIT_SERVICES = ['Core Directory', 'Account Provisioning'] as const;

export const AUDIT_STATUSES: { key: Exclude<AuditStatusFilter, ''>; label: string }[] = [
  { key: 'success', label: 'Success' },
  { key: 'failure', label: 'Failure' },
];

export const DEFAULT_AUDIT_FILTERS: AuditLogFilters = {
  date: '7d',
  from: '',
  to: '',
  activity: '',
  category: '',
  service: '',
  initiatedBy: '',
  target: '',
  status: '',
};

export function readAuditFilters(params: URLSearchParams): AuditLogFilters {
  const date = params.get('date');
  return {
    date: isDateRangeKey(date) ? date : DEFAULT_AUDIT_FILTERS.date,
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    activity: params.get('activity') ?? '',
    category: AUDIT_CATEGORIES.find((c) => c.key === params.get('category'))?.key ?? '',
    service: AUDIT_SERVICES.find((s) => s === params.get('service')) ?? '',
    initiatedBy: params.get('initiatedBy') ?? '',
    target: params.get('target') ?? '',
    status: AUDIT_STATUSES.find((s) => s.key === params.get('status'))?.key ?? '',
  };
}

export function writeAuditFilters(params: URLSearchParams, filters: AuditLogFilters): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (key: string, value: string, fallback: string) => {
    if (value && value !== fallback) next.set(key, value);
    else next.delete(key);
  };
  set('date', filters.date, DEFAULT_AUDIT_FILTERS.date);
  set('from', filters.date === 'custom' ? filters.from : '', '');
  set('to', filters.date === 'custom' ? filters.to : '', '');
  set('activity', filters.activity, '');
  set('category', filters.category, '');
  set('service', filters.service, '');
  set('initiatedBy', filters.initiatedBy.trim(), '');
  set('target', filters.target.trim(), '');
  set('status', filters.status, '');
  return next;
}

/** Graph `$filter` for `auditLogs/directoryAudits`, optionally limited to events about one application. */
export function buildAuditLogFilter(filters: AuditLogFilters, now: Date, targetId?: string): string {
  const clauses: string[] = [];
  if (targetId) clauses.push(`targetResources/any(t: t/id eq ${odataString(targetId)})`);
  if (filters.category) clauses.push(`category eq ${odataString(filters.category)}`);
  if (filters.activity) clauses.push(`activityDisplayName eq ${odataString(filters.activity)}`);
  if (filters.service) clauses.push(`loggedByService eq ${odataString(filters.service)}`);
  const initiatedBy = filters.initiatedBy.trim();
  if (initiatedBy) clauses.push(`initiatedBy eq ${odataString(initiatedBy)}`);
  const target = filters.target.trim();
  if (target) clauses.push(`targetResources/any(t: t/displayName eq ${odataString(target)})`);
  if (filters.status) clauses.push(`result eq ${odataString(filters.status)}`);
  clauses.push(...dateClauses(filters.date, filters.from, filters.to, now));
  return clauses.join(' and ');
}
