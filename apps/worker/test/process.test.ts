import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProvisioDb } from '@provisio/db';
import { ProvisioningWorker } from '../src/index';
import { addUser, assign, requestRun, seedJob, startSampleApp, tempDataDir, type SampleApp } from './harness';

const WORKER_DIR = fileURLToPath(new URL('../', import.meta.url));

let app: SampleApp;
let db: ProvisioDb;
let env: Record<string, string>;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  // The worker as it ships: the bundle its build script makes, run by node itself.
  execFileSync('pnpm', ['build'], { cwd: WORKER_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
  app = await startSampleApp();
}, 60_000);
afterAll(async () => {
  await app.stop();
});
beforeEach(async () => {
  await app.reset();
  await fetch(`${app.origin}/admin/faults`, { method: 'DELETE' });
  ({ db, env, cleanup } = await tempDataDir());
});
/** Every worker process a test started: a failing test leaves none running. */
const started: ChildProcess[] = [];
afterEach(async () => {
  for (const c of started.splice(0))
    if (c.exitCode === null && c.signalCode === null) {
      const exited = new Promise((resolve) => c.once('exit', resolve));
      c.kill('SIGKILL');
      await exited;
    }
  await cleanup();
});

/** Starts the built worker the way the package's start script does, on the test's data folder. */
function startWorker(extra: Record<string, string> = {}): {
  child: ChildProcess;
  output: () => string;
  waitFor: (re: RegExp) => Promise<string>;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
    cwd: WORKER_DIR,
    env: {
      ...process.env,
      ...env,
      PROVISIO_WORKER_ID: 'process-test',
      PROVISIO_WORKER_POLL_MS: '50',
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  const listeners: (() => void)[] = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const l of listeners) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = (re: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}:\n${output}`)), 30_000);
      const check = () => {
        const m = re.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[0]);
        }
      };
      listeners.push(check);
      check();
    });
  return { child, output: () => output, waitFor, exited };
}

describe('the worker process', () => {
  it('runs due cycles, logs one line per cycle and exits 0 on SIGTERM with the lease released', async () => {
    const adele = await addUser(db, 'adele');
    const { spId, jobId } = await seedJob(db, app);
    await assign(db, spId, adele.id);
    await requestRun(db, jobId);

    const worker = startWorker();
    const line = await worker.waitFor(/cycle \S+ job=\S+ kind=Initial state=Succeeded [^\n]*/);
    expect(line).toContain(`job=${jobId}`);
    expect(line).toMatch(/created=1 .*durationMs=\d+/);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain('process-test stopped');

    expect((await app.users()).map((u) => u.userName)).toEqual(['adele@contoso.com']);
    const job = await db.jobs.getJob(jobId);
    expect(job).toMatchObject({ leaseOwner: null, statusCode: 'Active', runRequestedAt: null });
    expect(job.watermark).not.toBeNull();
  });

  it('a stop in the middle of a cycle loses nothing: the next worker resumes the cycle, without duplicates', async () => {
    const { spId, jobId } = await seedJob(db, app, { secrets: {} });
    await db.jobs.updateJob(jobId, { settings: { MaxConcurrentExports: '2' } });
    for (let i = 0; i < 30; i += 1) await assign(db, spId, (await addUser(db, `user${i}`)).id);
    // Slow enough that SIGTERM lands while the cycle is in progress.
    await fetch(`${app.origin}/admin/faults`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ latencyMs: 60 }),
    });
    await requestRun(db, jobId);

    const worker = startWorker({ PROVISIO_LEASE_MS: '3000' });
    await worker.waitFor(/worker ready/);
    // Wait until some accounts exist, and the checkpoint has been saved once, then stop.
    for (let n = 0; (await app.users()).length < 3 && n < 200; n += 1)
      await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 1100));
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toMatch(/kind=Initial state=Interrupted/);

    const interrupted = await db.jobs.getJob(jobId);
    expect(interrupted.watermark).toBeNull();
    expect(interrupted.leaseOwner).toBeNull();
    const created = (await app.users()).length;
    expect(created).toBeGreaterThan(0);
    expect(created).toBeLessThan(30);
    // The cycle stays open, with a checkpoint through which every object is settled.
    const [cycle] = await db.cycles.listCycles(jobId, 5);
    expect(cycle).toMatchObject({ state: 'Running', error: null, workerId: 'process-test' });
    expect(interrupted.cycleCheckpoint).toMatchObject({ cycleId: cycle?.id, kind: 'Initial' });
    expect(interrupted.cycleCheckpoint?.completed).toBeGreaterThan(0);
    expect(interrupted.status.currentCycle?.cycleId).toBe(cycle?.id);

    await fetch(`${app.origin}/admin/faults`, { method: 'DELETE' });
    const inProcess = new ProvisioningWorker({
      db,
      workerId: 'second',
      pollMs: 20,
      leaseMs: 30_000,
      concurrency: 8,
      log: () => undefined,
    });
    const report = await inProcess.runOnce();
    expect(report).toMatchObject({ kind: 'Initial', state: 'Succeeded', resumed: true, cycleId: cycle?.id });
    expect(report?.tally.created).toBe(30);
    const users = await app.users();
    expect(users).toHaveLength(30);
    expect(new Set(users.map((u) => u.userName)).size).toBe(30);
    expect(await db.cycles.listCycles(jobId, 5)).toEqual([
      expect.objectContaining({ id: cycle?.id, state: 'Succeeded', workerId: 'second' }),
    ]);
    // Every user has an event, and its last event is a success.
    for (const u of await db.directory.listUserIds()) {
      const events = (await db.events.listProvisioningEvents({ jobId, sourceId: u }, { top: 10 })).items;
      expect(events[0]?.provisioningStatusInfo.status).toBe('success');
    }
  });

  it('runs several jobs at once (PROVISIO_WORKER_JOBS): two slow cycles of two jobs overlap in one process', async () => {
    const jobs = await Promise.all(
      ['Chat', 'Wiki'].map(async (name) => {
        const { spId, jobId } = await seedJob(db, app, { displayName: name });
        await db.jobs.updateJob(jobId, { settings: { MaxConcurrentExports: '1' } });
        for (let i = 0; i < 8; i += 1)
          await assign(db, spId, (await addUser(db, `${name}${i}`.toLowerCase())).id);
        return jobId;
      }),
    );
    // Each cycle takes a second or more, one request at a time.
    await fetch(`${app.origin}/admin/faults`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ latencyMs: 60 }),
    });
    for (const jobId of jobs) await requestRun(db, jobId);

    const worker = startWorker({ PROVISIO_WORKER_JOBS: '2' });
    await worker.waitFor(/worker ready [^\n]* jobs=2 /);
    for (const jobId of jobs)
      await worker.waitFor(new RegExp(`cycle \\S+ job=${jobId} kind=Initial state=Succeeded`));
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);

    // From the timestamped log: when each job's cycle started and ended.
    const span = (jobId: string) => {
      const at = (re: RegExp) => Date.parse(re.exec(worker.output())?.[1] ?? '');
      return {
        from: at(new RegExp(`^(\\S+) cycle \\S+ job=${jobId} kind=Initial started`, 'm')),
        to: at(new RegExp(`^(\\S+) cycle \\S+ job=${jobId} kind=Initial state=`, 'm')),
      };
    };
    const [first, second] = jobs.map(span);
    expect(first!.from).toBeLessThan(second!.to);
    expect(second!.from).toBeLessThan(first!.to);
    expect((await app.users()).length).toBe(16);
    for (const jobId of jobs) expect(await db.jobs.getJob(jobId)).toMatchObject({ leaseOwner: null });
  });
});
