/**
 * Throughput of provisioning cycles against the real sample SCIM app, with real processes.
 *
 *   pnpm bench:sync [--users=100000] [--limited-users=5000] [--small=1000] [--changes=100] [--matching-users=20000]
 *                   [--groups=2000] [--memberships=200000] [--membership-changes=1000] [--floor-users=50000]
 *                   [--concurrency=64] [--phases=a,b,c,d,f,g,p] [--profile=DIR] [--db=sqlite|postgres] [--compare-db]
 *
 * (a) an initial cycle of `users` assigned users into an empty application: wall time, objects/s,
 *     HTTP requests per object, the worker's peak RSS; then, in the same run, the same requests
 *     (listing pages and POST /Users with the same bodies) sent by a plain load generator, which is
 *     the sample app's own ceiling (the faster of 16 connections and `concurrency`), and the ratio
 *     of the two.
 * (b) the sample app limited to 200 requests/s with 20 ms latency, `limited-users` users: achieved
 *     request rate / limit and failed objects.
 * (c) an incremental cycle with `changes` changed users in the `users` directory and in a `small`
 *     directory: both times and their ratio.
 * (d) how an initial cycle matches: `matching-users` users into an empty application with one
 *     filter query per user (InitialCycleMatching=Filter, as Entra) and with one listing of the
 *     application (List, what Auto picks for large cycles).
 * (f) on request only (--phases=a,f): after (a), (a)'s requests sent by the bench itself for
 *     `floor-users` users, adding step by step the work a cycle cannot leave out for a user (see
 *     floorPhase): each step's objects/s against the load generator's, the floor under (a)'s ratio.
 * (g) groups: an initial cycle of `users` users and `groups` assigned groups holding `memberships`
 *     direct memberships: wall time, requests, group and membership requests per membership, the
 *     worker's peak RSS; then an incremental cycle after `membership-changes` membership changes
 *     (users moved from one group to another: one removal and one addition each).
 * (p) preview: after (a), a mapping change (every user's title), a preview of the next cycle as the
 *     API records one and the worker plans it (reads only), then the real cycle that follows: the
 *     preview's seconds against the cycle's (goal: no longer).
 *
 * `--concurrency` is the job's MaxConcurrentExports, and the load generator's connections. At 16 the
 * sample app waited for the worker: each answer waits for the worker's thread to finish what it is
 * doing (a group commit, a chunk of users read) before the next request goes, and 16 requests are
 * about 3 ms of the sample app's work. At 64 (the setting's maximum) it has work queued meanwhile:
 * phase (a) went from 2,800–3,240 to 3,030–4,370 objects/s in seven runs each on the same host, and
 * the groups phase from about 52 to 35 s. The ceiling is the faster of the load generator at 16
 * connections and at `--concurrency` (`a.ceiling.connections` says which): over the same runs, 64
 * connections averaged 4% fewer objects/s than 16 (5,416 against 5,662).
 *
 * The sample app and the worker run as child processes (`node --import tsx …`); the directory is
 * seeded through packages/db. Progress goes to stdout; the last line is one JSON object with every
 * figure. --profile=DIR writes a V8 CPU profile of the worker into DIR. --db=postgres runs every
 * phase on a throwaway PostgreSQL server (durable commits, as in production; one database per
 * seeded directory, given to the worker as PROVISIO_DATABASE_URL) instead of SQLite files.
 *
 * --compare-db runs phase (a)'s initial cycle on both databases in the same run, twice each in the
 * order SQLite, PostgreSQL, PostgreSQL, SQLite (goal: PostgreSQL's wall time at most 1.3 × SQLite's):
 * `a` is SQLite's first, with the ceiling as usual; `aPostgres` the same figures for PostgreSQL's
 * first, without a ceiling (the sample app's, measured once); and `compareDb` gives each database's
 * mean wall time, `postgresToSqlite`, their ratio, and the four `runs` in order. Only phase (a)
 * runs unless --phases names more, and those run on SQLite (`db` stays "sqlite"). The PostgreSQL
 * server starts with the first database on it and stops at the end, also when the bench fails.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import {
  dataFiles,
  openDatabase,
  openPostgresDb,
  openProvisioDb,
  provisioningEventRow,
  SecretBox,
  timeOrderedId,
  type DirectoryUserRecord,
  type ProvisioDb,
} from '@provisio/db';
import { createDatabase, startPostgres, type PostgresServer } from '@provisio/db/postgres-server';
import {
  applyMappings,
  buildUserSourceView,
  compileObjectMapping,
  findTargetObject,
  findUserObjectMapping,
  plainValues,
  toScimResource,
  withScopeOutcome,
  type CompiledObjectMapping,
  type ProvisioningObjectSummary,
} from '@provisio/engine';
import { CheckpointThread } from '../src/checkpoint-thread';
import { dbWrite, GroupCommitWriter, type DbWrite } from '../src/durable-writer';
import { userHandler } from '../src/user-handler';
import { DEFAULT_ROLE, REPO_ROOT, seedJob, startSampleApp, type SampleApp } from '../test/harness';

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k ?? '', v ?? 'true'] as const;
  }),
);
const USERS = Number(args.get('users') ?? 100_000);
const LIMITED_USERS = Number(args.get('limited-users') ?? 5_000);
const SMALL = Number(args.get('small') ?? 1_000);
const CHANGES = Number(args.get('changes') ?? 100);
const MATCHING_USERS = Number(args.get('matching-users') ?? 20_000);
const CONCURRENCY = Number(args.get('concurrency') ?? 64);
/**
 * Connections of the load generator besides `CONCURRENCY`: 16 keep the sample app busy on their own,
 * and it may serve fewer connections faster than many.
 */
