import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const apiDir = fileURLToPath(new URL('..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'provisio-server-'));
let child: ChildProcess | undefined;

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs `pnpm start`'s command and collects stdout until `until` matches. */
function start(
  env: Record<string, string>,
): Promise<{ process: ChildProcess; output: () => string; ready: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: apiDir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no ready line within 30 s:\n${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('api ready '));
      if (line) {
        clearTimeout(timer);
        resolve({ process: proc, output: () => out, ready: line });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${out}`));
    });
  });
}

describe('server.ts', () => {
  it('creates the Administrator, seeds the demo, prints the ready line, serves, and stops on SIGTERM', async () => {
    const started = await start({
      PORT: '0',
      HOST: '127.0.0.1',
      PROVISIO_DATA_DIR: dataDir,
      PROVISIO_ADMIN_PASSWORD: 'server test password',
      PROVISIO_DEMO: '1',
      PROVISIO_DEMO_SCIM_URL: 'http://127.0.0.1:9/scim',
      PROVISIO_DEMO_SCIM_TOKEN: 'demo-token',
      PROVISIO_WEB_DIST: '',
    });
    child = started.process;
    expect(started.ready).toMatch(/^api ready url=http:\/\/127\.0\.0\.1:\d+\/ /);
    expect(started.output()).toContain('Seeded the demo directory: 204 users');
    expect(started.output()).not.toContain('shown only this once');
    const url = /url=(\S+)/.exec(started.ready)![1]!;

    const signIn = await fetch(`${url}api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userName: 'admin', password: 'server test password' }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const apps = await fetch(`${url}api/v1.0/servicePrincipals`, { headers: { cookie } });
    expect(
      ((await apps.json()) as { value: { displayName: string }[] }).value.map((a) => a.displayName),
    ).toEqual(['Contoso Expenses', 'Sample SCIM App']);

    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses to start with a clear message when the configuration is wrong', async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: apiDir,
      env: { ...process.env, PORT: 'eighty', PROVISIO_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
    expect(code).toBe(1);
    expect(err).toContain('PORT=eighty is not valid');
  });
});
