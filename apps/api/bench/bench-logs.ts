/**
 * How the provisioning logs answer over a large log, through the real API (`buildApp` + `inject`,
 * so the figures are the server's own work, without a network).
 *
 *   pnpm bench:logs [--events=1000000] [--download=250000] [--purge=100000] [--repeat=20] [--db=sqlite|postgres]
 *
 * Seeds `events` provisioning events as cycles write them (30 days, 5 applications, 1,000 events
 * per cycle, ~85% success, 8% skipped, 5% failure; five steps and a few modified properties each),
 * then times the queries the portal sends: the default view (7 days), one application, one status,
 * a rare combination, the identity search, one cycle, the 20th page through @odata.nextLink; and
 * a download of `download` events as JSON and as the CSV ZIP (events/s and MB/s). Each query runs
 * `repeat` times; p50 and p95 in milliseconds. Then: the bytes each event costs on disk; the filters
 * by application, job, cycle, change, source and target system; the downloads' peak memory growth;
 * and the purge of `purge` expired events in batches of 1,000 while the default view is queried
 * between batches (the log retention's pattern). The last line is one JSON object with every figure,
 * and `db`, the database it ran on.
 *
 * --db=postgres runs it on a throwaway PostgreSQL 15 server (durable commits, as in production),
 * stopped and removed at the end, also when the bench fails. The events are seeded there with one
 * multi-row INSERT per 10,000 (see `insertEvents`): the rows the repository writes, with the same
 * compressed bodies. The database's size is PostgreSQL's (`pg_database_size`), not a file's.
 */
import type { ProvisioningObjectSummary, ProvisioningResult } from '@provisio/contracts';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  dataFiles,
  openPostgresDb,
  PostgresRunner,
  provisioningEventRow,
  SecretBox,
  type ProvisioDb,
  type SqlRunner,
} from '@provisio/db';
import { createDatabase, startPostgres } from '@provisio/db/postgres-server';
import { buildApp, type ProvisioApp } from '../src/app';
import { hashPassword } from '../src/auth/password';
import { hashSessionToken } from '../src/services/auth-service';
import { READER, startTestApp } from '../test/helpers';

const arg = (name: string, fallback: number) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.split('=')[1]) : fallback;
};
const EVENTS = arg('events', 1_000_000);
const DOWNLOAD = arg('download', 250_000);
const PURGE = arg('purge', 100_000);
const REPEAT = arg('repeat', 20);
const dbArg = process.argv.find((a) => a.startsWith('--db='))?.split('=')[1] ?? 'sqlite';
if (dbArg !== 'sqlite' && dbArg !== 'postgres')
  throw new Error(`--db must be sqlite or postgres, not "${dbArg}".`);
const DB: 'sqlite' | 'postgres' = dbArg;

const DAY = 86_400_000;
const APPS = ['sp-a', 'sp-b', 'sp-c', 'sp-d', 'sp-e'];
const now = Date.now();

