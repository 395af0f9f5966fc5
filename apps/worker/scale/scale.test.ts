// The scale test (PostgreSQL only, `pnpm test:scale`): two API processes and three worker processes
// on one PostgreSQL database, ten applications of 10,000 users each, one worker killed with SIGKILL
// in the middle of a cycle twice (each restarted, as a supervisor would). Afterwards every account
// is in the target exactly once, every object's last event is a success, no two runs of one job's
// cycles overlapped, and the jobs were spread over the workers (printed as a table).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_ROLE,
  REPO_ROOT,
  startSampleApp,
  tempDataDir,
  type SampleApp,
  type TestData,
} from '../test/harness';

const WORKER_DIR = fileURLToPath(new URL('../', import.meta.url));
const APPS = Number(process.env.PROVISIO_SCALE_APPS ?? 10);
const USERS_PER_APP = Number(process.env.PROVISIO_SCALE_USERS ?? 10_000);
const LEASE_MS = 3000;
const ADMIN = { userName: 'admin', password: 'scale-test-password-1' };

interface Proc {
  name: string;
  child: ChildProcess;
  output: () => string;
  waitFor: (re: RegExp, timeoutMs?: number) => Promise<RegExpExecArray>;
  exited: Promise<void>;
}

function startProcess(name: string, args: string[], cwd: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const l of listeners) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waitFor = (re: RegExp, timeoutMs = 60_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const m = re.exec(output);
        if (!m) return;
        clearTimeout(timer);
        listeners.delete(check);
        resolve(m);
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`${name}: timed out waiting for ${re}:\n${output.slice(-4000)}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  return { name, child, output: () => output, waitFor, exited };
}

const running = (p: Proc) => p.child.exitCode === null && p.child.signalCode === null;

/** An API process signed in as the Administrator: `call` sends a JSON request with its session. */
interface Api {
  proc: Proc;
  origin: string;
  call: <T>(method: string, path: string, body?: unknown) => Promise<T>;
}

async function startApi(name: string, data: TestData): Promise<Api> {
  const proc = startProcess(name, ['--import', 'tsx', 'apps/api/src/server.ts'], REPO_ROOT, {
    ...data.env,
    PORT: '0',
    HOST: '127.0.0.1',
    PROVISIO_ADMIN_USER: ADMIN.userName,
    PROVISIO_ADMIN_PASSWORD: ADMIN.password,
    PROVISIO_WEB_DIST: '',
  });
  const ready = await proc.waitFor(/api ready url=(\S+)/);
  const origin = new URL(ready[1] ?? '').origin;
  const signIn = await fetch(`${origin}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify(ADMIN),
  });
  if (!signIn.ok) throw new Error(`${name}: sign-in answered ${signIn.status}: ${await signIn.text()}`);
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${origin}${path}`, {
      method,
      headers: { cookie, origin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${name}: ${method} ${path} answered ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };
  return { proc, origin, call };
}

function startWorker(name: string, data: TestData): Proc {
  return startProcess(name, ['--enable-source-maps', 'dist/main.js'], WORKER_DIR, {
    ...data.env,
    PROVISIO_WORKER_ID: name,
    PROVISIO_WORKER_POLL_MS: '200',
    PROVISIO_LEASE_MS: String(LEASE_MS),
  });
}

async function stopProcess(p: Proc): Promise<void> {
  if (running(p)) {
    p.child.kill('SIGTERM');
    await p.exited;
  }
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

let app: SampleApp;
let data: TestData;
const procs: Proc[] = [];

beforeAll(async () => {
  // The worker as it ships: the bundle its build script makes.
  execFileSync('pnpm', ['build'], { cwd: WORKER_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
  app = await startSampleApp({ SAMPLE_APP_REQUEST_LOG: 'off' });
  data = await tempDataDir('postgres');
}, 120_000);

afterAll(async () => {
  for (const p of procs) if (running(p)) p.child.kill('SIGKILL');
  await Promise.all(procs.map((p) => p.exited));
  await app?.stop();
  await data?.cleanup();
});

describe('scale on PostgreSQL', () => {
  it(`two API processes and three workers, ${APPS} applications of ${USERS_PER_APP} users, a worker killed twice mid-cycle`, async () => {
    const { db, sql } = data;
    const began = Date.now();
    const log = (line: string) => console.log(`[scale +${seconds(Date.now() - began)} s] ${line}`);

    // The directory: one group of USERS_PER_APP users per application, through the directory's bulk
    // writes (the API's import adds users one at a time: longer than the cycles being tested).
    const groups: { id: string; userNames: string[] }[] = [];
    for (let a = 0; a < APPS; a += 1) {
      const group = await db.directory.insertGroup({
        displayName: `Scale group ${a}`,
        mailNickname: `scale-group-${a}`,
        securityEnabled: true,
      });
      const inputs = Array.from({ length: USERS_PER_APP }, (_, i) => {
        const n = `${a}-${String(i).padStart(5, '0')}`;
        return {
          userPrincipalName: `user${n}@contoso.com`,
          displayName: `User ${n}`,
          givenName: 'User',
          surname: n,
          mail: `user${n}@contoso.com`,
          department: `Department ${i % 50}`,
          jobTitle: 'Engineer',
        };
      });
      await db.directory.addMembers(group.id, await db.directory.insertUsers(inputs));
      groups.push({ id: group.id, userNames: inputs.map((u) => u.userPrincipalName) });
    }
    log(`seeded ${APPS * USERS_PER_APP} users in ${APPS} groups`);

    // Two API processes; each application is configured through one of them in turn.
    const apis = [await startApi('api-1', data), await startApi('api-2', data)];
    procs.push(...apis.map((a) => a.proc));
    const jobs: { spId: string; jobId: string; name: string; via: string }[] = [];
    for (let a = 0; a < APPS; a += 1) {
      const api = apis[a % 2]!;
      const name = `Scale App ${a}`;
      const created = await api.call<{ servicePrincipal: { id: string } }>(
        'POST',
        '/api/v1.0/applicationTemplates/scim/instantiate',
        { displayName: name },
      );
      const spId = created.servicePrincipal.id;
      const base = `/api/v1.0/servicePrincipals/${spId}`;
      const listed = await api.call<{ value: { id: string }[] }>('GET', `${base}/synchronization/jobs`);
      const jobId = listed.value[0]?.id ?? '';
      await api.call('PUT', `${base}/synchronization/secrets`, {
        value: [
          { key: 'BaseAddress', value: app.scimBaseUrl },
          { key: 'SecretToken', value: app.token },
        ],
      });
      await api.call('POST', `${base}/appRoleAssignedTo`, {
        principalId: groups[a]!.id,
        appRoleId: DEFAULT_ROLE,
      });
      jobs.push({ spId, jobId, name, via: api.proc.name });
    }
    log(`configured ${APPS} applications through ${apis.map((a) => a.proc.name).join(' and ')}`);

    // Three workers, then provisioning On everywhere.
    const workers: Proc[] = [];
    const killedAt = new Map<string, number>();
    const startW = (name: string) => {
      const w = startWorker(name, data);
      workers.push(w);
      procs.push(w);
      return w;
    };
    for (const name of ['worker-1', 'worker-2', 'worker-3']) startW(name);
    await Promise.all(workers.map((w) => w.waitFor(/worker ready/)));
    for (const [k, job] of jobs.entries())
      await apis[(k + 1) % 2]!.call(
        'POST',
        `/api/v1.0/servicePrincipals/${job.spId}/synchronization/jobs/${job.jobId}/start`,
      );
    log('provisioning started for every application');

    /** The jobs a worker has a cycle open for, from its log. */
    const openCycles = (w: Proc): string[] => {
      const open = new Set<string>();
      for (const m of w.output().matchAll(/ cycle \S+ job=(\S+) kind=\S+ (started|resumed|state=)/g))
        if (m[2] === 'state=') open.delete(m[1] ?? '');
        else open.add(m[1] ?? '');
      return [...open];
    };
    const finished = () =>
      new Set(
        workers.flatMap((w) =>
          [
            ...w
              .output()
              .matchAll(/ cycle \S+ job=(\S+) kind=Initial state=(Succeeded|EntryLevelErrors|Failed)/g),
          ].map((m) => m[1]),
        ),
      );
    const settled = async () =>
      Number((await sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM connector_objects'))?.n);

    // Two kills: each of a worker holding at least one cycle, once a tenth and then half of the
    // accounts are settled; each killed worker is restarted under a new name.
    const total = APPS * (USERS_PER_APP + 1);
    for (const [k, share] of [0.1, 0.5].entries()) {
      // worker-1 the first time and worker-2 the second, or else any worker holding a cycle.
      const pick = () =>
        workers
          .filter((w) => running(w) && openCycles(w).length > 0)
          .sort((x, y) => Number(y.name === `worker-${k + 1}`) - Number(x.name === `worker-${k + 1}`))[0];
      let victim: Proc | undefined;
      for (let n = 0; !victim; n += 1) {
        if (finished().size === APPS || n > 3000) throw new Error('every cycle finished before the kill');
        if ((await settled()) >= total * share) victim = pick();
        if (!victim) await new Promise((r) => setTimeout(r, 100));
      }
      const holding = openCycles(victim);
      victim.child.kill('SIGKILL');
      await victim.exited;
      killedAt.set(victim.name, Date.now());
      log(
        `killed ${victim.name} (SIGKILL) holding ${holding.length} cycle(s) at ${await settled()} settled objects`,
      );
      startW(`${victim.name}-restarted`);
    }

    // Every job's initial cycle ends; the API reports each job's last run.
    for (let n = 0; finished().size < APPS; n += 1) {
      if (n > 6000) throw new Error(`only ${finished().size} of ${APPS} cycles finished in 10 minutes`);
      await new Promise((r) => setTimeout(r, 100));
    }
    log(`every initial cycle finished`);
    for (const [k, job] of jobs.entries()) {
      const status = await apis[k % 2]!.call<{ status: { lastExecution: { state: string } | null } }>(
        'GET',
        `/api/v1.0/servicePrincipals/${job.spId}/synchronization/jobs/${job.jobId}`,
      );
      expect(status.status.lastExecution?.state, job.name).toBe('Succeeded');
    }
    for (const w of workers) await stopProcess(w);

    // Every account exactly once in the target, and every group once.
    const users = await app.users();
    const expected = groups.flatMap((g) => g.userNames).sort();
    const names = users.map((u) => u.userName.toLowerCase()).sort();
    expect(names.length).toBe(expected.length);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expected.map((n) => n.toLowerCase()));
    const targetGroups = (await app.groups()).map((g) => g.displayName).sort();
    expect(targetGroups).toEqual(groups.map((_, a) => `Scale group ${a}`).sort());
    log(`the target holds ${names.length} users and ${targetGroups.length} groups, each once`);

    // Every object's last event is a success.
    const last = await sql.all<{ job_id: string; status: string; n: number }>(
      `SELECT job_id, status, COUNT(*) AS n FROM provisioning_events e
        WHERE seq = (SELECT MAX(seq) FROM provisioning_events WHERE job_id = e.job_id AND source_id = e.source_id)
        GROUP BY job_id, status`,
    );
    const lastByStatus = new Map<string, number>();
    for (const r of last) lastByStatus.set(r.status, (lastByStatus.get(r.status) ?? 0) + Number(r.n));
    expect(Object.fromEntries(lastByStatus)).toEqual({ success: total });
    for (const job of jobs)
      expect(
        last.filter((r) => r.job_id === job.jobId).reduce((n, r) => n + Number(r.n), 0),
        job.name,
      ).toBe(USERS_PER_APP + 1);

    // No two runs of one job's cycles overlapped: from every worker's timestamped log, with a
    // killed worker holding its cycles until it died.
    type Interval = { worker: string; job: string; from: number; to: number };
    const intervals: Interval[] = [];
    for (const w of workers) {
      const open = new Map<string, number>();
      for (const line of w.output().split('\n')) {
        const m = /^(\S+) cycle \S+ job=(\S+) kind=\S+ (started|resumed|state=)/.exec(line);
        if (!m) continue;
        const at = Date.parse(m[1] ?? '');
        const job = m[2] ?? '';
        if (m[3] === 'state=') {
          intervals.push({ worker: w.name, job, from: open.get(job) ?? at, to: at });
          open.delete(job);
        } else open.set(job, at);
      }
      for (const [job, from] of open)
        intervals.push({ worker: w.name, job, from, to: killedAt.get(w.name) ?? Date.now() });
    }
    for (const job of jobs) {
      const runs = intervals.filter((i) => i.job === job.jobId).sort((x, y) => x.from - y.from);
      expect(runs.length, job.name).toBeGreaterThan(0);
      for (let i = 1; i < runs.length; i += 1)
        expect(runs[i]!.from, `${job.name}: ${JSON.stringify(runs)}`).toBeGreaterThanOrEqual(runs[i - 1]!.to);
    }

    // How the jobs spread over the workers.
    const table = jobs.map((job) => {
      const runs = intervals.filter((i) => i.job === job.jobId).sort((x, y) => x.from - y.from);
      return `${job.name.padEnd(13)} via ${job.via}: ${runs.map((r) => `${r.worker} ${seconds(r.to - r.from)} s`).join(' → ')}`;
    });
    log(`jobs over workers:\n  ${table.join('\n  ')}`);
    const ran = new Set(intervals.map((i) => i.worker.replace(/-restarted$/, '')));
    expect([...ran].sort()).toEqual(['worker-1', 'worker-2', 'worker-3']);
    expect(killedAt.size).toBe(2);
    // Every killed cycle was resumed by another worker.
    const resumed = workers.flatMap((w) => [
      ...w.output().matchAll(/ cycle \S+ job=\S+ kind=Initial resumed/g),
    ]);
    expect(resumed.length).toBeGreaterThan(0);
    log(
      `${intervals.length} runs of cycles, ${resumed.length} of them resumed; ${seconds(Date.now() - began)} s in all`,
    );
  }, 1_200_000);
});
