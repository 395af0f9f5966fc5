// Crash safety with real processes: SIGKILL at random moments of a 5,000-user initial cycle, ten
// times, must lose nothing and duplicate nothing; two workers on one database never run a job at
// the same time.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProvisioDb } from '@provisio/db';
import {
  DEFAULT_ROLE,
  ENTERPRISE,
  mapInOrder,
  seedJob,
  startSampleApp,
  tempDataDir,
  TEST_DIALECT,
  type SampleApp,
  type ScimUser,
} from './harness';

const WORKER_DIR = fileURLToPath(new URL('../', import.meta.url));
const LEASE_MS = 3000;

/** A seeded generator, so that a failing run can be replayed with CRASH_SEED. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface WorkerRun {
  child: ChildProcess;
  name: string;
  output: () => string;
  waitFor: (re: RegExp, timeoutMs?: number) => Promise<RegExpExecArray>;
  exited: Promise<number | null>;
}

/**
 * Every other run commits on the commit thread (PROVISIO_WORKER_COMMIT_THREAD): both writers are
 * killed mid-write. The thread exists on SQLite only; on PostgreSQL every run commits through the pool.
 */
const commitThreadOn = (run: number) => ({
  PROVISIO_WORKER_COMMIT_THREAD: TEST_DIALECT === 'sqlite' && run % 2 === 1 ? 'on' : 'off',
});
const WITH_COMMIT_THREAD = TEST_DIALECT === 'sqlite' ? ' (every other one with the commit thread)' : '';

/** A worker process on the test's database (`dbEnv`, from tempDataDir), with `env` added. */
/** Every worker process a test started: a failing test leaves none running (afterEach). */
const started: ChildProcess[] = [];

function startWorker(
  dbEnv: Record<string, string>,
  name: string,
  env: Record<string, string> = {},
): WorkerRun {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: WORKER_DIR,
    env: {
      ...process.env,
      ...dbEnv,
      PROVISIO_WORKER_ID: name,
      PROVISIO_WORKER_POLL_MS: '50',
      PROVISIO_LEASE_MS: String(LEASE_MS),
      PROVISIO_WORKER_CONCURRENCY: '8',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const l of listeners) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = (re: RegExp, timeoutMs = 60_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`${name}: timed out waiting for ${re}:\n${output.slice(-3000)}`));
      }, timeoutMs);
      function check() {
        const m = re.exec(output);
        if (!m) return;
        clearTimeout(timer);
        listeners.delete(check);
        resolve(m);
      }
      listeners.add(check);
      check();
    });
  return { child, name, output: () => output, waitFor, exited };
}

async function kill(run: WorkerRun): Promise<void> {
  if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  await run.exited;
}

async function seedUsers(db: ProvisioDb, spId: string, from: number, to: number): Promise<string[]> {
  const ids: string[] = [];
  await db.transaction(async (tx) => {
    for (let i = from; i < to; i += 1) {
      const n = String(i).padStart(5, '0');
      const user = await tx.directory.insertUser({
        userPrincipalName: `user${n}@contoso.com`,
        displayName: `User ${n}`,
        givenName: 'User',
        surname: n,
        mail: `user${n}@contoso.com`,
        department: `Department ${i % 7}`,
        jobTitle: `Title ${i % 11}`,
        employeeId: String(10_000 + i),
      });
      await tx.applications.insertAssignment({
        servicePrincipalId: spId,
        principalId: user.id,
        principalType: 'User',
        appRoleId: DEFAULT_ROLE,
      });
      ids.push(user.id);
    }
  });
  return ids;
}

/** The account each directory user must have, and the check that the app holds exactly those. */
async function expectAccountsMatchDirectory(
  db: ProvisioDb,
  jobId: string,
  ids: readonly string[],
  accounts: ScimUser[],
) {
  const byUserName = new Map(accounts.map((a) => [a.userName, a]));
  expect(byUserName.size).toBe(accounts.length); // no duplicate userName
  expect(new Set(accounts.map((a) => a.externalId)).size).toBe(accounts.length);
  expect(accounts).toHaveLength(ids.length);
  for (const user of await db.directory.listUsersByIds(ids)) {
    const account = byUserName.get(user.userPrincipalName);
    expect(account, user.userPrincipalName).toBeDefined();
    expect(account).toMatchObject({
      displayName: user.displayName,
      externalId: user.userPrincipalName.split('@')[0],
      title: user.jobTitle,
      active: true,
      name: { givenName: user.givenName, familyName: user.surname },
      emails: [expect.objectContaining({ type: 'work', value: user.mail })],
      [ENTERPRISE]: expect.objectContaining({ department: user.department, employeeNumber: user.employeeId }),
    });
    expect(await db.connector.findObject(jobId, user.id)).toMatchObject({
      state: 'linked',
      targetId: account?.id,
    });
  }
}

