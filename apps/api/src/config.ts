import { dataDirectory, databaseLocation, type DatabaseLocation } from '@provisio/db';
import { existsSync } from 'node:fs';
import {
  DEFAULT_CYCLE_INTERVAL_SECONDS,
  DEFAULT_DELETED_USER_DAYS,
  DEFAULT_LOG_RETENTION_DAYS,
} from '@provisio/contracts';
import { readMailConfig, type MailConfig } from '@provisio/mailer';
import { parseTargetAllowList, type TargetPolicy } from '@provisio/scim-client';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Seconds between incremental cycles of a new job: Entra's "approximately every 40 minutes". */
export { DEFAULT_CYCLE_INTERVAL_SECONDS };

/** Everything the API process reads from its environment, checked once at start. */
export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL (PROVISIO_DATABASE_URL, PROVISIO_DATABASE_POOL_SIZE), else SQLite in the data directory. */
  database: DatabaseLocation;
  adminUser: string;
  adminPassword: string | undefined;
  webDist: string | null;
  cycleIntervalSeconds: number;
  cookieSecure: boolean;
  demo: { scimUrl: string; scimToken: string } | null;
  /** The mail server (PROVISIO_SMTP_URL, PROVISIO_SMTP_FROM); null when none is configured. */
  mail: MailConfig | null;
  /** Hosts, addresses and ranges a Secret Token may also be sent to (PROVISIO_TARGET_ALLOW). */
  targetPolicy: TargetPolicy;
  /** How long a portal session lasts from sign-in, and unused (PROVISIO_SESSION_MAX_HOURS, PROVISIO_SESSION_IDLE_MINUTES). */
  session: { maxMs: number; idleMs: number };
  /** The portal's address as people open it (PROVISIO_PORTAL_URL), behind a proxy: writes may come from its origin. */
  publicOrigin: string | null;
  /** Days the worker keeps each log (PROVISIO_PROVISIONING_LOG_DAYS, PROVISIO_AUDIT_LOG_DAYS; set them as for the worker). */
  logRetention: { provisioningDays: number; auditDays: number };
  /** Days a deleted user can be restored before it is deleted permanently (PROVISIO_DELETED_USER_DAYS; set it as for the worker). */
  deletedUserDays: number;
}

function publicOrigin(env: NodeJS.ProcessEnv): string | null {
  const raw = env.PROVISIO_PORTAL_URL?.trim();
  if (!raw) return null;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
    return url.origin;
  } catch {
    throw new ConfigError(
      `PROVISIO_PORTAL_URL=${raw} is not valid: use the address people open the portal at, e.g. https://provisio.contoso.com.`,
    );
  }
}

/** A configuration value that cannot be used; the message names the variable and what it should be. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}=${raw} is not valid: use a whole number from ${min} to ${max}.`);
  }
  return value;
}

const flag = (value: string | undefined) => value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());

function mailConfig(env: NodeJS.ProcessEnv): MailConfig | null {
  try {
    return readMailConfig(env);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

function targetPolicy(env: NodeJS.ProcessEnv): TargetPolicy {
  try {
    return parseTargetAllowList(env.PROVISIO_TARGET_ALLOW);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

function database(env: NodeJS.ProcessEnv, dataDir: string): DatabaseLocation {
  try {
    return databaseLocation(env, dataDir);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

/** The portal build shipped beside the API in the workspace (apps/web/dist). */
const defaultWebDist = () => fileURLToPath(new URL('../../web/dist', import.meta.url));

export function readConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ServerConfig {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  const webDistSetting = env.PROVISIO_WEB_DIST;
  const webDist =
    webDistSetting !== undefined
      ? webDistSetting.trim() === ''
        ? null
        : abs(webDistSetting)
      : existsSync(defaultWebDist())
        ? defaultWebDist()
        : null;
  let demo: ServerConfig['demo'] = null;
  if (flag(env.PROVISIO_DEMO)) {
    const scimUrl = env.PROVISIO_DEMO_SCIM_URL?.trim();
    if (!scimUrl) {
      throw new ConfigError(
        'PROVISIO_DEMO=1 needs PROVISIO_DEMO_SCIM_URL: the Tenant URL of the sample SCIM application (e.g. http://127.0.0.1:4000/scim).',
      );
    }
    demo = { scimUrl, scimToken: env.PROVISIO_DEMO_SCIM_TOKEN ?? '' };
  }
  const dataDir = dataDirectory(env, cwd);
  return {
    database: database(env, dataDir),
    session: {
      maxMs: integer(env, 'PROVISIO_SESSION_MAX_HOURS', 12, 1, 24 * 30) * 3600_000,
      idleMs: integer(env, 'PROVISIO_SESSION_IDLE_MINUTES', 60, 5, 24 * 60) * 60_000,
    },
    publicOrigin: publicOrigin(env),
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST?.trim() || '127.0.0.1',
    dataDir,
    adminUser: env.PROVISIO_ADMIN_USER?.trim() || 'admin',
    adminPassword: env.PROVISIO_ADMIN_PASSWORD || undefined,
    webDist,
    cycleIntervalSeconds: integer(
      env,
      'PROVISIO_CYCLE_INTERVAL_SECONDS',
      DEFAULT_CYCLE_INTERVAL_SECONDS,
      1,
      30 * 24 * 3600,
    ),
    cookieSecure: flag(env.PROVISIO_COOKIE_SECURE),
    demo,
    mail: mailConfig(env),
    targetPolicy: targetPolicy(env),
    logRetention: {
      provisioningDays: integer(env, 'PROVISIO_PROVISIONING_LOG_DAYS', DEFAULT_LOG_RETENTION_DAYS, 1, 36_500),
      auditDays: integer(env, 'PROVISIO_AUDIT_LOG_DAYS', DEFAULT_LOG_RETENTION_DAYS, 1, 36_500),
    },
    deletedUserDays: integer(env, 'PROVISIO_DELETED_USER_DAYS', DEFAULT_DELETED_USER_DAYS, 1, 36_500),
  };
}