/** A deterministic generator, so that runs compare. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function event(i: number, next: () => number): ProvisioningObjectSummary {
  // Oldest first, spread evenly over 30 days; a cycle is 1,000 consecutive events of one app.
  const time = new Date(now - 30 * DAY + Math.floor((i / EVENTS) * 30 * DAY)).toISOString();
  const cycle = Math.floor(i / 1000);
  const sp = APPS[cycle % APPS.length]!;
  const r = next();
  const status: ProvisioningResult =
    r < 0.85 ? 'success' : r < 0.93 ? 'skipped' : r < 0.98 ? 'failure' : 'warning';
  const a = next();
  const action = a < 0.3 ? 'create' : a < 0.8 ? 'update' : a < 0.9 ? 'disable' : 'other';
  const user = Math.floor(next() * 100_000);
  const name = `User ${user}`;
  const upn = `user${user}@contoso.com`;
  return {
    id: `evt-${String(i).padStart(8, '0')}`,
    activityDateTime: time,
    changeId: `change-${i}`,
    cycleId: `cycle-${cycle}`,
    jobId: `scim.${sp}`,
    durationInMilliseconds: 20 + Math.floor(next() * 200),
    initiatedBy: { id: '', displayName: 'Provisio Provisioning Service', initiatorType: 'system' },
    modifiedProperties:
      action === 'update'
        ? [
            { displayName: 'department', oldValue: 'Sales', newValue: 'Marketing' },
            { displayName: 'title', oldValue: 'Analyst', newValue: 'Senior Analyst' },
          ]
        : [
            { displayName: 'userName', oldValue: null, newValue: upn },
            { displayName: 'displayName', oldValue: null, newValue: name },
            { displayName: 'active', oldValue: null, newValue: 'True' },
          ],
    provisioningAction: action,
    provisioningStatusInfo: {
      status,
      errorInformation:
        status === 'failure'
          ? {
              errorCode: 'SystemForCrossDomainIdentityManagementBadRequest',
              reason: 'The target application answered 400 Bad Request: attribute "title" is too long.',
              additionalDetails: null,
              errorCategory: 'nonServiceFailure',
              recommendedAction: 'Shorten the value or change the attribute mapping.',
            }
          : null,
    },
    provisioningSteps: [
      ['EntryImport', 'import', `Received User '${upn}'`],
      [
        'EntrySynchronizationScoping',
        'scoping',
        'Determine if User in scope by evaluating against each scoping filter',
      ],
      ['EntryImportByMatching', 'matching', `Retrieved ${upn} from the target application`],
      ['EntrySynchronizationAdd', 'processing', 'User will be created in the target application'],
      ['EntryExportAdd', 'export', `User '${upn}' was created in the target application`],
    ].map(([stepName, type, description]) => ({
      name: stepName!,
      provisioningStepType: type as 'import',
      status: 'success' as const,
      description: description!,
      details: { ReportableIdentifier: upn, SkipReason: '' },
    })),
    servicePrincipal: { id: sp, displayName: `Application ${sp}` },
    sourceIdentity: { id: `u-${user}`, displayName: name, identityType: 'User', details: {} },
    targetIdentity: {
      id: `t-${user}`,
      displayName: name,
      identityType: 'urn:ietf:params:scim:schemas:core:2.0:User',
      details: {},
    },
    sourceSystem: { id: 'provisio', displayName: 'Provisio Directory', details: {} },
    targetSystem: { id: 'scim', displayName: `Application ${sp}`, details: { ServicePrincipalId: sp } },
    tenantId: 'provisio',
  };
}

/** The API under test over the bench's database, a Reports Reader's session, and the same database for SQL. */
interface BenchApp {
  app: ProvisioApp;
  db: ProvisioDb;
  sql: SqlRunner;
  /** Cookie header of a signed-in Reports Reader. */
  reader: string;
  /** What the database takes on disk, in bytes. */
  databaseBytes(): Promise<number>;
  close(): Promise<void>;
}

/** On SQLite, the API tests' app (a database file in a temporary folder). */
async function startSqliteBench(): Promise<BenchApp> {
  const t = await startTestApp();
  return {
    app: t.app,
    db: t.db,
    sql: t.sql,
    reader: t.reader,
    databaseBytes: () => Promise.resolve(statSync(dataFiles(t.dataDir).database).size),
    close: () => t.close(),
  };
}

