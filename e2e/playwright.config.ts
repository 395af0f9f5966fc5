import { defineConfig } from '@playwright/test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * End-to-end tests drive Debian's Chromium (never a downloaded browser)
 * against the whole product as `./provisio start` runs it, on its own ports
 * and a fresh data directory.
 */
export const E2E = {
  port: Number(process.env.E2E_PORT ?? 3100),
  samplePort: Number(process.env.E2E_SAMPLE_PORT ?? 3110),
  dataDir: join(tmpdir(), `provisio-e2e-${process.env.E2E_PORT ?? 3100}`),
  admin: { userName: 'admin', password: 'e2e-Admin-password-1' },
  /** How many jobs the one worker process runs at once (PROVISIO_WORKER_JOBS). */
  workerJobs: 4,
};
export const baseURL = `http://127.0.0.1:${E2E.port}`;

export default defineConfig({
  testDir: './specs',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: 'list',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `rm -rf '${E2E.dataDir}' && pnpm exec tsx ../scripts/start.ts`,
    url: `${baseURL}/api/openapi.json`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    env: {
      PORT: String(E2E.port),
      SAMPLE_APP_PORT: String(E2E.samplePort),
      PROVISIO_DATA_DIR: E2E.dataDir,
      PROVISIO_ADMIN_USER: E2E.admin.userName,
      PROVISIO_ADMIN_PASSWORD: E2E.admin.password,
      PROVISIO_CYCLE_INTERVAL_SECONDS: '5',
      PROVISIO_WORKER_JOBS: String(E2E.workerJobs),
      PROVISIO_SKIP_BUILD: '1',
    },
  },
});
