import { dataDirectory, databaseLocation, type DatabaseLocation } from '@provisio/db';
import { hostname } from 'node:os';
import { readMailConfig, type MailConfig } from '@provisio/mailer';
import { parseTargetAllowList, type TargetPolicy } from '@provisio/scim-client';
import {
  DEFAULT_ESCROW_POLICY,
  DEFAULT_RETRY_POLICY,
  parseDuration,
  parseDurationList,
  type EscrowPolicy,
  type RetryPolicy,
} from '@provisio/engine';

/** The worker process's configuration, from the environment. */
export interface WorkerConfig {
  dataDir: string;
  /** PostgreSQL (PROVISIO_DATABASE_URL, PROVISIO_DATABASE_POOL_SIZE), else SQLite in the data directory. */
  database: DatabaseLocation;
  workerId: string;
  pollMs: number;
  leaseMs: number;
  /** Requests in flight per target when the job does not say (`MaxConcurrentExports`). */
  concurrency: number;
  /** How many jobs the process runs at once (PROVISIO_WORKER_JOBS, default 4). */
  jobsAtOnce: number;
  /** Cycles' writes committed on a thread of their own (PROVISIO_WORKER_COMMIT_THREAD, default off). */
  commitThread: boolean;
  /** Retries within a cycle and escrow retries across cycles, for jobs whose settings say nothing. */
  defaults: { retryPolicy: RetryPolicy; escrowPolicy: EscrowPolicy };
  /** The mail server for failure notifications (PROVISIO_SMTP_URL); null: no notification is sent. */
  smtp: MailConfig | null;
  /** The portal's address for links in notifications (PROVISIO_PORTAL_URL). */
  portalUrl: string | null;
  /** Hosts, addresses and ranges allowed beyond public https and loopback (PROVISIO_TARGET_ALLOW). */
  targetPolicy: TargetPolicy;
  /** How long the logs are kept (PROVISIO_PROVISIONING_LOG_DAYS, PROVISIO_AUDIT_LOG_DAYS). */
  retention: RetentionOptions;
  /** How long deleted users stay restorable (PROVISIO_DELETED_USER_DAYS) before the purge deletes them for good. */
  deletedUsers: DeletedUserPurgeOptions;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${name} must be an integer of at least ${min} (got '${raw}').`);
  return n;
}

function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'on' || raw === 'true' || raw === '1') return true;
  if (raw === 'off' || raw === 'false' || raw === '0') return false;
  throw new Error(`${name} must be on or off (got '${env[name] ?? ''}').`);
}

function duration(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const ms = parseDuration(raw);
  if (ms === null)
    throw new Error(`${name} must be an ISO 8601 duration such as PT6H or PT0.5S (got '${raw}').`);
  return ms;
}

function durations(env: NodeJS.ProcessEnv, name: string, fallback: readonly number[]): readonly number[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const list = parseDurationList(raw);
  if (list === null)
    throw new Error(
      `${name} must be a comma-separated list of ISO 8601 durations such as "PT6H, PT12H, PT24H" (got '${raw}').`,
    );
  return list;
}

/** The commit thread writes an SQLite file beside the cycle: with PostgreSQL, the pool does that part. */
function commitThread(env: NodeJS.ProcessEnv, database: DatabaseLocation): boolean {
  const on = onOff(env, 'PROVISIO_WORKER_COMMIT_THREAD', false);
  if (on && 'url' in database)
    throw new Error(
      'PROVISIO_WORKER_COMMIT_THREAD=on works with SQLite only; with PROVISIO_DATABASE_URL set, leave it off.',
    );
  return on;
}

/**
 * Reads PROVISIO_DATA_DIR (default ./data, relative to the working directory),
 * PROVISIO_WORKER_ID (default hostname-pid), PROVISIO_WORKER_POLL_MS (default 1000),
 * PROVISIO_LEASE_MS (default 30000), PROVISIO_WORKER_CONCURRENCY (default 8), PROVISIO_WORKER_JOBS
 * (jobs run at once, default 4),
 * PROVISIO_WORKER_COMMIT_THREAD (on or off, default off; see commit-thread.ts), and the retry
 * schedules PROVISIO_EXPORT_RETRY_DELAY (PT0.5S), PROVISIO_ESCROW_RETRY_SCHEDULE
 * ("PT6H, PT12H, PT24H"), PROVISIO_ESCROW_RETRY_INTERVAL (PT24H) and PROVISIO_ESCROW_RETRY_WINDOW
 * (P28D), PROVISIO_SMTP_URL and PROVISIO_SMTP_FROM (failure notifications; none without a URL) and
 * PROVISIO_PORTAL_URL (links in them), and PROVISIO_TARGET_ALLOW (the hosts, addresses and ranges
 * Secret Tokens may also be sent to), and PROVISIO_PROVISIONING_LOG_DAYS and PROVISIO_AUDIT_LOG_DAYS
 * (how long the logs are kept; 30 days each), and PROVISIO_DELETED_USER_DAYS (how long deleted users
 * stay restorable; 30 days), and PROVISIO_DATABASE_URL and PROVISIO_DATABASE_POOL_SIZE (PostgreSQL instead
 * of SQLite in the data directory). Throws naming the variable on a bad value.
 */
export function readWorkerConfig(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): WorkerConfig {
  const leaseMs = positiveInt(env, 'PROVISIO_LEASE_MS', 30_000, 3_000);
  const dataDir = dataDirectory(env, cwd);
  const database = databaseLocation(env, dataDir);
  return {
    dataDir,
    database,
    workerId: env.PROVISIO_WORKER_ID?.trim() || `${hostname()}-${process.pid}`,
    pollMs: positiveInt(env, 'PROVISIO_WORKER_POLL_MS', 1_000, 10),
    leaseMs,
    concurrency: positiveInt(env, 'PROVISIO_WORKER_CONCURRENCY', 8, 1),
    jobsAtOnce: positiveInt(env, 'PROVISIO_WORKER_JOBS', 4, 1),
    commitThread: commitThread(env, database),
    smtp: readMailConfig(env),
    portalUrl: env.PROVISIO_PORTAL_URL?.trim() || null,
    targetPolicy: parseTargetAllowList(env.PROVISIO_TARGET_ALLOW),
    retention: {
      ...DEFAULT_RETENTION,
      provisioningDays: positiveInt(
        env,
        'PROVISIO_PROVISIONING_LOG_DAYS',
        DEFAULT_RETENTION.provisioningDays,
        1,
      ),
      auditDays: positiveInt(env, 'PROVISIO_AUDIT_LOG_DAYS', DEFAULT_RETENTION.auditDays, 1),
    },
    deletedUsers: {
      ...DEFAULT_DELETED_USER_PURGE,
      days: positiveInt(env, 'PROVISIO_DELETED_USER_DAYS', DEFAULT_DELETED_USER_PURGE.days, 1),
    },
    defaults: {
      retryPolicy: {
        ...DEFAULT_RETRY_POLICY,
        baseDelayMs: duration(env, 'PROVISIO_EXPORT_RETRY_DELAY', DEFAULT_RETRY_POLICY.baseDelayMs),
      },
      escrowPolicy: {
        retryAfterFirstFailureMs: durations(
          env,
          'PROVISIO_ESCROW_RETRY_SCHEDULE',
          DEFAULT_ESCROW_POLICY.retryAfterFirstFailureMs,
        ),
        thenEveryMs: duration(env, 'PROVISIO_ESCROW_RETRY_INTERVAL', DEFAULT_ESCROW_POLICY.thenEveryMs),
        giveUpAfterMs: duration(env, 'PROVISIO_ESCROW_RETRY_WINDOW', DEFAULT_ESCROW_POLICY.giveUpAfterMs),
      },
    },
  };
}
import { DEFAULT_DELETED_USER_PURGE, type DeletedUserPurgeOptions } from './deleted-user-purge';
import { DEFAULT_RETENTION, type RetentionOptions } from './log-retention';
