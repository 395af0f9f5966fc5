import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Two ports free on loopback now, found by a short child process (the config is read synchronously).
 * The ports go into the environment, so the test workers Playwright starts later, which read this
 * file again, use the same ones.
 */
function freePorts(): [number, number] {
  const script = `const net = require('node:net');
const a = net.createServer().listen(0, '127.0.0.1', () => {
  const b = net.createServer().listen(0, '127.0.0.1', () => {
    console.log(a.address().port, b.address().port);
    a.close();
    b.close();
  });
});`;
  const [portal, sample] = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })
    .trim()
    .split(' ')
    .map(Number);
  return [portal!, sample!];
}

if (!process.env.E2E_PORT || !process.env.E2E_SAMPLE_PORT) {
  const [portal, sample] = freePorts();
  process.env.E2E_PORT ??= String(portal);
  process.env.E2E_SAMPLE_PORT ??= String(sample);
}

/**
 * End-to-end tests drive Debian's Chromium (never a downloaded browser)
 * against the whole product as `./provisio start` runs it, on ports free
 * when the run starts (or `E2E_PORT` and `E2E_SAMPLE_PORT`) and a fresh data
 * directory, removed when the stack stops.
 */
export const E2E = {
  port: Number(process.env.E2E_PORT),
  samplePort: Number(process.env.E2E_SAMPLE_PORT),
  dataDir: join(tmpdir(), `provisio-e2e-${process.env.E2E_PORT}`),
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
    // The shell outlives the stack's SIGTERM (its trap waits for the stack to exit) to remove the data.
    command: `rm -rf '${E2E.dataDir}' && trap : TERM INT && pnpm exec tsx ../scripts/start.ts; rm -rf '${E2E.dataDir}'`,
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
