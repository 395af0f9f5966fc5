import type { ObjectMapping, SynchronizationSchema } from '@provisio/contracts';
import { findTargetObject } from './attribute-mappings';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './classify-failure';
import { DEFAULT_ESCROW_POLICY, parseDuration, parseDurationList, type EscrowPolicy } from './escrow-policy';
import { readNotificationSettings, type NotificationSettings } from './notifications';
import { DEFAULT_QUARANTINE_THRESHOLDS, type QuarantineThresholds } from './quarantine-policy';
import type { ConfigurationError } from './scoping';

/**
 * How an initial cycle finds the accounts of users it has no link for: `Filter` sends one
 * `GET /Users?filter=<attr> eq "…"` per user and matching attribute (what Entra does); `List`
 * reads the target's users once in pages and matches in memory; `Auto` lists when that costs
 * fewer requests than filtering.
 */
export type InitialCycleMatching = 'Auto' | 'Filter' | 'List';

/** What a cycle needs from a job's secrets and settings, read once at cycle start. */
export interface JobOptions {
  tenantUrl: string;
  secretToken: string;
  /** Scope "Sync all users and groups". */
  syncAll: boolean;
  skipOutOfScopeDeletions: boolean;
  /** Requests in flight at once against the target (the adaptive limit never goes above it). */
  maxConcurrency: number;
  /** Retries of one request within a cycle. */
  retryPolicy: RetryPolicy;
  /** Retries of escrowed objects across cycles. */
  escrowPolicy: EscrowPolicy;
  initialCycleMatching: InitialCycleMatching;
  /** Members added or removed by one group PATCH (setting `MembershipBatchSize`, 1–1000). */
  membershipBatchSize: number;
  /** The escrow thresholds that quarantine the job (settings `Quarantine…`; the reference's by default). */
  quarantineThresholds: QuarantineThresholds;
  /**
   * Prevent accidental deletion (settings `DeleteThresholdEnabled`, default on, and
   * `QuarantineTooManyDeletesThreshold`, default 500): a cycle that would remove more objects holds
   * every removal.
   */
  deletionThreshold: { enabled: boolean; threshold: number };
  /** Failure notifications (the SyncNotificationSettings secret). */
  notifications: NotificationSettings;
}

/** The job settings a cycle reads (`readJobOptions`): the only names `PATCH …/jobs/{jobId}` takes. */
export const JOB_SETTING_NAMES = [
  'MaxConcurrentExports',
  'ExportRetryAttempts',
  'ExportRetryDelay',
  'EscrowRetrySchedule',
  'EscrowRetryInterval',
  'EscrowRetryWindow',
  'InitialCycleMatching',
  'MembershipBatchSize',
  'QuarantineMinimumFailures',
  'QuarantineFailureProportion',
  'QuarantineBaseFailures',
  'QuarantineTotalFailures',
  'DeleteThresholdEnabled',
  'QuarantineTooManyDeletesThreshold',
] as const;

/** Entra's default accidental deletion threshold. */
export const DEFAULT_DELETION_THRESHOLD = 500;

/** Members per group PATCH unless the job says otherwise: a group of a few hundred members is one request. */
export const DEFAULT_MEMBERSHIP_BATCH_SIZE = 250;
const MAX_MEMBERSHIP_BATCH_SIZE = 1000;

/** What the worker's environment sets for jobs whose settings say nothing. */
export interface JobOptionDefaults {
  maxConcurrency?: number;
  retryPolicy?: RetryPolicy;
  escrowPolicy?: EscrowPolicy;
}

const isTrue = (v: string | undefined) => (v ?? '').trim().toLowerCase() === 'true';

export const DEFAULT_MAX_CONCURRENCY = 8;
const MAX_CONCURRENCY_LIMIT = 64;

const settingError = (name: string, value: string, expected: string): ConfigurationError => ({
  code: 'provisioning_job.invalid_setting',
  target: name,
  message: `The job setting ${name} is '${value}', which is not ${expected}. Correct it or remove it to use the default.`,
});

/** Reads the quarantine thresholds of a job: whole numbers of failures, and a proportion from 0 to 1. */
function readQuarantineThresholds(
  settings: Readonly<Record<string, string>>,
): QuarantineThresholds | ConfigurationError {
  const t = { ...DEFAULT_QUARANTINE_THRESHOLDS };
  const counts: [keyof QuarantineThresholds, string][] = [
    ['minimumFailures', 'QuarantineMinimumFailures'],
    ['baseFailures', 'QuarantineBaseFailures'],
    ['totalFailures', 'QuarantineTotalFailures'],
  ];
  for (const [key, name] of counts) {
    const text = settings[name]?.trim();
    if (text === undefined) continue;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0) return settingError(name, text, 'a whole number of failures');
    t[key] = n;
  }
  const proportion = settings.QuarantineFailureProportion?.trim();
  if (proportion !== undefined) {
    const p = Number(proportion);
    if (!Number.isFinite(p) || p < 0 || p > 1)
      return settingError('QuarantineFailureProportion', proportion, 'a proportion from 0 to 1, such as 0.4');
    t.proportion = p;
  }
  return t;
}