const CEILING_CONNECTIONS = 16;
const GROUPS = Number(args.get('groups') ?? 2_000);
const MEMBERSHIPS = Number(args.get('memberships') ?? 200_000);
const MEMBERSHIP_CHANGES = Number(args.get('membership-changes') ?? 1_000);
const FLOOR_USERS = Number(args.get('floor-users') ?? 50_000);
const PROFILE_DIR = args.get('profile');
type BenchDb = 'sqlite' | 'postgres';
const dbArg = args.get('db') ?? 'sqlite';
if (dbArg !== 'sqlite' && dbArg !== 'postgres')
  throw new Error(`--db must be sqlite or postgres, not "${dbArg}".`);
const DB: BenchDb = dbArg;
const COMPARE_DB = args.get('compare-db') === 'true';
if (COMPARE_DB && DB !== 'sqlite')
  throw new Error(
    '--compare-db runs phase (a) on both databases and the other phases on SQLite: leave out --db.',
  );
// The comparison is phase (a)'s: it always runs, alone unless --phases asks for more.
const PHASES = new Set([
  ...(COMPARE_DB ? ['a'] : []),
  ...(args.get('phases') ?? (COMPARE_DB ? 'a' : 'a,b,c,d,g,p')).split(','),
]);
if (PHASES.has('f') && DB !== 'sqlite')
  throw new Error("Phase (f) measures the worker's SQLite writes: run it without --db=postgres.");
const RATE_LIMIT = 200;
const LATENCY_MS = 20;

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const log = (line: string) => console.log(`[bench] ${line}`);

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function memoryMb(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
    return { rss: round(kb('VmRSS') / 1024, 1), peak: round(kb('VmHWM') / 1024, 1) };
  } catch {
    return null;
  }
}

/**
 * The throwaway server the bench's PostgreSQL databases live on (--db=postgres, --compare-db):
 * started with the first of them, so a run on SQLite alone never starts it; `main` stops it.
 */
let postgres: PostgresServer | null = null;

/**
 * A Provisio data folder with its database — an SQLite file in it, or a new database on the bench's
 * PostgreSQL server — and `env`, what the worker process needs to open the same database. The
 * secret key is the folder's key file either way.
 */
async function openBenchDatabase(
  dialect: BenchDb,
): Promise<{ dir: string; db: ProvisioDb; env: Record<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), 'provisio-bench-'));
  const files = dataFiles(dir);
  const secretBox = SecretBox.load(files.secretKey);
  if (dialect === 'sqlite')
    return { dir, db: openProvisioDb({ file: files.database, secretBox }), env: { PROVISIO_DATA_DIR: dir } };
  postgres ??= await startPostgres({ durable: true, log });
  // Empty: this process migrates it as it opens it, before the worker starts.
  const url = await createDatabase(postgres.url);
  const db = await openPostgresDb({ url, secretBox });
  return { dir, db, env: { PROVISIO_DATA_DIR: dir, PROVISIO_DATABASE_URL: url } };
}

