/**
 * Throughput and latency of the sample SCIM app, measured over real HTTP against the real process.
 *
 *   pnpm --filter @provisio/sample-app bench [--users=5000] [--concurrency=32] [--request-log] [--profile=DIR]
 *
 * Starts `src/main.ts` as a child process on a free port with a fresh data folder (the request log
 * off unless --request-log), then runs four phases with concurrent keep-alive connections: POST /Users,
 * GET /Users?filter=userName eq "…", PATCH /Users/{id} (Entra's replace form) and GET /Users?count=100.
 * Prints one line per phase and, last, one JSON line with every figure and the server's peak RSS.
 * --profile=DIR writes a V8 CPU profile of the server into DIR (open it in Chrome DevTools).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k!, v ?? 'true'] as const;
  }),
);
const USERS = Number(args.get('users') ?? 5000);
const CONCURRENCY = Number(args.get('concurrency') ?? 32);
const LIST_REQUESTS = Number(args.get('lists') ?? 1000);
const REQUEST_LOG = args.has('request-log');
const PROFILE_DIR = args.get('profile');
const TOKEN = 'bench-token-0123456789';

interface PhaseResult {
  requests: number;
  errors: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * One request through undici's dispatcher interface. The client shares the machine's two cores with
 * the server, and dispatch costs a third of `request()` (no body stream), so the figures are the
 * server's rather than the client's.
 */
function send(
  pool: Pool,
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  headers: Record<string, string>,
  body: string | undefined,
  keepBody: boolean,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let status = 0;
    const chunks: Buffer[] = [];
    const handler = {
      onConnect() {},
      onError: reject,
      onHeaders(statusCode: number) {
        status = statusCode;
        return true;
      },
      onData(chunk: Buffer) {
        if (keepBody || status >= 400) chunks.push(chunk);
        return true;
      },
      onComplete() {
        resolve({ status, body: Buffer.concat(chunks).toString() });
      },
    };
    pool.dispatch({ method, path, headers, body }, handler as unknown as Parameters<Pool['dispatch']>[1]);
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

async function phase(
  name: string,
  total: number,
  expected: number,
  make: (i: number) => { method: 'GET' | 'POST' | 'PATCH'; path: string; body?: string },
  pool: Pool,
  onBody?: (i: number, body: string) => void,
): Promise<PhaseResult> {
  const latencies: number[] = new Array<number>(total);
  let next = 0;
  let errors = 0;
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' };
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= total) return;
      const req = make(i);
      const t0 = performance.now();
      const res = await send(pool, req.method, req.path, headers, req.body, onBody !== undefined);
      latencies[i] = performance.now() - t0;
      if (res.status !== expected) {
        errors++;
        if (errors <= 3) console.error(`${name}: ${res.status} ${res.body.slice(0, 200)}`);
      } else onBody?.(i, res.body);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - start) / 1000;
  const sorted = latencies.slice().sort((a, b) => a - b);
  const result = {
    requests: total,
    errors,
    seconds: round(seconds, 3),
    requestsPerSecond: Math.round(total / seconds),
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
  };
  console.log(
    `${name.padEnd(28)} ${String(result.requestsPerSecond).padStart(7)} req/s   p50 ${result.p50Ms.toFixed(2).padStart(6)} ms   p99 ${result.p99Ms
      .toFixed(2)
      .padStart(6)} ms   (${total} requests, ${errors} errors)`,
  );
  return result;
}

