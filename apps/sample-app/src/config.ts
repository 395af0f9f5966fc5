import { randomBytes } from 'node:crypto';
import { faultsFromEnv } from './faults';
import type { SampleAppOptions } from './app';

export interface SampleAppConfig {
  host: string;
  port: number;
  /** True when SAMPLE_APP_TOKEN was unset and a token was generated for this run. */
  tokenGenerated: boolean;
  options: SampleAppOptions;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${name} must be an integer of at least ${min} (got '${raw}').`);
  return n;
}

/**
 * Reads the process configuration: PORT (default 3010, 0 = a free port), HOST (default 127.0.0.1),
 * SAMPLE_APP_DATA_DIR (default ./data), SAMPLE_APP_TOKEN (generated when unset),
 * SAMPLE_APP_REQUEST_LOG (`off` disables it), SAMPLE_APP_REQUEST_LOG_MAX_ROWS (default 10000),
 * SAMPLE_APP_MAX_MEMBERS_RETURNED (default 10000: the most members a group response carries) and the
 * fault switch variables of faults.ts. Throws with the variable's name on a bad value.
 */
export function readSampleAppConfig(env: NodeJS.ProcessEnv): SampleAppConfig {
  const port = positiveInt(env, 'PORT', 3010);
  if (port > 65535) throw new Error(`PORT must be at most 65535 (got '${port}').`);
  const logSetting = (env.SAMPLE_APP_REQUEST_LOG ?? 'on').toLowerCase();
  if (!['on', 'off', 'true', 'false', '1', '0'].includes(logSetting)) {
    throw new Error(`SAMPLE_APP_REQUEST_LOG must be on or off (got '${env.SAMPLE_APP_REQUEST_LOG}').`);
  }
  const tokenGenerated = !env.SAMPLE_APP_TOKEN;
  return {
    host: env.HOST || '127.0.0.1',
    port,
    tokenGenerated,
    options: {
      token: env.SAMPLE_APP_TOKEN || randomBytes(24).toString('base64url'),
      dataDir: env.SAMPLE_APP_DATA_DIR || './data',
      faults: faultsFromEnv(env),
      maxMembersReturned: positiveInt(env, 'SAMPLE_APP_MAX_MEMBERS_RETURNED', 10_000, 1),
      requestLog: {
        enabled: !['off', 'false', '0'].includes(logSetting),
        maxRows: positiveInt(env, 'SAMPLE_APP_REQUEST_LOG_MAX_ROWS', 10_000, 1),
      },
    },
  };
}