/** Reads the retry and escrow settings of a job over the worker's defaults. */
function readRetrySettings(
  settings: Readonly<Record<string, string>>,
  defaults: JobOptionDefaults,
): { retryPolicy: RetryPolicy; escrowPolicy: EscrowPolicy } | ConfigurationError {
  const retryPolicy = { ...(defaults.retryPolicy ?? DEFAULT_RETRY_POLICY) };
  const escrowPolicy = { ...(defaults.escrowPolicy ?? DEFAULT_ESCROW_POLICY) };
  const attempts = settings.ExportRetryAttempts;
  if (attempts !== undefined) {
    const n = Number(attempts);
    if (!Number.isInteger(n) || n < 1 || n > 10)
      return settingError('ExportRetryAttempts', attempts, 'an integer from 1 to 10');
    retryPolicy.maxAttempts = n;
  }
  const delay = settings.ExportRetryDelay;
  if (delay !== undefined) {
    const ms = parseDuration(delay);
    if (ms === null) return settingError('ExportRetryDelay', delay, 'an ISO 8601 duration such as PT0.5S');
    retryPolicy.baseDelayMs = ms;
  }
  const schedule = settings.EscrowRetrySchedule;
  if (schedule !== undefined) {
    const list = parseDurationList(schedule);
    if (list === null)
      return settingError(
        'EscrowRetrySchedule',
        schedule,
        'a list of ISO 8601 durations such as "PT6H, PT12H, PT24H"',
      );
    escrowPolicy.retryAfterFirstFailureMs = list;
  }
  const every = settings.EscrowRetryInterval;
  if (every !== undefined) {
    const ms = parseDuration(every);
    if (ms === null || ms <= 0)
      return settingError('EscrowRetryInterval', every, 'an ISO 8601 duration such as PT24H');
    escrowPolicy.thenEveryMs = ms;
  }
  const window = settings.EscrowRetryWindow;
  if (window !== undefined) {
    const ms = parseDuration(window);
    if (ms === null) return settingError('EscrowRetryWindow', window, 'an ISO 8601 duration such as P28D');
    escrowPolicy.giveUpAfterMs = ms;
  }
  return { retryPolicy, escrowPolicy };
}

/**
 * Reads the cycle options from the job's secrets (BaseAddress, SecretToken, SyncAll,
 * SkipOutOfScopeDeletions) and settings: `MaxConcurrentExports` (1–64), `ExportRetryAttempts`,
 * `ExportRetryDelay`, `EscrowRetrySchedule`, `EscrowRetryInterval`, `EscrowRetryWindow` (ISO 8601
 * durations), `InitialCycleMatching` (`Auto`, `Filter`, `List`), `MembershipBatchSize` (members per
 * group PATCH, 1–1000), `QuarantineMinimumFailures`, `QuarantineFailureProportion`,
 * `QuarantineBaseFailures`, `QuarantineTotalFailures` (the escrow thresholds), `DeleteThresholdEnabled`
 * and `QuarantineTooManyDeletesThreshold` (accidental deletion prevention). A missing Tenant URL or a bad
 * setting is a configuration error: the cycle stops before any request.
 */