let app: SampleApp;
beforeAll(async () => {
  app = await startSampleApp({ SAMPLE_APP_REQUEST_LOG: 'off' });
});
afterEach(async () => {
  const running = started.splice(0).filter((c) => c.exitCode === null && c.signalCode === null);
  await Promise.all(
    running.map((c) => {
      const exited = new Promise((resolve) => c.once('exit', resolve));
      c.kill('SIGKILL');
      return exited;
    }),
  );
});
afterAll(async () => {
  await app.stop();
});

describe('crash safety', () => {
  it(`kill -9 at random moments of a 5,000-user initial cycle, ten times${WITH_COMMIT_THREAD}: exactly the expected accounts, a final event for every object`, async () => {
    await app.reset();
    // A little latency keeps the cycle long enough for ten kills, and POSTs in flight when they land.
    await app.setFaults({ latencyMs: 8 });
    const { env, db, sql, cleanup } = await tempDataDir();
    try {
      const { spId, jobId } = await seedJob(db, app);
      const ids = await seedUsers(db, spId, 0, 5000);
      await db.jobs.updateJob(jobId, { runRequestedAt: new Date().toISOString() });
      const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
      const next = random(seed);
      const moments: number[] = [];

      let kills = 0;
      let finished = false;
      for (let run = 0; kills < 10 && !finished; run += 1) {
        const worker = startWorker(env, `crash-${run}`, commitThreadOn(run));
        // The moment: somewhere in this run's part of the cycle, from its very start.
        await worker.waitFor(/cycle \S+ job=\S+ kind=Initial (started|resumed)/, 60_000);
        const delay = Math.floor(next() * 700);
        moments.push(delay);
        await new Promise((r) => setTimeout(r, delay));
        finished = /state=(Succeeded|EntryLevelErrors)/.test(worker.output());
        await kill(worker);
        if (!finished) kills += 1;
      }
      expect(kills, `seed ${seed}, moments ${moments.join(',')}`).toBe(10);

      const last = startWorker(env, 'crash-final');
      const done = await last.waitFor(/cycle \S+ job=\S+ kind=Initial state=(\S+)[^\n]*/, 120_000);
      await kill(last);
      expect(done[1], done[0]).toBe('Succeeded');

      await app.clearFaults();
      await expectAccountsMatchDirectory(db, jobId, ids, await app.users());
      // One cycle, resumed run after run, finished once.
      const cycles = await db.cycles.listCycles(jobId, 50);
      expect(cycles.map((c) => c.state)).toEqual(['Succeeded']);
      // Counted once each: an object a killed run settled after its last checkpoint is counted from
      // its event, not visited again.
      expect(cycles[0]?.counts).toMatchObject({ failed: 0, created: 5000, skipped: 0 });
      expect(await db.jobs.getJob(jobId)).toMatchObject({
        cycleCheckpoint: null,
        watermark: expect.any(Number),
      });
      // Every object has an event, its last one a success: created, or, when a kill landed between
      // the POST and its record, found holding the values sent and linked as the creation it was.
      const rows = await sql.all<{ source_id: string; status: string; action: string }>(
        `SELECT source_id, status, action FROM provisioning_events e WHERE job_id = ? AND activity_date_time =
             (SELECT MAX(activity_date_time) FROM provisioning_events WHERE job_id = e.job_id AND source_id = e.source_id)`,
        [jobId],
      );
      const lastEvent = new Map(rows.map((r) => [r.source_id, r]));
      expect(lastEvent.size).toBe(ids.length);
      for (const id of ids) expect(lastEvent.get(id)?.status, id).toBe('success');
      const failures = await sql.get<{ n: number }>(
        'SELECT COUNT(*) AS n FROM provisioning_events WHERE job_id = ? AND status = ?',
        [jobId, 'failure'],
      );
      expect(failures?.n).toBe(0);
    } finally {
      await app.clearFaults();
      await cleanup();
    }
  }, 240_000);

  it('two workers on one database: each job runs on one worker at a time, and a dead worker’s job is taken over', async () => {
    await app.reset();
    await app.setFaults({ latencyMs: 15 });
    const { env, db, cleanup } = await tempDataDir();
    const workers: WorkerRun[] = [];
    try {
      // Four jobs into the same application with disjoint users, as Entra suggests for large scopes.
      const jobs = await mapInOrder([0, 1, 2, 3], async (k) => {
        const { spId, jobId } = await seedJob(db, app, { displayName: `App ${k}` });
        return { jobId, ids: await seedUsers(db, spId, k * 150, (k + 1) * 150) };
      });
      const killedAt = new Map<string, number>();
      const start = (name: string) => {
        const w = startWorker(env, name);
        workers.push(w);
        return w;
      };
      const a = start('worker-a');
      const b = start('worker-b');
      await Promise.all([a.waitFor(/worker ready/), b.waitFor(/worker ready/)]);

      // Worker A is killed in the middle of a cycle; another worker must resume that cycle.
      const midCycle = (w: WorkerRun) =>
        /^\S+ cycle (\S+) job=(\S+) kind=\S+ (started|resumed)/m.exec(
          w
            .output()
            .split('\n')
            .filter((l) => / cycle /.test(l))
            .at(-1) ?? '',
        );
      let killedCycle: RegExpExecArray | null = null;
      // Nine seconds, and at least nine finished cycles so that the overlap check below has
      // something to check: a busy machine runs fewer cycles in the same time.
      const began = Date.now();
      const finishedCycles = () =>
        workers.reduce(
          (n, w) => n + (w.output().match(/ cycle \S+ job=\S+ kind=\S+ state=/g)?.length ?? 0),
          0,
        );
      let round = 0;
      let nextRound = 0;
      let restarted = false;
      while (Date.now() - began < 9000 || (finishedCycles() < 9 && Date.now() - began < 60_000)) {
        if (Date.now() >= nextRound) {
          for (const job of jobs) {
            await db.transaction(async (tx) => {
              for (const id of job.ids.slice((round * 7) % 150, ((round * 7) % 150) + 7))
                await tx.directory.updateUser(id, { jobTitle: `Round ${round}` });
            });
            await db.jobs.updateJob(job.jobId, { runRequestedAt: new Date().toISOString() });
          }
          round += 1;
          nextRound = Date.now() + 250;
        }
        if (!killedAt.has('worker-a') && (killedCycle = midCycle(a))) {
          killedAt.set('worker-a', Date.now());
          await kill(a);
        } else if (killedAt.has('worker-a') && !restarted && Date.now() - killedAt.get('worker-a')! > 1000) {
          start('worker-a2');
          restarted = true;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(killedCycle).not.toBeNull();
      // Let every job settle, then stop the workers.
      for (const job of jobs)
        await db.jobs.updateJob(job.jobId, { runRequestedAt: new Date().toISOString() });
      await new Promise((r) => setTimeout(r, 4000 + LEASE_MS));
      for (const w of workers) {
        if (w.child.exitCode === null && w.child.signalCode === null) {
          w.child.kill('SIGTERM');
          await w.exited;
        }
      }

      // Intervals during which each worker ran a cycle of each job, from its timestamped log lines.
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
          } else {
            open.set(job, at);
          }
        }
        // A killed worker held its job until it died.
        for (const [job, from] of open)
          intervals.push({ worker: w.name, job, from, to: killedAt.get(w.name) ?? Date.now() });
      }
      const ran = new Set(intervals.map((i) => i.worker));
      expect(ran.has('worker-a') && ran.has('worker-b')).toBe(true);
      // The cycle A was killed in was resumed by another worker once A's lease had expired.
      const resumed = new RegExp(`cycle ${killedCycle?.[1]} job=${killedCycle?.[2]} kind=\\S+ resumed`);
      expect(workers.filter((w) => w.name !== 'worker-a' && resumed.test(w.output())).length).toBe(1);
      expect(intervals.length).toBeGreaterThan(8);
      for (const x of intervals) {
        for (const y of intervals) {
          if (x === y || x.job !== y.job || x.worker === y.worker) continue;
          const overlap = x.from < y.to && y.from < x.to;
          expect(overlap, `${x.worker} ${x.from}-${x.to} and ${y.worker} ${y.from}-${y.to} on ${x.job}`).toBe(
            false,
          );
        }
      }

      await app.clearFaults();
      // Every job settled, and the application holds each user's account once, up to date.
      const accounts = await app.users();
      for (const job of jobs)
        expect(await db.jobs.getJob(job.jobId)).toMatchObject({ cycleCheckpoint: null, leaseOwner: null });
      expect(accounts).toHaveLength(600);
      expect(new Set(accounts.map((acc) => acc.userName)).size).toBe(600);
      for (const job of jobs) {
        for (const user of await db.directory.listUsersByIds(job.ids)) {
          const account = accounts.find((acc) => acc.userName === user.userPrincipalName);
          expect(account?.title).toBe(user.jobTitle);
          expect((await db.connector.findObject(job.jobId, user.id))?.targetId).toBe(account?.id);
        }
      }
    } finally {
      for (const w of workers) await kill(w);
      await app.clearFaults();
      await cleanup();
    }
  }, 120_000);

  it(`kill -9 during the memberships phase, five times${WITH_COMMIT_THREAD}: every group holds exactly its members, nothing duplicated`, async () => {
    await app.reset();
    await app.setFaults({ latencyMs: 15 });
    const { env, db, cleanup } = await tempDataDir();
    try {
      // Small batches make the memberships phase long enough to be killed in, several times.
      const { spId, jobId } = await seedJob(db, app, {
        groups: true,
        settings: { MembershipBatchSize: '4' },
      });
      const ids = await seedUsers(db, spId, 0, 1200);
      const groups: { id: string; displayName: string }[] = [];
      await db.transaction(async (tx) => {
        for (let g = 0; g < 120; g += 1) {
          const group = await tx.directory.insertGroup({
            displayName: `Group ${String(g).padStart(3, '0')}`,
          });
          for (let k = 0; k < 30; k += 1)
            await tx.directory.addMember(group.id, ids[(g * 37 + k * 11) % ids.length] as string);
          await tx.applications.insertAssignment({
            servicePrincipalId: spId,
            principalId: group.id,
            principalType: 'Group',
            appRoleId: DEFAULT_ROLE,
          });
          groups.push(group);
        }
      });
      await db.jobs.updateJob(jobId, { runRequestedAt: new Date().toISOString() });
      const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
      const next = random(seed);

      let kills = 0;
      let finished = false;
      for (let run = 0; kills < 5 && !finished; run += 1) {
        const worker = startWorker(env, `members-${run}`, commitThreadOn(run));
        await worker.waitFor(/phase=Membership/, 90_000);
        await new Promise((r) => setTimeout(r, Math.floor(next() * 600)));
        finished = /state=(Succeeded|EntryLevelErrors)/.test(worker.output());
        await kill(worker);
        if (!finished) kills += 1;
      }
      expect(kills, `seed ${seed}`).toBe(5);
      const last = startWorker(env, 'members-final');
      const done = await last.waitFor(/cycle \S+ job=\S+ kind=Initial state=(\S+)[^\n]*/, 120_000);
      await kill(last);
      expect(done[1], done[0]).toBe('Succeeded');
      await app.clearFaults();

      const accounts = await app.users();
      expect(new Set(accounts.map((a) => a.userName)).size).toBe(accounts.length);
      const userNameOf = new Map(accounts.map((a) => [a.id, a.userName]));
      const targetGroups = await app.groups();
      // Each group once, with exactly its directory members, each once.
      expect(targetGroups.map((g) => g.displayName).sort()).toEqual(groups.map((g) => g.displayName).sort());
      for (const group of groups) {
        const target = targetGroups.find((g) => g.displayName === group.displayName);
        const members = (target?.members ?? []).map((m) => userNameOf.get(m.value));
        const expected = (await db.directory.listUsersByIds(await db.directory.listMemberIds(group.id)))
          .map((u) => u.userPrincipalName)
          .sort();
        expect(members.sort(), group.displayName).toEqual(expected);
        expect([...(await db.connector.listMemberships(jobId, group.id)).keys()].sort()).toEqual(
          (await db.directory.listMemberIds(group.id)).sort(),
        );
      }
      expect((await db.cycles.listCycles(jobId, 50)).map((c) => c.state)).toEqual(['Succeeded']);
    } finally {
      await app.clearFaults();
      await cleanup();
    }
  }, 300_000);
});
