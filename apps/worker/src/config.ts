import { hostname } from 'node:os';
import { resolve } from 'node:path';

/** The worker process's configuration, from the environment. */
export interface WorkerConfig {
  dataDir: string;
  workerId: string;
  pollMs: number;
  leaseMs: number;
  /** Requests in flight per target when the job does not say (`MaxConcurrentExports`). */
  concurrency: number;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${name} must be an integer of at least ${min} (got '${raw}').`);
  return n;
}

/**
 * Reads PROVISIO_DATA_DIR (default ./data, relative to the working directory),
 * PROVISIO_WORKER_ID (default hostname-pid), PROVISIO_WORKER_POLL_MS (default 1000),
 * PROVISIO_LEASE_MS (default 30000) and PROVISIO_WORKER_CONCURRENCY (default 8).
 * Throws naming the variable on a bad value.
 */
export function readWorkerConfig(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): WorkerConfig {
  const leaseMs = positiveInt(env, 'PROVISIO_LEASE_MS', 30_000, 3_000);
  return {
    dataDir: resolve(cwd, env.PROVISIO_DATA_DIR?.trim() || './data'),
    workerId: env.PROVISIO_WORKER_ID?.trim() || `${hostname()}-${process.pid}`,
    pollMs: positiveInt(env, 'PROVISIO_WORKER_POLL_MS', 1_000, 10),
    leaseMs,
    concurrency: positiveInt(env, 'PROVISIO_WORKER_CONCURRENCY', 8, 1),
  };
}
