// The bundled sample SCIM application as its own process, for API tests that need a real target.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface SampleAppProcess {
  scimBaseUrl: string;
  origin: string;
  token: string;
  /** Replaces the fault switches (fields left out go back to off). */
  setFaults(faults: Record<string, unknown>): Promise<void>;
  /** Users and groups the app holds now. */
  stats(): Promise<{ users: number; groups: number }>;
  /** Every user and group's name, to see what a test left behind. */
  userNames(): Promise<string[]>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `apps/sample-app` on a free loopback port and waits for its ready line. */
export async function startSampleAppProcess(): Promise<SampleAppProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'provisio-api-sample-app-'));
  const token = `api-test-token-${process.pid}-${Date.now()}`;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'apps/sample-app/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', SAMPLE_APP_DATA_DIR: dataDir, SAMPLE_APP_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const scimBaseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sample-app did not start in 30 s:\n${output}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /sample-app ready scimBaseUrl=(\S+)/.exec(output);
      if (ready?.[1]) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sample-app exited with ${code}:\n${output}`));
    });
  });
  const origin = new URL(scimBaseUrl).origin;
  const admin = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${origin}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!response.ok)
      throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return response.status === 204 ? null : response.json();
  };
  return {
    scimBaseUrl,
    origin,
    token,
    setFaults: async (faults) => void (await admin('PUT', '/admin/faults', faults)),
    stats: async () => (await admin('GET', '/admin/stats')) as { users: number; groups: number },
    userNames: async () => {
      const response = await fetch(`${scimBaseUrl}/Users?count=1000`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await response.json()) as { Resources: { userName: string }[] };
      return body.Resources.map((u) => u.userName);
    },
    reset: async () => void (await admin('POST', '/admin/reset')),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