function peakRssMb(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? round(Number(m[1]) / 1024, 1) : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const packageDir = resolve(fileURLToPath(new URL('..', import.meta.url)));
  const dataDir = mkdtempSync(join(tmpdir(), 'sample-app-bench-'));
  // node --import tsx, not the tsx CLI, so the child's pid is the server's and VmHWM is its memory.
  const profile = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${resolve(PROFILE_DIR)}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'src/main.ts'], {
    cwd: packageDir,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      SAMPLE_APP_TOKEN: TOKEN,
      SAMPLE_APP_DATA_DIR: dataDir,
      SAMPLE_APP_REQUEST_LOG: REQUEST_LOG ? 'on' : 'off',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const scimBaseUrl = await new Promise<string>((done, fail) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const m = /^sample-app ready scimBaseUrl=(\S+)/m.exec(buffered);
      if (m) done(m[1]!);
    });
    child.once('exit', (code) => fail(new Error(`sample-app exited (${code}) before it was ready`)));
  });
  const url = new URL(scimBaseUrl);
  const base = url.pathname;
  const pool = new Pool(url.origin, { connections: CONCURRENCY, pipelining: 1, keepAliveTimeout: 30_000 });
  const results: Record<string, PhaseResult> = {};
  try {
    console.log(
      `sample-app bench: ${USERS} users, concurrency ${CONCURRENCY}, request log ${REQUEST_LOG ? 'on' : 'off'}, node ${process.version}`,
    );
    // Warm-up: JIT and connections, on users the phases never touch.
    await phase(
      'warm-up',
      200,
      201,
      (i) => ({
        method: 'POST',
        path: `${base}/Users`,
        body: JSON.stringify({
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName: `warm${i}@bench.example`,
        }),
      }),
      pool,
    );
    const ids: string[] = new Array<string>(USERS);
    results.createUser = await phase(
      'POST /Users',
      USERS,
      201,
      (i) => ({
        method: 'POST',
        path: `${base}/Users`,
        body: JSON.stringify({
          schemas: [
            'urn:ietf:params:scim:schemas:core:2.0:User',
            'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
          ],
          externalId: `u${i}`,
          userName: `user${i}@bench.example`,
          active: true,
          displayName: `User ${i}`,
          emails: [{ primary: true, type: 'work', value: `user${i}@bench.example` }],
          meta: { resourceType: 'User' },
          name: { formatted: `User ${i}`, familyName: `${i}`, givenName: 'User' },
          roles: [],
          'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
            department: `Dept ${i % 20}`,
            employeeNumber: String(i),
          },
        }),
      }),
      pool,
      (i, body) => {
        ids[i] = (JSON.parse(body) as { id: string }).id;
      },
    );
    results.filterUserName = await phase(
      'GET /Users?filter=userName eq',
      USERS,
      200,
      (i) => ({
        method: 'GET',
        path: `${base}/Users?filter=${encodeURIComponent(`userName eq "USER${(i * 7919) % USERS}@bench.example"`)}`,
      }),
      pool,
    );
    results.patchUser = await phase(
      'PATCH /Users/{id}',
      USERS,
      200,
      (i) => ({
        method: 'PATCH',
        path: `${base}/Users/${ids[i]}`,
        body: JSON.stringify({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [
            { op: 'Replace', path: 'displayName', value: `Renamed ${i}` },
            { op: 'Replace', path: 'active', value: i % 2 === 0 ? 'False' : 'True' },
            { op: 'Replace', path: 'emails[type eq "work"].value', value: `renamed${i}@bench.example` },
          ],
        }),
      }),
      pool,
    );
    results.listUsers100 = await phase(
      'GET /Users?count=100',
      LIST_REQUESTS,
      200,
      (i) => ({
        method: 'GET',
        path: `${base}/Users?startIndex=${1 + ((i * 97) % Math.max(1, USERS - 100))}&count=100`,
      }),
      pool,
    );
  } finally {
    const rss = peakRssMb(child.pid!);
    await pool.close();
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
    console.log(`server peak RSS (VmHWM): ${rss ?? 'unknown'} MB`);
    console.log(
      JSON.stringify({
        bench: 'sample-app',
        node: process.version,
        users: USERS,
        concurrency: CONCURRENCY,
        requestLog: REQUEST_LOG,
        results,
        serverPeakRssMb: rss,
        // Other work on the machine skews every figure; this says how busy it was.
        loadAverage1m: round(loadavg()[0]!),
      }),
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