/** On a new database of a throwaway PostgreSQL server; `close` stops and removes the server. */
async function startPostgresBench(): Promise<BenchApp> {
  const server = await startPostgres({ durable: true, log: console.log });
  const dataDir = mkdtempSync(join(tmpdir(), 'provisio-bench-logs-'));
  const closing: (() => Promise<void>)[] = [];
  const close = async () => {
    try {
      for (const step of closing.reverse()) await step();
    } finally {
      server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
  try {
    const url = await createDatabase(server.url);
    const db = await openPostgresDb({ url, secretBox: SecretBox.fromKey(randomBytes(32)) });
    closing.push(() => db.close());
    const sql = PostgresRunner.open(url, { poolSize: 2 });
    closing.push(() => sql.close());
    const app = await buildApp({ db, dataDir });
    closing.push(() => app.close());
    // A session as startTestApp makes one, whose PostgreSQL database comes from vitest's setup alone.
    const account = await db.accounts.insertAccount({
      userName: READER.userName,
      passwordHash: await hashPassword(READER.password),
      role: 'ReportsReader',
    });
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    await db.accounts.insertSession(
      hashSessionToken(token),
      account.id,
      new Date(now.getTime() + 3600_000),
      now,
    );
    const databaseBytes = async () =>
      (await sql.get<{ n: number }>('SELECT pg_database_size(current_database()) AS n'))!.n;
    return { app, db, sql, reader: `provisio_session=${token}`, databaseBytes, close };
  } catch (error) {
    await close();
    throw error;
  }
}

// The columns of `INSERT_EVENT` in packages/db's events repository, each bound as one array.
const INSERT_EVENTS_POSTGRES = `INSERT INTO provisioning_events (id, activity_date_time, job_id, cycle_id, change_id,
    service_principal_id, action, status, source_id, source_display_name, target_id, target_display_name, body)
  SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
    ?::text[], ?::text[], ?::text[], ?::text[], ?::bytea[])`;

/**
 * Writes events as cycles do: through the repository on SQLite; on PostgreSQL the same rows in one
 * statement whose parameters are the columns (a statement per event, as the repository writes
 * them, took about twice as long).
 */
async function insertEvents(b: BenchApp, events: readonly ProvisioningObjectSummary[]): Promise<void> {
  if (b.db.dialect === 'sqlite') return b.db.events.insertProvisioningEvents(events);
  const rows = events.map(provisioningEventRow);
  await b.sql.run(INSERT_EVENTS_POSTGRES, [
    rows.map((r) => r.id),
    rows.map((r) => r.activityDateTime),
    rows.map((r) => r.jobId),
    rows.map((r) => r.cycleId),
    rows.map((r) => r.changeId),
    rows.map((r) => r.servicePrincipalId),
    rows.map((r) => r.action),
    rows.map((r) => r.status),
    rows.map((r) => r.sourceId),
    rows.map((r) => r.sourceDisplayName),
    rows.map((r) => r.targetId),
    rows.map((r) => r.targetDisplayName),
    rows.map((r) => r.body),
  ]);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function main() {
  const t = DB === 'postgres' ? await startPostgresBench() : await startSqliteBench();
  try {
    console.log(`seeding ${EVENTS.toLocaleString()} provisioning events…`);
    const seeding = performance.now();
    const next = random(42);
    const BATCH = 10_000;
    // On PostgreSQL the server writes a batch while this process builds the next.
    let writing = Promise.resolve();
    for (let start = 0; start < EVENTS; start += BATCH) {
      const batch: ProvisioningObjectSummary[] = [];
      for (let i = start; i < Math.min(EVENTS, start + BATCH); i += 1) batch.push(event(i, next));
      await writing;
      writing = insertEvents(t, batch);
      if ((start / BATCH) % 10 === 9) console.log(`  ${(start + BATCH).toLocaleString()} events`);
    }
    await writing;
    // The applications the events name, so that the target system filter finds them by name.
    for (const sp of APPS) {
      await t.sql.run(
        'INSERT INTO service_principals (id, app_id, display_name, created_at) VALUES (?, ?, ?, ?)',
        [sp, `app-${sp}`, `Application ${sp}`, new Date().toISOString()],
      );
    }
    await t.sql.run('ANALYZE');
    const seedSeconds = (performance.now() - seeding) / 1000;
    const dbMb = (await t.databaseBytes()) / 1e6;
    console.log(`seeded in ${round(seedSeconds)} s; database ${round(dbMb)} MB`);

    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
    const week = `activityDateTime ge ${iso(now - 7 * DAY)}`;
    const day = `activityDateTime ge ${iso(now - DAY)}`;
    const lastCycle = `cycle-${Math.floor((EVENTS - 1) / 1000) - 7}`;
    const queries: Record<string, string> = {
      defaultView: week,
      oneApplication: `servicePrincipal/id eq 'sp-c' and ${week}`,
      applicationFailures: `servicePrincipal/id eq 'sp-c' and provisioningStatusInfo/status eq 'failure' and ${week}`,
      rareCombination: `servicePrincipal/id eq 'sp-c' and provisioningStatusInfo/status eq 'warning' and provisioningAction eq 'disable' and ${day}`,
      identitySearch: `contains(sourceIdentity/displayName, 'User 12345') and ${week}`,
      identityNoMatch: `contains(sourceIdentity/displayName, 'nobody at all') and ${week}`,
      oneCycle: `cycleId eq '${lastCycle}'`,
    };
    const filterQueries: Record<string, string> = {
      application: `servicePrincipal/id eq 'sp-c' and ${week}`,
      jobId: `jobId eq 'scim.sp-c' and ${week}`,
      cycleId: `cycleId eq '${lastCycle}'`,
      changeId: `changeId eq 'change-${EVENTS - 1234}'`,
      sourceSystem: `sourceSystem/displayName eq 'Provisio Directory' and ${week}`,
      targetSystem: `targetSystem/displayName eq 'Application sp-c' and ${week}`,
    };
    const get = async (url: string) => {
      const res = await t.app.inject({ url, headers: { cookie: t.reader } });
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return res;
    };
    // The first request compiles the route's schemas and serializers: not part of any figure.
    await get(`/api/v1.0/auditLogs/provisioning?$top=1`);
    const figures: Record<string, { p50Ms: number; p95Ms: number; rows: number }> = {};
    for (const [name, filter] of Object.entries(queries)) {
      const url = `/api/v1.0/auditLogs/provisioning?$filter=${encodeURIComponent(filter)}&$top=50`;
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < REPEAT; i += 1) {
        const began = performance.now();
        const res = await get(url);
        times.push(performance.now() - began);
        rows = (res.json() as { value: unknown[] }).value.length;
      }
      times.sort((a, b) => a - b);
      figures[name] = {
        p50Ms: round(percentile(times, 50), 2),
        p95Ms: round(percentile(times, 95), 2),
        rows,
      };
      console.log(`${name}: p50 ${figures[name].p50Ms} ms, p95 ${figures[name].p95Ms} ms (${rows} rows)`);
    }

    const filters: Record<string, { p95Ms: number }> = {};
    for (const [name, filter] of Object.entries(filterQueries)) {
      const url = `/api/v1.0/auditLogs/provisioning?$filter=${encodeURIComponent(filter)}&$top=50`;
      const times: number[] = [];
      for (let i = 0; i < REPEAT; i += 1) {
        const began = performance.now();
        await get(url);
        times.push(performance.now() - began);
      }
      times.sort((a, b) => a - b);
      filters[name] = { p95Ms: round(percentile(times, 95), 2) };
      console.log(`filter ${name}: p95 ${filters[name].p95Ms} ms`);
    }

    // Paging: the 20th page of the default view, through the links the API gives.
    let url = `/api/v1.0/auditLogs/provisioning?$filter=${encodeURIComponent(week)}&$top=50`;
    const pageTimes: number[] = [];
    for (let page = 1; page <= 20; page += 1) {
      const began = performance.now();
      const res = await get(url);
      pageTimes.push(performance.now() - began);
      url = (res.json() as { '@odata.nextLink': string })['@odata.nextLink'];
    }
    const page20Ms = round(pageTimes.at(-1)!, 2);
    console.log(`page 20 of the default view: ${page20Ms} ms`);

    // Downloads: the newest `DOWNLOAD` events (a time bound picks them).
    const origin = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const cut = new Date(
      now - 30 * DAY + Math.floor(((EVENTS - DOWNLOAD) / EVENTS) * 30 * DAY),
    ).toISOString();
    const downloadFilter = encodeURIComponent(`activityDateTime ge ${cut}`);
    const downloads: Record<
      string,
      { seconds: number; eventsPerSecond: number; megabytes: number; peakRssGrowthMb: number }
    > = {};
    let peakRssGrowthMb = 0;
    for (const format of ['json', 'csv'] as const) {
      const rssBefore = process.memoryUsage().rss;
      let rssPeak = rssBefore;
      const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);
      const began = performance.now();
      // Over a real connection, read as it streams: a 250,000-event file does not fit in one string.
      const res = await fetch(
        `${origin}/api/v1.0/auditLogs/provisioning/download?format=${format}&$filter=${downloadFilter}`,
        { headers: { cookie: t.reader } },
      );
      if (!res.ok || !res.body) throw new Error(`download ${format}: ${res.status}`);
      let bytes = 0;
      for await (const chunk of res.body) bytes += (chunk as Uint8Array).length;
      const seconds = (performance.now() - began) / 1000;
      clearInterval(sampler);
      const growthMb = (rssPeak - rssBefore) / 1e6;
      peakRssGrowthMb = Math.max(peakRssGrowthMb, growthMb);
      const megabytes = bytes / 1e6;
      downloads[format] = {
        seconds: round(seconds, 2),
        eventsPerSecond: Math.round(DOWNLOAD / seconds),
        megabytes: round(megabytes),
        peakRssGrowthMb: round(growthMb),
      };
      console.log(
        `download ${format}: ${DOWNLOAD.toLocaleString()} events in ${round(seconds, 2)} s ` +
          `(${downloads[format].eventsPerSecond.toLocaleString()} events/s, ${round(megabytes)} MB, ` +
          `peak memory +${round(growthMb)} MB)`,
      );
    }

    // Purge: `PURGE` events past the retention period, removed 1,000 at a time while the default
    // view is read between batches.
    const expiredNext = random(7);
    for (let start = 0; start < PURGE; start += 10_000) {
      const batch: ProvisioningObjectSummary[] = [];
      for (let i = start; i < Math.min(PURGE, start + 10_000); i += 1) {
        const e = event(i, expiredNext);
        batch.push({
          ...e,
          id: `expired-${String(i).padStart(8, '0')}`,
          changeId: `expired-${i}`,
          activityDateTime: new Date(now - 40 * DAY + i).toISOString(),
        });
      }
      await insertEvents(t, batch);
    }
    const defaultUrl = `/api/v1.0/auditLogs/provisioning?$filter=${encodeURIComponent(week)}&$top=50`;
    const purgeQueryTimes: number[] = [];
    const purgeBegan = performance.now();
    let purged = 0;
    for (;;) {
      const removed = await t.db.events.purgeProvisioningEvents(new Date(now - 30 * DAY - DAY), 1_000);
      purged += removed;
      const began = performance.now();
      await get(defaultUrl);
      purgeQueryTimes.push(performance.now() - began);
      if (removed < 1_000) break;
    }
    const purgeSeconds = (performance.now() - purgeBegan) / 1000;
    purgeQueryTimes.sort((a, b) => a - b);
    const purge = {
      events: purged,
      seconds: round(purgeSeconds, 2),
      queryP95Ms: round(percentile(purgeQueryTimes, 95), 2),
    };
    console.log(
      `purge: ${purged.toLocaleString()} events in ${purge.seconds} s; queries meanwhile p95 ${purge.queryP95Ms} ms`,
    );

    console.log(
      JSON.stringify({
        db: DB,
        events: EVENTS,
        bytesPerEvent: Math.round((dbMb * 1e6) / EVENTS),
        filters,
        download250k: {
          events: DOWNLOAD,
          csvSeconds: downloads.csv?.seconds ?? null,
          jsonSeconds: downloads.json?.seconds ?? null,
          peakRssGrowthMb: round(peakRssGrowthMb),
        },
        purge,
        seedSeconds: round(seedSeconds),
        databaseMb: round(dbMb),
        queries: figures,
        page20Ms,
        download: { events: DOWNLOAD, ...downloads },
        loadAverage: round(loadavg()[0]!, 2),
      }),
    );
  } finally {
    await t.close();
  }
}

await main();