/** A Provisio data folder seeded with `count` assigned users and a job pointed at the sample app. */
async function seedDirectory(
  app: SampleApp,
  count: number,
  settings: Record<string, string> = {},
  options: { groups?: boolean; db?: BenchDb } = {},
) {
  const { dir, db, env } = await openBenchDatabase(options.db ?? DB);
  const started = performance.now();
  const { spId, jobId } = await seedJob(db, app, options.groups ? { groups: true } : {});
  // Not due until the bench asks for a cycle (runRequestedAt), so every figure starts at the request.
  await db.jobs.updateJob(jobId, {
    settings: { MaxConcurrentExports: String(CONCURRENCY), ...settings },
    nextRunAt: new Date(Date.now() + 86_400_000).toISOString(),
  });
  // The directory's bulk writes: a few statements per 500 users, each user with the changes that
  // adding and assigning it one at a time records.
  const ids: string[] = [];
  for (let from = 0; from < count; from += 10_000) {
    const inputs = Array.from({ length: Math.min(count, from + 10_000) - from }, (_, k) => {
      const i = from + k;
      const n = String(i).padStart(6, '0');
      return {
        userPrincipalName: `user${n}@contoso.com`,
        displayName: `User ${n}`,
        givenName: 'User',
        surname: n,
        mail: `user${n}@contoso.com`,
        department: `Department ${i % 50}`,
        jobTitle: 'Engineer',
        employeeId: String(100_000 + i),
      };
    });
    await db.transaction(async (tx) => {
      const added = await tx.directory.insertUsers(inputs);
      await tx.applications.insertUserAssignments({
        servicePrincipalId: spId,
        appRoleId: DEFAULT_ROLE,
        userIds: added,
      });
      ids.push(...added);
    });
  }
  log(`seeded ${count} assigned users in ${round((performance.now() - started) / 1000, 1)} s`);
  return {
    dir,
    db,
    env,
    jobId,
    spId,
    ids,
    cleanup: async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface WorkerProcess {
  child: ChildProcess;
  /** Resolves once the worker printed its ready line. */
  ready: Promise<void>;
  /** Resolves with the next cycle line of the job (`cycle … state=…`). */
  nextCycle: (jobId: string) => Promise<CycleLine>;
  peakRssMb: () => number | null;
  stop: () => Promise<void>;
}

interface CycleLine {
  /** Requests sent when each phase began (`phase=… requests=…`). */
  phaseRequests: Record<string, number>;
  state: string;
  imported: number;
  failed: number;
  requests: number;
  throttled: number;
  durationMs: number;
  line: string;
}

/** Starts the built worker on a seeded directory's database (`env`: its folder, and PostgreSQL's URL). */
function startWorker(database: { env: Record<string, string> }): WorkerProcess {
  const profile = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, '--enable-source-maps', 'apps/worker/dist/main.js'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ...database.env,
      PROVISIO_WORKER_ID: 'bench-worker',
      PROVISIO_WORKER_POLL_MS: '20',
      PROVISIO_WORKER_CONCURRENCY: String(CONCURRENCY),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffer = '';
  let markReady: () => void = () => undefined;
  let failReady: (error: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  // Awaited by each cycle; marked handled here so that a worker gone before the first is reported there.
  ready.catch(() => undefined);
  const waiters: { jobId: string; resolve: (l: CycleLine) => void; reject: (error: Error) => void }[] = [];
  let peak: number | null = null;
  const sampler = setInterval(() => {
    const m = memoryMb(child.pid ?? 0);
    if (m) peak = Math.max(peak ?? 0, m.peak);
  }, 500);
  const phaseRequests = new Map<string, Record<string, number>>();
  const onLine = (line: string) => {
    if (line.startsWith('worker ready')) markReady();
    const phase = /cycle \S+ job=(\S+) .*phase=(\S+) objects=\d+ requests=(\d+)/.exec(line);
    if (phase?.[1] && phase[2]) {
      const seen = phaseRequests.get(phase[1]) ?? {};
      seen[phase[2]] = Number(phase[3]);
      phaseRequests.set(phase[1], seen);
    }
    const m =
      /cycle \S+ job=(\S+) kind=\S+ state=(\S+) imported=(\d+) .*failed=(\d+) .*requests=(\d+) throttled=(\d+).* durationMs=(\d+)/.exec(
        line,
      );
    if (!m) return;
    const waiter = waiters.findIndex((w) => w.jobId === m[1]);
    if (waiter < 0) return;
    const [w] = waiters.splice(waiter, 1);
    const phases = phaseRequests.get(m[1] ?? '') ?? {};
    phaseRequests.delete(m[1] ?? '');
    w?.resolve({
      phaseRequests: phases,
      state: m[2] ?? '',
      imported: Number(m[3]),
      failed: Number(m[4]),
      requests: Number(m[5]),
      throttled: Number(m[6]),
      durationMs: Number(m[7]),
      line,
    });
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      onLine(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
      nl = buffer.indexOf('\n');
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  // A worker that ends before the bench stops it fails the cycle waiting for it, rather than leave the bench waiting.
  let stopping = false;
  let gone: Error | null = null;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve();
      if (stopping) return;
      gone = new Error(
        `The worker ended before the bench stopped it (${signal ?? `exit code ${String(code)}`}); its error output is above.`,
      );
      failReady(gone);
      for (const w of waiters.splice(0)) w.reject(gone);
    }),
  );
  return {
    child,
    ready,
    nextCycle: (jobId) =>
      gone
        ? Promise.reject(gone)
        : new Promise((resolve, reject) => waiters.push({ jobId, resolve, reject })),
    peakRssMb: () => {
      const m = memoryMb(child.pid ?? 0);
      return m ? Math.max(peak ?? 0, m.peak) : peak;
    },
    stop: async () => {
      stopping = true;
      clearInterval(sampler);
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs a cycle of the job now and waits for it, printing the progress the job's status shows. */
async function runCycle(db: ProvisioDb, worker: WorkerProcess, jobId: string, label: string) {
  await worker.ready;
  const done = worker.nextCycle(jobId);
  const cpuBefore = cpuSeconds(worker.child.pid ?? 0) ?? 0;
  const requested = performance.now();
  await db.jobs.updateJob(jobId, { runRequestedAt: new Date().toISOString() });
  let finished = false;
  const progress = async () => {
    const p = (await db.jobs.getJob(jobId)).status.progress[0];
    if (finished || !p || p.totalUnits === 0) return;
    const rate = p.completedUnits / ((performance.now() - requested) / 1000);
    const m = memoryMb(worker.child.pid ?? 0);
    log(
      `${label}: ${p.completedUnits}/${p.totalUnits} objects (${Math.round(rate)}/s), worker RSS ${m?.rss ?? '?'} MB`,
    );
  };
  const ticker = setInterval(() => {
    if (!finished) void progress();
  }, 5_000);
  const line = await done;
  finished = true;
  clearInterval(ticker);
  const wallMs = performance.now() - requested;
  const workerCpuSeconds = (cpuSeconds(worker.child.pid ?? 0) ?? 0) - cpuBefore;
  log(`${label}: ${line.line}`);
  log(`${label}: worker CPU ${round(workerCpuSeconds, 1)} s`);
  return { ...line, wallMs, workerCpuSeconds };
}

/** The POST bodies the worker sends for these users (same mappings, same shape). */
async function postBodies(db: ProvisioDb, jobId: string, ids: readonly string[]): Promise<string[]> {
  const bodyOf = bodyMaker(await userMapping(db, jobId));
  const bodies: string[] = [];
  for (let i = 0; i < ids.length; i += 1000)
    for (const user of await db.directory.listUsersByIds(ids.slice(i, i + 1000)))
      bodies.push(bodyOf(user).body);
  return bodies;
}

/** The job's user mapping, compiled as the worker compiles it. */
async function userMapping(db: ProvisioDb, jobId: string): Promise<CompiledObjectMapping> {
  const job = await db.jobs.getJob(jobId);
  const found = findUserObjectMapping(job.schema);
  if (!found.ok) throw new Error(found.error.message);
  const compiled = compileObjectMapping(found.mapping, {
    targetObject: findTargetObject(job.schema.directories, found.mapping.targetObjectName),
  });
  if (!compiled.ok) throw new Error('mapping');
  return compiled.mapping;
}

/** The mapping applied to a user, as an initial cycle's create: the values and the POST body. */
function bodyMaker(mapping: CompiledObjectMapping) {
  const entitlement = { appRoleId: DEFAULT_ROLE, via: 'User' as const };
  return (user: DirectoryUserRecord) => {
    const view = withScopeOutcome(buildUserSourceView(user, { entitlement }), { inScope: true });
    const values = plainValues(
      applyMappings(mapping, view, { isCreate: true, now: new Date(), random: Math.random }).values,
    );
    const body = JSON.stringify({
      ...toScimResource(values, mapping.targetObjectName, mapping.targetAttributes),
      meta: { resourceType: 'User' },
    });
    return { values, body };
  };
}

/**
 * Sends a request over keep-alive connections with undici's dispatcher (the cheapest client there
 * is): its status, and with `parse` its JSON body (read and parsed, as the worker does).
 */
function send(
  pool: Pool,
  method: 'GET' | 'POST',
  path: string,
  headers: Record<string, string>,
  body?: string,
  parse = false,
) {
  return new Promise<{ status: number; json: unknown }>((resolve, reject) => {
    let status = 0;
    const chunks: Buffer[] = [];
    pool.dispatch({ method, path, headers, ...(body === undefined ? {} : { body }) }, {
      onConnect() {},
      onError: reject,
      onHeaders(code: number) {
        status = code;
        return true;
      },
      onData(chunk: Buffer) {
        if (parse) chunks.push(chunk);
        return true;
      },
      onComplete() {
        resolve({ status, json: parse ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : null });
      },
    } as unknown as Parameters<Pool['dispatch']>[1]);
  });
}

/**
 * The sample app's ceiling for the requests of an initial cycle: listing pages, then every POST,
 * over `connections` connections each with one request in flight.
 */
async function loadGenerator(
  app: SampleApp,
  bodies: readonly string[],
  listPages: number,
  connections = CONCURRENCY,
) {
  const url = new URL(app.scimBaseUrl);
  const pool = new Pool(url.origin, { connections, pipelining: 1 });
  const headers = { authorization: `Bearer ${app.token}`, 'content-type': 'application/scim+json' };
  let errors = 0;
  const started = performance.now();
  for (let p = 0; p < listPages; p += 1) {
    const { status } = await send(
      pool,
      'GET',
      `${url.pathname}/Users?startIndex=${1 + p * 1000}&count=1000&attributes=userName`,
      headers,
    );
    if (status !== 200) errors += 1;
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const { status } = await send(pool, 'POST', `${url.pathname}/Users`, headers, body);
        if (status !== 201) errors += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return { seconds, errors, requests: bodies.length + listPages };
}

/** The steps of (f): each adds one part of an initial cycle's work per object to the steps before it. */
const FLOOR_STEPS = ['send', 'map', 'read', 'record', 'event'] as const;
type FloorStep = (typeof FLOOR_STEPS)[number];

/**
 * (f) what the ceiling ratio leaves for the worker: (a)'s POST /Users requests sent by the bench
 * itself, adding one step at a time the work an initial cycle cannot leave out for a user —
 * - `send`: the request, and its response read and parsed;
 * - `map`: the job's mapping applied to the user, which makes the body;
 * - `read`: the users read by 100 as the users phase reads them (`loadItems`: with their connector
 *   records, escrows and entitlements);
 * - `record`: the connector record, through the worker's group commit;
 * - `event`: a provisioning event (phase (a)'s first, with this user's ids and values) in the same commit;
 * with the worker's own code (mapping, repositories, group commit, its connection's settings and its
 * checkpoint thread) but nothing of the cycle's engine (scoping, matching, planning, the event's
 * steps). Each step runs for `floor-users` users of (a)'s directory, under a job of its own, and is
 * set against the load generator's rate measured just before it.
 */
async function floorPhase(
  app: SampleApp,
  seeded: { dir: string; spId: string; jobId: string; ids: readonly string[]; db: ProvisioDb },
  allBodies: readonly string[],
): Promise<Record<string, unknown>> {
  const files = dataFiles(seeded.dir);
  const db = await openDatabase(
    { file: files.database, walAutocheckpointPages: 10_000 },
    SecretBox.load(files.secretKey),
  );
  const checkpoints = new CheckpointThread({ databaseFile: files.database, intervalMs: 200 }, log);
  const [template] = (await db.events.listProvisioningEvents({ jobId: seeded.jobId }, { top: 1 })).items;
  if (!template) throw new Error('(f) needs an event of phase (a)');
  // In the order a cycle takes them: by id.
  const ids = [...seeded.ids].sort().slice(0, FLOOR_USERS);
  const bodies = allBodies.slice(0, ids.length);
  const mapping = await userMapping(db, seeded.jobId);
  const bodyOf = bodyMaker(mapping);
  const users = userHandler(mapping);
  const url = new URL(app.scimBaseUrl);
  const headers = { authorization: `Bearer ${app.token}`, 'content-type': 'application/scim+json' };

  /** One step for the first `count` users, into the emptied sample app under a new job. */
  const runStep = async (step: FloorStep, count: number) => {
    await app.reset();
    const has = (s: FloorStep) => FLOOR_STEPS.indexOf(s) <= FLOOR_STEPS.indexOf(step);
    const stepIds = ids.slice(0, count);
    const { jobId } = await seedJob(db, app);
    const preloaded = has('read') ? [] : await db.directory.listUsersByIds(stepIds);
    const chunks = new Map<number, Promise<(DirectoryUserRecord | null)[]>>();
    /** Chunk c's users, read by the worker's users phase (with their records), the next one at half way. */
    const readChunk = (c: number) => {
      let chunk = chunks.get(c);
      if (!chunk) {
        const part = stepIds.slice(c * 100, c * 100 + 100);
        const job = { jobId, servicePrincipalId: seeded.spId };
        chunk = users.loadItems(db, job, part).then((items) => items.map((item) => item.source));
        chunks.set(c, chunk);
      }
      return chunk;
    };
    const writer = new GroupCommitWriter(db);
    const committed: Promise<void>[] = [];
    const pool = new Pool(url.origin, { connections: CONCURRENCY, pipelining: 1 });
    let next = 0;
    let errors = 0;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < stepIds.length) {
          const i = next++;
          let user: DirectoryUserRecord | null | undefined = preloaded[i];
          if (has('read')) {
            const c = Math.floor(i / 100);
            if (i % 100 === 50) void readChunk(c + 1);
            user = (await readChunk(c))[i % 100];
            if (i % 100 === 99) chunks.delete(c);
          }
          const made = has('map') && user ? bodyOf(user) : null;
          const path = `${url.pathname}/Users`;
          const { status, json } = await send(pool, 'POST', path, headers, made?.body ?? bodies[i], true);
          if (status !== 201) errors += 1;
          if (!has('record') || !user || !made) continue;
          const targetId = (json as { id: string }).id;
          const writes: DbWrite[] = [
            dbWrite('connector', 'saveObject', {
              jobId,
              sourceId: user.id,
              objectType: 'User',
              targetId,
              state: 'linked',
              lastExported: made.values,
              inScope: true,
            }),
          ];
          if (has('event'))
            writes.push(
              dbWrite('events', 'insertEventRow', floorEvent(template, jobId, user, targetId, made.values)),
            );
          committed.push(writer.write(writes));
        }
      }),
    );
    await Promise.all(committed);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    await pool.close();
    return { seconds, cpuMs: (cpu.user + cpu.system) / 1000, errors };
  };

  const steps: Record<string, unknown> = {};
  try {
    // A first round of 2,000 users a step, not counted, so that the bench's own code runs compiled.
    for (const step of FLOOR_STEPS) await runStep(step, Math.min(2_000, ids.length));
    for (const step of FLOOR_STEPS) {
      await app.reset();
      const ceiling = await loadGenerator(app, bodies, 0);
      const run = await runStep(step, ids.length);
      const objectsPerSecond = ids.length / run.seconds;
      const ceilingPerSecond = ids.length / ceiling.seconds;
      steps[step] = {
        objectsPerSecond: Math.round(objectsPerSecond),
        cpuMsPerObject: round(run.cpuMs / ids.length, 3),
        errors: run.errors,
        ceilingObjectsPerSecond: Math.round(ceilingPerSecond),
        ratio: round(objectsPerSecond / ceilingPerSecond, 3),
      };
      log(`(f) ${step}: ${JSON.stringify(steps[step])}`);
    }
  } finally {
    await checkpoints.close();
    await db.close();
  }
  return { users: ids.length, steps };
}

/** Phase (a)'s event as this user's: new ids, time, names and values; the steps as they were. */
function floorEvent(
  template: ProvisioningObjectSummary,
  jobId: string,
  user: DirectoryUserRecord,
  targetId: string,
  values: Record<string, unknown>,
) {
  const now = Date.now();
  return provisioningEventRow({
    ...template,
    id: timeOrderedId(now),
    changeId: timeOrderedId(now),
    activityDateTime: new Date(now).toISOString(),
    jobId,
    sourceIdentity: { ...template.sourceIdentity, id: user.id, displayName: user.displayName },
    targetIdentity: { ...template.targetIdentity, id: targetId, displayName: user.displayName },
    modifiedProperties: Object.entries(values).map(([displayName, v]) => ({
      displayName,
      oldValue: null,
      newValue: typeof v === 'string' ? v : JSON.stringify(v),
    })),
  });
}

async function changeUsers(db: ProvisioDb, ids: readonly string[], count: number, tag: string) {
  const step = Math.max(1, Math.floor(ids.length / count));
  await db.transaction(async (tx) => {
    for (let k = 0; k < count; k += 1)
      await tx.directory.updateUser(ids[(k * step) % ids.length] ?? '', {
        jobTitle: `Changed ${tag} ${k}`,
      });
  });
}

/**
 * Seeds `GROUPS` groups assigned to the application, with `MEMBERSHIPS` direct memberships spread
 * over the users (member k of group g is user (g·7919 + k·104729) mod users: no two alike).
 */
async function seedGroups(db: ProvisioDb, spId: string, ids: readonly string[]): Promise<string[]> {
  const started = performance.now();
  const groupIds: string[] = [];
  const perGroup = Math.floor(MEMBERSHIPS / GROUPS);
  for (let from = 0; from < GROUPS; from += 200) {
    await db.transaction(async (tx) => {
      for (let g = from; g < Math.min(GROUPS, from + 200); g += 1) {
        const group = await tx.directory.insertGroup({
          displayName: `Group ${String(g).padStart(5, '0')}`,
        });
        const count = perGroup + (g < MEMBERSHIPS - perGroup * GROUPS ? 1 : 0);
        await tx.directory.addMembers(
          group.id,
          Array.from({ length: count }, (_, k) => ids[(g * 7919 + k * 104_729) % ids.length] ?? ''),
        );
        await tx.applications.insertAssignment({
          servicePrincipalId: spId,
          principalId: group.id,
          principalType: 'Group',
          appRoleId: DEFAULT_ROLE,
        });
        groupIds.push(group.id);
      }
    });
  }
  log(
    `seeded ${GROUPS} groups with ${MEMBERSHIPS} memberships in ${round((performance.now() - started) / 1000, 1)} s`,
  );
  return groupIds;
}

/** (g): users, groups and memberships in one initial cycle, then an incremental cycle of membership changes. */
async function groupsPhase(): Promise<Record<string, unknown>> {
  const app = await startSampleApp({ SAMPLE_APP_REQUEST_LOG: 'off' });
  const seeded = await seedDirectory(app, USERS, {}, { groups: true });
  const groupIds = await seedGroups(seeded.db, seeded.spId, seeded.ids);
  const worker = startWorker(seeded);
  try {
    const initial = await runCycle(
      seeded.db,
      worker,
      seeded.jobId,
      `(g) initial ${USERS} users, ${GROUPS} groups`,
    );
    const groupRequests = initial.requests - (initial.phaseRequests.Group ?? initial.requests);
    const g: Record<string, unknown> = {
      users: USERS,
      groups: GROUPS,
      memberships: MEMBERSHIPS,
      state: initial.state,
      failed: initial.failed,
      wallSeconds: round(initial.wallMs / 1000, 1),
      requests: initial.requests,
      groupRequests,
      requestsPerMembership: round(groupRequests / MEMBERSHIPS, 4),
      workerPeakRssMb: worker.peakRssMb(),
    };
    // Users moved from one group to another: each move is one removal and one addition.
    const moves = Math.floor(MEMBERSHIP_CHANGES / 2);
    await seeded.db.transaction(async (tx) => {
      for (let k = 0; k < moves; k += 1) {
        const from = groupIds[(k * 13) % groupIds.length] ?? '';
        const to = groupIds[(k * 13 + 1) % groupIds.length] ?? '';
        const member = (await tx.directory.listMemberIds(from))[0];
        if (!member) continue;
        await tx.directory.removeMember(from, member);
        await tx.directory.addMember(to, member);
      }
    });
    const incremental = await runCycle(
      seeded.db,
      worker,
      seeded.jobId,
      `(g) incremental ${moves * 2} membership changes`,
    );
    g.incrementalSeconds = round(incremental.wallMs / 1000, 3);
    g.incrementalRequests = incremental.requests;
    g.incrementalState = incremental.state;
    g.workerPeakRssMb = worker.peakRssMb();
    g.goals = { wallSeconds: 60, requestsPerMembership: 0.02, workerPeakRssMb: 300, incrementalSeconds: 5 };
    log(
      `(g) ${String(g.wallSeconds)} s, ${groupRequests} group and membership requests (${String(g.requestsPerMembership)} per membership), incremental ${String(g.incrementalSeconds)} s`,
    );
    return g;
  } finally {
    await worker.stop();
    await seeded.cleanup();
    await app.stop();
  }
}

/**
 * (p) a preview of the next cycle after a mapping change (every user's title gains a suffix), as
 * the API records one and the worker plans it; then the real cycle that follows.
 */
async function previewPhase(db: ProvisioDb, worker: WorkerProcess, jobId: string) {
  const job = await db.jobs.getJob(jobId);
  const schema = structuredClone(job.schema);
  for (const rule of schema.synchronizationRules)
    for (const m of rule.objectMappings)
      for (const a of m.attributeMappings)
        if (a.targetAttributeName === 'title')
          a.source = {
            type: 'Function',
            name: null,
            expression: 'Append([jobTitle], " (preview)")',
            parameters: [],
          };
  // What the API's schema PUT does: the next cycle is an initial cycle.
  await db.jobs.updateJob(jobId, { schema, watermark: null });
  log('(p) preview of the next cycle after a mapping change');
  const id = randomUUID();
  const requested = performance.now();
  await db.previews.insertPreview({
    id,
    jobId,
    requestedBy: { id: 'bench', userName: 'bench' },
    createdAt: new Date().toISOString(),
  });
  let preview = await db.previews.getPreview(id);
  while (preview.status === 'running') {
    await new Promise((r) => setTimeout(r, 50));
    preview = await db.previews.getPreview(id);
  }
  const seconds = (performance.now() - requested) / 1000;
  log(`(p) preview ${preview.status} in ${round(seconds, 1)} s: ${JSON.stringify(preview.counts)}`);
  const cycle = await runCycle(db, worker, jobId, '(p) the cycle that follows');
  const cycleSeconds = cycle.wallMs / 1000;
  return {
    users: USERS,
    status: preview.status,
    seconds: round(seconds, 1),
    cycleSeconds: round(cycleSeconds, 1),
    counts: preview.counts,
    cycleUpdated: Number(/ updated=(\d+)/.exec(cycle.line)?.[1] ?? 0),
    goals: { secondsAtMostCycleSeconds: true },
  };
}

/**
 * Phase (a)'s cycle, the initial one of a seeded directory: its figures (`a` in the JSON line),
 * without the ceiling, which the caller measures after.
 */
async function initialCycle(
  app: SampleApp,
  seeded: { db: ProvisioDb; jobId: string },
  worker: WorkerProcess,
  label: string,
) {
  const appCpuBefore = cpuSeconds(app.pid) ?? 0;
  const initial = await runCycle(seeded.db, worker, seeded.jobId, label);
  const appCpuSeconds = (cpuSeconds(app.pid) ?? 0) - appCpuBefore;
  const objectsPerSecond = USERS / (initial.wallMs / 1000);
  const a: Record<string, unknown> = {
    users: USERS,
    state: initial.state,
    failed: initial.failed,
    wallSeconds: round(initial.wallMs / 1000, 1),
    cycleSeconds: round(initial.durationMs / 1000, 1),
    objectsPerSecond: Math.round(objectsPerSecond),
    requestsPerObject: round(initial.requests / USERS, 4),
    workerCpuMsPerObject: round((initial.workerCpuSeconds * 1000) / USERS, 3),
    // The target's CPU per request under the worker's traffic, against the load generator's below.
    sampleAppCpuMsPerRequest: round((appCpuSeconds * 1000) / initial.requests, 3),
    minutesPerObject: Number((initial.wallMs / 60_000 / USERS).toExponential(2)),
    workerPeakRssMb: worker.peakRssMb(),
    goals: { wallSeconds: 90, workerPeakRssMb: 300 },
  };
  return { initial, objectsPerSecond, a };
}

/**
 * --compare-db: phase (a)'s cycle again, in a directory seeded alike on `db`, against a new sample
 * app. No ceiling: that is the sample app's, measured once with SQLite's first cycle.
 */
async function comparedInitialCycle(db: BenchDb): Promise<{ wallMs: number; a: Record<string, unknown> }> {
  const app = await startSampleApp({ SAMPLE_APP_REQUEST_LOG: 'off' });
  try {
    const seeded = await seedDirectory(app, USERS, {}, { db });
    const worker = startWorker(seeded);
    try {
      const label = `(a) initial ${USERS} on ${db === 'postgres' ? 'PostgreSQL' : 'SQLite'}`;
      const { initial, a } = await initialCycle(app, seeded, worker, label);
      return { wallMs: initial.wallMs, a };
    } finally {
      await worker.stop();
      await seeded.cleanup();
    }
  } finally {
    await app.stop();
  }
}

async function runBench(): Promise<void> {
  // The worker as it ships: its bundle, built from the sources of this checkout.
  execFileSync('pnpm', ['--filter', '@provisio/worker', 'build'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const result: Record<string, unknown> = {
    bench: 'sync',
    db: DB,
    node: process.version,
    cpus: cpus().length,
    concurrency: CONCURRENCY,
    entraReferenceMinutesPerObject: { min: 0.01, max: 0.08 },
  };
  const database = COMPARE_DB ? 'sqlite, and postgres for (a)' : DB;
  log(
    `node ${process.version}, ${cpus().length} cores, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, concurrency ${CONCURRENCY}, database ${database}`,
  );

  /** Phase (a)'s wall time on the database of the run (SQLite with --compare-db). */
  let initialWallMs: number | null = null;
  if (PHASES.has('a') || PHASES.has('c') || PHASES.has('f') || PHASES.has('p')) {
    const app = await startSampleApp({ SAMPLE_APP_REQUEST_LOG: 'off' });
    const seeded = await seedDirectory(app, USERS);
    const worker = startWorker(seeded);
    try {
      const { initial, objectsPerSecond, a } = await initialCycle(
        app,
        seeded,
        worker,
        `(a) initial ${USERS}`,
      );
      result.a = a;
      initialWallMs = initial.wallMs;

      if (PHASES.has('c')) {
        await changeUsers(seeded.db, seeded.ids, CHANGES, 'large');
        const large = await runCycle(
          seeded.db,
          worker,
          seeded.jobId,
          `(c) incremental ${CHANGES} of ${USERS}`,
        );
        result.c = {
          largeDirectory: USERS,
          largeSeconds: round(large.durationMs / 1000, 3),
          largeWallSeconds: round(large.wallMs / 1000, 3),
          largeRequests: large.requests,
        };
      }
      a.workerPeakRssMb = worker.peakRssMb();
      if (PHASES.has('p')) result.preview = await previewPhase(seeded.db, worker, seeded.jobId);
      await worker.stop();

      const bodies =
        PHASES.has('a') || PHASES.has('f') ? await postBodies(seeded.db, seeded.jobId, seeded.ids) : [];
      if (PHASES.has('a')) {
        // The same requests from a plain load generator, against the same (emptied) sample app.
        log('(a) load generator: the same listing and POST /Users requests, sent directly');
        const listPages = Math.max(0, Math.round(initial.requests - USERS));
        // The ceiling is the faster of the bench's concurrency and CEILING_CONNECTIONS.
        let best: {
          run: Awaited<ReturnType<typeof loadGenerator>>;
          appCpuSeconds: number;
          connections: number;
        } | null = null;
        for (const connections of new Set([CONCURRENCY, CEILING_CONNECTIONS])) {
          await app.reset();
          const appCpuBefore = cpuSeconds(app.pid) ?? 0;
          const run = await loadGenerator(app, bodies, listPages, connections);
          const appCpuSeconds = (cpuSeconds(app.pid) ?? 0) - appCpuBefore;
          log(
            `(a) load generator, ${connections} connections: ${Math.round(USERS / run.seconds)} objects/s (${run.errors} errors)`,
          );
          if (best === null || run.seconds < best.run.seconds) best = { run, appCpuSeconds, connections };
        }
        if (best === null) throw new Error('(a) the load generator did not run');
        const { run: ceiling, appCpuSeconds: ceilingAppCpuSeconds, connections } = best;
        const ceilingPerSecond = USERS / ceiling.seconds;
        a.ceiling = {
          connections,
          seconds: round(ceiling.seconds, 1),
          objectsPerSecond: Math.round(ceilingPerSecond),
          requests: ceiling.requests,
          errors: ceiling.errors,
          sampleAppCpuMsPerRequest: round((ceilingAppCpuSeconds * 1000) / ceiling.requests, 3),
        };
        a.workerToCeilingRatio = round(objectsPerSecond / ceilingPerSecond, 3);
        log(
          `(a) load generator: ${Math.round(ceilingPerSecond)} objects/s (${ceiling.errors} errors); worker/ceiling = ${a.workerToCeilingRatio as number}`,
        );
      }
      if (PHASES.has('f')) result.floor = await floorPhase(app, seeded, bodies);
      log(`(a) worker peak RSS ${String(a.workerPeakRssMb)} MB`);
    } finally {
      await worker.stop();
      await seeded.cleanup();
      await app.stop();
    }
  }

  if (COMPARE_DB && initialWallMs !== null) {
    // The host's speed drifts, by up to 30% within minutes: the cycles run SQLite, PostgreSQL,
    // PostgreSQL, SQLite, so that a steady drift weighs on both alike, and each database's time is
    // the mean of its two.
    const postgresRuns = [await comparedInitialCycle('postgres'), await comparedInitialCycle('postgres')];
    const sqliteMs = [initialWallMs, (await comparedInitialCycle('sqlite')).wallMs];
    const postgresMs = postgresRuns.map((r) => r.wallMs);
    result.aPostgres = postgresRuns[0]!.a;
    const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
    const seconds = (ms: number) => round(ms / 1000, 2);
    const postgresToSqlite = round(mean(postgresMs) / mean(sqliteMs), 2);
    result.compareDb = {
      users: USERS,
      sqliteSeconds: seconds(mean(sqliteMs)),
      postgresSeconds: seconds(mean(postgresMs)),
      postgresToSqlite,
      runs: [
        { db: 'sqlite', seconds: seconds(sqliteMs[0]!) },
        ...postgresMs.map((ms) => ({ db: 'postgres', seconds: seconds(ms) })),
        { db: 'sqlite', seconds: seconds(sqliteMs[1]!) },
      ],
      goals: { postgresToSqlite: 1.3 },
    };
    log(
      `(a) SQLite ${sqliteMs.map((ms) => round(ms / 1000, 1)).join(' and ')} s, PostgreSQL ${postgresMs.map((ms) => round(ms / 1000, 1)).join(' and ')} s: PostgreSQL/SQLite = ${postgresToSqlite}`,
    );
  }

  if (PHASES.has('c')) {
    const app = await startSampleApp({ SAMPLE_APP_REQUEST_LOG: 'off' });
    const seeded = await seedDirectory(app, SMALL);
    const worker = startWorker(seeded);
    try {
      await runCycle(seeded.db, worker, seeded.jobId, `(c) initial ${SMALL}`);
      await changeUsers(seeded.db, seeded.ids, CHANGES, 'small');
      const small = await runCycle(seeded.db, worker, seeded.jobId, `(c) incremental ${CHANGES} of ${SMALL}`);
      const c = (result.c ?? {}) as Record<string, unknown>;
      c.smallDirectory = SMALL;
      c.smallSeconds = round(small.durationMs / 1000, 3);
      c.smallWallSeconds = round(small.wallMs / 1000, 3);
      c.smallRequests = small.requests;
      if (typeof c.largeSeconds === 'number')
        c.ratio = round(c.largeSeconds / Math.max(0.001, c.smallSeconds as number), 2);
      c.changes = CHANGES;
      c.goals = { ratio: 1.5, eachSeconds: 2 };
      result.c = c;
    } finally {
      await worker.stop();
      await seeded.cleanup();
      await app.stop();
    }
  }

  if (PHASES.has('b')) {
    const app = await startSampleApp({
      SAMPLE_APP_REQUEST_LOG: 'off',
      SAMPLE_APP_RATE_LIMIT: String(RATE_LIMIT),
      SAMPLE_APP_LATENCY_MS: String(LATENCY_MS),
    });
    const seeded = await seedDirectory(app, LIMITED_USERS);
    const worker = startWorker(seeded);
    try {
      const limited = await runCycle(
        seeded.db,
        worker,
        seeded.jobId,
        `(b) ${LIMITED_USERS} users at ${RATE_LIMIT} req/s`,
      );
      const served = limited.requests - limited.throttled;
      const rate = served / (limited.durationMs / 1000);
      result.b = {
        users: LIMITED_USERS,
        rateLimitPerSecond: RATE_LIMIT,
        latencyMs: LATENCY_MS,
        seconds: round(limited.durationMs / 1000, 1),
        requests: limited.requests,
        throttled: limited.throttled,
        achievedRequestsPerSecond: round(rate, 1),
        achievedToLimit: round(rate / RATE_LIMIT, 3),
        failedObjects: limited.failed,
        goals: { achievedToLimit: 0.9, failedObjects: 0 },
      };
      log(
        `(b) ${round(rate, 1)} req/s served of ${RATE_LIMIT} (${round(rate / RATE_LIMIT, 3)}), ${limited.throttled} answered 429, ${limited.failed} failed objects`,
      );
    } finally {
      await worker.stop();
      await seeded.cleanup();
      await app.stop();
    }
  }

  if (PHASES.has('d')) {
    const d: Record<string, unknown> = { users: MATCHING_USERS };
    for (const mode of ['Filter', 'List'] as const) {
      const app = await startSampleApp({ SAMPLE_APP_REQUEST_LOG: 'off' });
      const seeded = await seedDirectory(app, MATCHING_USERS, { InitialCycleMatching: mode });
      const worker = startWorker(seeded);
      try {
        const run = await runCycle(seeded.db, worker, seeded.jobId, `(d) ${mode} ${MATCHING_USERS}`);
        d[mode.toLowerCase()] = {
          seconds: round(run.wallMs / 1000, 1),
          objectsPerSecond: Math.round(MATCHING_USERS / (run.wallMs / 1000)),
          requestsPerObject: round(run.requests / MATCHING_USERS, 4),
          workerCpuMsPerObject: round((run.workerCpuSeconds * 1000) / MATCHING_USERS, 3),
          failed: run.failed,
        };
      } finally {
        await worker.stop();
        await seeded.cleanup();
        await app.stop();
      }
    }
    const filter = d.filter as { seconds: number };
    const list = d.list as { seconds: number };
    d.listSpeedup = round(filter.seconds / list.seconds, 2);
    result.d = d;
    log(
      `(d) Filter ${filter.seconds} s, List ${list.seconds} s: listing is ${String(d.listSpeedup)}× as fast`,
    );
  }

  if (PHASES.has('g')) result.groups = await groupsPhase();

  result.loadAverage1m = round(loadavg()[0] ?? 0, 2);
  console.log(JSON.stringify(result));
}

/** The bench; its PostgreSQL server, if one was started, is stopped and removed at the end. */
async function main(): Promise<void> {
  try {
    await runBench();
  } finally {
    postgres?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
