import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { http } from './helpers';

const packageDir = resolve(fileURLToPath(new URL('..', import.meta.url)));
const READY =
  /^sample-app ready scimBaseUrl=(http:\/\/127\.0\.0\.1:(\d+)\/scim\/v2) pageUrl=(http:\/\/127\.0\.0\.1:\2\/)$/;

interface Started {
  child: ChildProcess;
  lines: string[];
  ready: Promise<string>;
  exited: Promise<number | null>;
}

const started: Started[] = [];
const dirs: string[] = [];

function start(env: Record<string, string>): Started {
  const dir = mkdtempSync(join(tmpdir(), 'sample-app-proc-'));
  dirs.push(dir);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: packageDir,
    env: { PATH: process.env.PATH, PORT: '0', SAMPLE_APP_DATA_DIR: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buffered = '';
  const ready = new Promise<string>((done, fail) => {
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        if (line.startsWith('sample-app ready ')) done(line);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', () => fail(new Error(`exited before ready: ${[...lines, buffered].join('\n')}`)));
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const s = { child, lines, ready, exited };
  started.push(s);
  return s;
}

afterEach(async () => {
  for (const s of started.splice(0)) {
    if (s.child.exitCode === null && s.child.signalCode === null) {
      s.child.kill('SIGKILL');
      await s.exited;
    }
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the process (pnpm start)', () => {
  it('prints one ready line with the SCIM base URL and page URL, serves, and stops cleanly on SIGTERM', async () => {
    const s = start({
      SAMPLE_APP_TOKEN: 'proc-token',
      SAMPLE_APP_NO_PATCH: '501',
      SAMPLE_APP_RATE_LIMIT: '100',
    });
    const line = await s.ready;
    const m = READY.exec(line);
    expect(m).not.toBeNull();
    const scim = m![1]!;
    const page = m![3]!;
    expect(s.lines.filter((l) => l.startsWith('sample-app ready '))).toHaveLength(1);
    const res = await http('GET', `${scim}/Users`, { headers: { authorization: 'Bearer proc-token' } });
    expect(res.status).toBe(200);
    const faults = await http('GET', `${page}admin/faults`);
    expect(faults.body).toMatchObject({ noPatch: '501', rateLimitPerSecond: 100 });
    expect(existsSync(join(dirs[0]!, 'sample-app.db'))).toBe(true);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });

  it('generates and prints a token when SAMPLE_APP_TOKEN is unset; the page never shows it', async () => {
    const s = start({});
    const line = await s.ready;
    const tokenLine = s.lines.find((l) => l.startsWith('sample-app token'));
    const token = tokenLine?.split(': ').pop() ?? '';
    expect(token.length).toBeGreaterThanOrEqual(32);
    const [, scim, , page] = READY.exec(line)!;
    expect(
      (await http('GET', `${scim}/Users`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
    expect((await http('GET', page!)).text).not.toContain(token);
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(0);
  });

  it('refuses to start on a bad setting and names the variable', async () => {
    const s = start({ SAMPLE_APP_TOKEN: 't', SAMPLE_APP_ERROR_RATE: '2' });
    await expect(s.ready).rejects.toThrow(/SAMPLE_APP_ERROR_RATE/);
    expect(await s.exited).not.toBe(0);
  });
});
