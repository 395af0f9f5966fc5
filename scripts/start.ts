/**
 * Starts the whole product on the embedded default: the bundled sample SCIM
 * application, the API (which serves the portal and seeds a demo directory on
 * first start) and the worker, all on SQLite files in one data directory.
 *
 * Environment: PORT (portal and API, default 3000), PROVISIO_DATA_DIR (default ./data),
 * PROVISIO_ADMIN_USER / PROVISIO_ADMIN_PASSWORD, SAMPLE_APP_PORT (default PORT + 10),
 * PROVISIO_CYCLE_INTERVAL_SECONDS (default 2400), PROVISIO_SKIP_BUILD=1 to reuse a built portal and worker.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readyFields, startService, stopAll, type Service } from './supervisor';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const env = process.env;
const port = Number(env.PORT ?? 3000);
const host = env.HOST ?? '127.0.0.1';
const dataDir = resolve(env.PROVISIO_DATA_DIR ?? join(root, 'data'));
const samplePort = Number(env.SAMPLE_APP_PORT ?? port + 10);
const webDist = join(root, 'apps/web/dist');
const workerDist = join(root, 'apps/worker/dist');

function persistedToken(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, token, { mode: 0o600 });
  return token;
}

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  if (
    env.PROVISIO_SKIP_BUILD !== '1' ||
    !existsSync(join(webDist, 'index.html')) ||
    !existsSync(join(workerDist, 'main.js'))
  ) {
    console.log('Building the portal and the worker…');
    execFileSync('pnpm', ['build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }

  const services: Service[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping Provisio…');
    await stopAll(services);
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  const watch = (s: Service) => {
    services.push(s);
    s.child.once('exit', (code, signal) => {
      if (!stopping) {
        console.error(`${s.name} stopped unexpectedly (code ${code ?? 'none'}, signal ${signal ?? 'none'}).`);
        void shutdown(1);
      }
    });
    return s;
  };

  const sampleToken = persistedToken(join(dataDir, 'sample-app.token'));
  const sample = watch(
    startService('sample-app', 'src/main.ts', {
      cwd: join(root, 'apps/sample-app'),
      env: {
        ...env,
        PORT: String(samplePort),
        HOST: host,
        SAMPLE_APP_DATA_DIR: join(dataDir, 'sample-app'),
        SAMPLE_APP_TOKEN: sampleToken,
      },
    }),
  );
  const sampleReady = readyFields(await sample.ready);

  let generatedPassword: string | undefined;
  const api = watch(
    startService('api', 'src/server.ts', {
      cwd: join(root, 'apps/api'),
      env: {
        ...env,
        PORT: String(port),
        HOST: host,
        PROVISIO_DATA_DIR: dataDir,
        PROVISIO_WEB_DIST: webDist,
        PROVISIO_DEMO: env.PROVISIO_DEMO ?? '1',
        PROVISIO_DEMO_SCIM_URL: sampleReady.scimBaseUrl,
        PROVISIO_DEMO_SCIM_TOKEN: sampleToken,
      },
    }),
  );
  api.child.stdout?.on('data', (chunk: Buffer) => {
    const m = /password[:=]\s*(\S+)/i.exec(chunk.toString());
    if (m && !env.PROVISIO_ADMIN_PASSWORD) generatedPassword = m[1];
  });
  const apiReady = readyFields(await api.ready);

  const worker = watch(
    startService('worker', join(workerDist, 'main.js'), {
      cwd: join(root, 'apps/worker'),
      // Notifications link to the portal this command runs.
      env: {
        ...env,
        PROVISIO_DATA_DIR: dataDir,
        PROVISIO_PORTAL_URL: env.PROVISIO_PORTAL_URL ?? apiReady.url ?? `http://${host}:${port}/`,
      },
    }),
  );
  await worker.ready;

  const user = env.PROVISIO_ADMIN_USER ?? 'admin';
  const password = env.PROVISIO_ADMIN_PASSWORD
    ? '(the value of PROVISIO_ADMIN_PASSWORD)'
    : (generatedPassword ?? '(the one printed when this data directory was first started)');
  console.log(
    [
      '',
      '  Provisio is running.',
      `  Portal:      ${apiReady.url ?? `http://${host}:${port}/`}`,
      `  Sign in as:  ${user}`,
      `  Password:    ${password}`,
      `  Sample SCIM app: ${sampleReady.pageUrl ?? ''} (SCIM at ${sampleReady.scimBaseUrl ?? ''})`,
      `  Data:        ${dataDir}`,
      '  Stop with Ctrl-C.',
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
