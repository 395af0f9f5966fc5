import type { ObjectMapping, SynchronizationSchema } from '@provisio/contracts';
import type { ConfigurationError } from './scoping';

/** What a cycle needs from a job's secrets and settings, read once at cycle start. */
export interface JobOptions {
  tenantUrl: string;
  secretToken: string;
  /** Scope "Sync all users and groups". */
  syncAll: boolean;
  skipOutOfScopeDeletions: boolean;
  /** Requests in flight at once against the target. */
  maxConcurrency: number;
}

const isTrue = (v: string | undefined) => (v ?? '').trim().toLowerCase() === 'true';

export const DEFAULT_MAX_CONCURRENCY = 8;
const MAX_CONCURRENCY_LIMIT = 64;

/**
 * Reads the cycle options from the job's secrets (BaseAddress, SecretToken, SyncAll,
 * SkipOutOfScopeDeletions) and settings (`MaxConcurrentExports`, 1–64). A missing Tenant URL
 * is a configuration error: nothing can be sent anywhere.
 */
export function readJobOptions(
  secrets: Readonly<Record<string, string>>,
  settings: Readonly<Record<string, string>>,
  defaults: { maxConcurrency?: number } = {},
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
  return {
    ok: true,
    options: {
      tenantUrl,
      secretToken: secrets.SecretToken ?? '',
      syncAll: isTrue(secrets.SyncAll),
      skipOutOfScopeDeletions: isTrue(secrets.SkipOutOfScopeDeletions),
      maxConcurrency,
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