export function readJobOptions(
  secrets: Readonly<Record<string, string>>,
  settings: Readonly<Record<string, string>>,
  defaults: JobOptionDefaults = {},
): { ok: true; options: JobOptions } | { ok: false; error: ConfigurationError } {
  const tenantUrl = (secrets.BaseAddress ?? '').trim();
  if (tenantUrl === '') {
    return {
      ok: false,
      error: {
        code: 'TenantUrlMissing',
        target: 'BaseAddress',
        message:
          'The job has no Tenant URL. Enter the Tenant URL (and Secret Token) under Provisioning > Admin Credentials.',
      },
    };
  }
  const configured = Number.parseInt(settings.MaxConcurrentExports ?? '', 10);
  const fallback = defaults.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
  const maxConcurrency = Math.min(
    MAX_CONCURRENCY_LIMIT,
    Math.max(1, Number.isFinite(configured) && configured > 0 ? configured : fallback),
  );
  const retries = readRetrySettings(settings, defaults);
  if ('code' in retries) return { ok: false, error: retries };
  const matchingText = settings.InitialCycleMatching?.trim() ?? 'Auto';
  const initialCycleMatching = (['Auto', 'Filter', 'List'] as const).find(
    (m) => m.toLowerCase() === matchingText.toLowerCase(),
  );
  if (!initialCycleMatching)
    return { ok: false, error: settingError('InitialCycleMatching', matchingText, 'Auto, Filter or List') };
  const quarantineThresholds = readQuarantineThresholds(settings);
  if ('code' in quarantineThresholds) return { ok: false, error: quarantineThresholds };
  const enabledText = settings.DeleteThresholdEnabled?.trim();
  if (enabledText !== undefined && !/^(true|false)$/i.test(enabledText))
    return { ok: false, error: settingError('DeleteThresholdEnabled', enabledText, 'true or false') };
  const thresholdText = settings.QuarantineTooManyDeletesThreshold?.trim();
  const threshold = thresholdText === undefined ? DEFAULT_DELETION_THRESHOLD : Number(thresholdText);
  if (!Number.isInteger(threshold) || threshold < 1)
    return {
      ok: false,
      error: settingError(
        'QuarantineTooManyDeletesThreshold',
        thresholdText ?? '',
        'a whole number of at least 1',
      ),
    };
  const batchText = settings.MembershipBatchSize?.trim();
  const membershipBatchSize = batchText === undefined ? DEFAULT_MEMBERSHIP_BATCH_SIZE : Number(batchText);
  if (
    !Number.isInteger(membershipBatchSize) ||
    membershipBatchSize < 1 ||
    membershipBatchSize > MAX_MEMBERSHIP_BATCH_SIZE
  )
    return {
      ok: false,
      error: settingError(
        'MembershipBatchSize',
        batchText ?? '',
        `an integer from 1 to ${MAX_MEMBERSHIP_BATCH_SIZE}`,
      ),
    };
  return {
    ok: true,
    options: {
      tenantUrl,
      secretToken: secrets.SecretToken ?? '',
      syncAll: isTrue(secrets.SyncAll),
      skipOutOfScopeDeletions: isTrue(secrets.SkipOutOfScopeDeletions),
      maxConcurrency,
      ...retries,
      initialCycleMatching,
      membershipBatchSize,
      quarantineThresholds,
      deletionThreshold: { enabled: enabledText === undefined || isTrue(enabledText), threshold },
      notifications: readNotificationSettings(secrets.SyncNotificationSettings),
    },
  };
}

/** The enabled user mapping of a schema (the first rule that has one), and its target directory's name. */
export function findUserObjectMapping(
  schema: SynchronizationSchema,
):
  | { ok: true; mapping: ObjectMapping; targetDirectoryName: string }
  | { ok: false; error: ConfigurationError } {
  for (const rule of schema.synchronizationRules) {
    const mapping = rule.objectMappings.find((m) => m.sourceObjectName.toLowerCase() === 'user' && m.enabled);
    if (mapping) return { ok: true, mapping, targetDirectoryName: rule.targetDirectoryName };
  }
  return {
    ok: false,
    error: {
      code: 'mapping.no_user_mapping',
      target: 'synchronizationRules',
      message:
        'The schema has no enabled mapping for users. Restore the default mappings under Provisioning > Mappings.',
    },
  };
}

/**
 * The enabled group mapping of a schema, if any: groups are provisioned only when it is there
 * and enabled (the Mappings list's Enabled column).
 */
export function findGroupObjectMapping(schema: SynchronizationSchema): ObjectMapping | null {
  for (const rule of schema.synchronizationRules) {
    const mapping = rule.objectMappings.find(
      (m) => m.sourceObjectName.toLowerCase() === 'group' && m.enabled,
    );
    if (mapping) return mapping;
  }
  return null;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The configuration a watermark depends on, as one canonical text (hash it to store it): the user
 * mapping (attribute mappings, scoping filters, target object actions, target schema), the group
 * mapping when groups are provisioned, and the scope setting. When it changes, the objects in scope
 * and their values may change without any directory change, so the next cycle must be initial.
 * How requests are sent (members per PATCH, requests in flight) changes nothing the target should
 * hold, and is not part of it.
 */
export function describeCycleConfiguration(
  mapping: ObjectMapping | null,
  targetObject: unknown,
  options: Pick<JobOptions, 'syncAll'>,
  groups: { mapping: ObjectMapping; targetObject: unknown } | null = null,
): string {
  // A job without groups keeps the fingerprint it had before groups existed: no initial cycle on upgrade.
  return stableJson({ mapping, targetObject, syncAll: options.syncAll, ...(groups ? { groups } : {}) });
}

/**
 * `describeCycleConfiguration` of a job's schema: its user mapping and, when enabled, its group
 * mapping, each with the target object it maps to. A schema without a user mapping is described
 * too (with none), though no cycle runs with it: no watermark is ever reached with that text.
 */
export function describeJobConfiguration(
  schema: SynchronizationSchema,
  options: Pick<JobOptions, 'syncAll'>,
): string {
  const users = findUserObjectMapping(schema);
  const targetOf = (mapping: ObjectMapping) => findTargetObject(schema.directories, mapping.targetObjectName);
  const groups = findGroupObjectMapping(schema);
  return describeCycleConfiguration(
    users.ok ? users.mapping : null,
    users.ok ? targetOf(users.mapping) : null,
    options,
    groups ? { mapping: groups, targetObject: targetOf(groups) } : null,
  );
}
