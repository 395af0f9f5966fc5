import type {
  DirectoryAudit,
  ProvisioningAction,
  ProvisioningObjectSummary,
  ProvisioningResult,
} from '@provisio/contracts';
import { packEventBody, unpackEventBody, unpackEventJson } from './event-body';
import { dialectOf, type SqlDialect } from './dialect';
import type { SqlRunner } from './sql-runner';
import { decodeCursor, encodeCursor, valueRows, type Page } from './util';

type TimeOp = 'gt' | 'ge' | 'lt' | 'le' | 'eq';

/** What the provisioning log can be narrowed by; every part is ANDed. */
export interface ProvisioningEventFilter {
  ids?: string[];
  statuses?: ProvisioningResult[];
  actions?: ProvisioningAction[];
  time?: { op: TimeOp; value: string }[];
  servicePrincipalId?: string;
  jobId?: string;
  cycleId?: string;
  changeId?: string;
  sourceId?: string;
  /** The object's id in the application (the log's Target ID). */
  targetId?: string;
  /** The application's name as events name the target system. */
  targetSystemName?: string;
  /** Case-insensitive text in the source or target display name or id. */
  identityContains?: string;
}

export interface ProvisioningEventListOptions {
  top: number;
  cursor?: string | undefined;
  /** Oldest first; newest first when false or absent. */
  ascending?: boolean;
  /** Only events up to this row (see `latestProvisioningEventRow`). */
  upToRow?: number;
}

/**
 * A provisioning event as its row is written: the columns the log is searched by, and the event's
 * stored body (its JSON compressed, see event-body.ts). The body is compressed when the row is made,
 * not when it is written: a cycle's objects wait for their group commit holding their rows, and a
 * kilobyte of bytes outside the JavaScript heap costs its collector nothing, where the 4 KB of JSON
 * text were copied at each young-generation collection until the commit.
 */
export interface ProvisioningEventRow {
  id: string;
  activityDateTime: string;
  jobId: string;
  cycleId: string;
  changeId: string;
  servicePrincipalId: string;
  action: string;
  status: string;
  sourceId: string;
  sourceDisplayName: string;
  targetId: string;
  targetDisplayName: string;
  body: Buffer;
}

/** The row of an event, its body compressed. */
export function provisioningEventRow(e: ProvisioningObjectSummary): ProvisioningEventRow {
  return {
    id: e.id,
    activityDateTime: e.activityDateTime,
    jobId: e.jobId,
    cycleId: e.cycleId,
    changeId: e.changeId,
    servicePrincipalId: e.servicePrincipal.id,
    action: e.provisioningAction,
    status: e.provisioningStatusInfo.status,
    sourceId: e.sourceIdentity.id,
    sourceDisplayName: e.sourceIdentity.displayName,
    targetId: e.targetIdentity.id,
    targetDisplayName: e.targetIdentity.displayName,
    body: packEventBody(JSON.stringify(e)),
  };
}

const timeSql: Record<TimeOp, string> = { gt: '>', ge: '>=', lt: '<', le: '<=', eq: '=' };

function inList(column: string, values: readonly string[], params: unknown[]): string {
  params.push(...values);
  return `${column} IN (${values.map(() => '?').join(',')})`;
}

const whereClause = (where: readonly string[]) => (where.length ? `WHERE ${where.join(' AND ')}` : '');

/** What the audit log can be narrowed by; every part is ANDed. */
export interface AuditEventFilter {
  targetId?: string;
  targetName?: string;
  activity?: string;
  category?: string;
  initiatedBy?: string;
  service?: string;
  result?: 'success' | 'failure';
  time?: { op: TimeOp; value: string }[];
}

/** Counts a table's rows matching `where`; with `atMost`, stops past that many (answers at most `atMost + 1`). */
async function countRows(
  runner: SqlRunner,
  table: string,
  where: readonly string[],
  params: readonly unknown[],
  atMost: number | undefined,
): Promise<number> {
  const rows = `SELECT 1 FROM ${table} ${whereClause(where)}`;
  const sql =
    atMost === undefined
      ? `SELECT COUNT(*) AS n FROM (${rows}) AS t`
      : `SELECT COUNT(*) AS n FROM (${rows} LIMIT ?) AS t`;
  const bound = atMost === undefined ? [] : [atMost + 1];
  return (await runner.get<{ n: number }>(sql, [...params, ...bound]))!.n;
}

/** The SQL conditions (ANDed) and their parameters that select a filter's audit events. */
function auditWhere(
  d: SqlDialect,
  filter: AuditEventFilter,
  upToRow: number | undefined,
): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  // An empty target id, activity or category is no condition; the other columns match as given.
  const columns = [
    ['target_id', filter.targetId || undefined],
    ['activity_display_name', filter.activity || undefined],
    ['category', filter.category || undefined],
    ['target_display_name', filter.targetName],
    ['initiated_by', filter.initiatedBy],
    ['logged_by_service', filter.service],
    ['result', filter.result],
  ] as const;
  for (const [column, value] of columns) {
    if (value === undefined) continue;
    where.push(`${column} = ?`);
    params.push(value);
  }
  for (const t of filter.time ?? []) {
    where.push(`activity_date_time ${timeSql[t.op]} ?`);
    params.push(t.value);
  }
  if (upToRow !== undefined) {
    where.push(`${d.insertionOrder} <= ?`);
    params.push(upToRow);
  }
  return { where, params };
}

/**
 * The SQL conditions (ANDed) and their parameters that select a filter's provisioning events
 * (exported for the tests that read the plans PostgreSQL makes of them).
 */
export function provisioningWhere(
  d: SqlDialect,
  filter: ProvisioningEventFilter,
  upToRow: number | undefined,
): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.ids?.length) where.push(inList('id', filter.ids, params));
  if (filter.statuses?.length) where.push(inList('status', filter.statuses, params));
  if (filter.actions?.length) where.push(inList('action', filter.actions, params));
  for (const t of filter.time ?? []) {
    where.push(`activity_date_time ${timeSql[t.op]} ?`);
    params.push(t.value);
  }
  for (const [col, v] of [
    ['service_principal_id', filter.servicePrincipalId],
    ['job_id', filter.jobId],
    ['cycle_id', filter.cycleId],
    ['change_id', filter.changeId],
    ['source_id', filter.sourceId],
    ['target_id', filter.targetId],
  ] as const) {
    if (v !== undefined) {
      where.push(`${col} = ?`);
      params.push(v);
    }
  }
  if (filter.targetSystemName !== undefined) {
    // The target system is the application: its events carry its name as the target system's.
    where.push('service_principal_id IN (SELECT id FROM service_principals WHERE display_name = ?)');
    params.push(filter.targetSystemName);
  }
  if (filter.identityContains) {
    // The columns in the order of PostgreSQL's provisioning_events_identity index (migration postgres/0003).
    const search = d.identitySearch(
      ['source_display_name', 'target_display_name'],
      ['source_id', 'target_id'],
      filter.identityContains,
    );
    where.push(search.sql);
    params.push(...search.params);
  }
  if (upToRow !== undefined) {
    where.push(`${d.insertionOrder} <= ?`);
    params.push(upToRow);
  }
  return { where, params };
}

// Written once per object of a cycle and once per audited change: fixed texts, so that the runner
// prepares each once. Positional parameters: binding 13 named ones costs about twice as much.
const INSERT_EVENTS = (
  rows: number,
) => `INSERT INTO provisioning_events (id, activity_date_time, job_id, cycle_id, change_id,
    service_principal_id, action, status, source_id, source_display_name, target_id, target_display_name, body)
  VALUES ${valueRows(rows, 13)}`;
const INSERT_EVENT = INSERT_EVENTS(1);
const REPLACE_EVENT = `UPDATE provisioning_events SET activity_date_time = ?, job_id = ?, cycle_id = ?, change_id = ?,
    service_principal_id = ?, action = ?, status = ?, source_id = ?, source_display_name = ?, target_id = ?,
    target_display_name = ?, body = ?
  WHERE id = ?`;
/** Source ids per statement of `listLastEventsOfObjects`. */
const LOOKUP_IDS = 500;
/** Events per statement of `insertEventRows`: a few thousand parameters, and bodies of a few KB each. */
const EVENT_ROWS = 100;
const INSERT_AUDIT = `INSERT INTO audit_events (id, activity_date_time, category, activity_display_name, result, target_id,
    initiated_by, logged_by_service, target_display_name, body)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** The parameters of `INSERT_EVENT` for an event's row. */
const eventParams = (r: ProvisioningEventRow): unknown[] => [
  r.id,
  r.activityDateTime,
  r.jobId,
  r.cycleId,
  r.changeId,
  r.servicePrincipalId,
  r.action,
  r.status,
  r.sourceId,
  r.sourceDisplayName,
  r.targetId,
  r.targetDisplayName,
  r.body,
];

/** An object's last provisioning event in a cycle, as `listLastEventsOfObjects` reads it. */
export interface LastEventOfCycle {
  id: string;
  action: string;
  status: string;
  /** A skip's reason (`RedundantExport`, …); null for other events. */
  skipReason: string | null;
}

/** Provisioning events (Graph's provisioningObjectSummary) and audit events. */
export class EventsRepository {
  private readonly d: SqlDialect;
  constructor(private readonly runner: SqlRunner) {
    this.d = dialectOf(runner.dialect);
  }

  /**
   * Writes events in one transaction (callers batch them); a savepoint inside the caller's. Events
   * become rows (their JSON, compressed) one statement's worth at a time: ten thousand held as rows
   * until the last was written outlived the young generation, and the collector's pauses grew for
   * every caller.
   */
  async insertProvisioningEvents(events: readonly ProvisioningObjectSummary[]): Promise<void> {
    await this.runner.transaction((tx) => new EventsRepository(tx).writeEvents(events, provisioningEventRow));
  }

  /** Writes one event; inside the caller's transaction when there is one (the worker's per-object step). */
  async insertProvisioningEvent(e: ProvisioningObjectSummary): Promise<void> {
    await this.insertEventRow(provisioningEventRow(e));
  }

  /** Writes one event from its row (see `provisioningEventRow`). */
  async insertEventRow(r: ProvisioningEventRow): Promise<void> {
    await this.runner.run(INSERT_EVENT, eventParams(r));
  }

  /** Writes many events, in their order, as `insertEventRow` would: one statement per `EVENT_ROWS`. */
  insertEventRows(rows: readonly ProvisioningEventRow[]): Promise<void> {
    return this.writeEvents(rows, (r) => r);
  }

  /** Writes `items` in their order, one statement per `EVENT_ROWS`, each made a row only for its statement. */
  private async writeEvents<T>(items: readonly T[], toRow: (item: T) => ProvisioningEventRow): Promise<void> {
    for (let from = 0; from < items.length; from += EVENT_ROWS) {
      const chunk = items.slice(from, from + EVENT_ROWS);
      await this.runner.run(
        INSERT_EVENTS(chunk.length),
        chunk.flatMap((item) => eventParams(toRow(item))),
      );
    }
  }

  /**
   * Rewrites an event already written (its row, by id) with another of the same object: a relations
   * phase's event takes the place of its object's skip of the same cycle (see `listLastEventsOfObjects`).
   */
  async replaceEventRow(r: ProvisioningEventRow): Promise<void> {
    const [id, ...rest] = eventParams(r);
    await this.runner.run(REPLACE_EVENT, [...rest, id]);
  }

  /**
   * Each of these source objects' last event in a cycle, if it has one: its id, action and status,
   * and for a skip its reason (the body is read only for skips). A cycle's later phase that exports
   * for an object (its members, its manager) learns from it what the object's own phase did.
   */
  async listLastEventsOfObjects(
    jobId: string,
    cycleId: string,
    sourceIds: readonly string[],
  ): Promise<Map<string, LastEventOfCycle>> {
    const last = new Map<string, LastEventOfCycle>();
    for (let from = 0; from < sourceIds.length; from += LOOKUP_IDS) {
      const chunk = sourceIds.slice(from, from + LOOKUP_IDS);
      const rows = await this.runner.all<{
        id: string;
        source_id: string;
        action: string;
        status: string;
        body: Buffer | string | null;
      }>(
        `SELECT id, source_id, action, status, CASE WHEN status = 'skipped' THEN body END AS body
         FROM provisioning_events
         WHERE cycle_id = ? AND source_id IN (${chunk.map(() => '?').join(',')}) AND job_id = ?
         ORDER BY ${this.d.insertionOrder}`,
        [cycleId, ...chunk, jobId],
      );
      const byObject = new Map<string, (typeof rows)[number]>();
      for (const r of rows) byObject.set(r.source_id, r);
      for (const [sourceId, r] of byObject) {
        const skipReason =
          r.status === 'skipped' && r.body !== null
            ? ((JSON.parse(unpackEventBody(r.body)) as ProvisioningObjectSummary).provisioningStatusInfo
                .errorInformation?.errorCode ?? null)
            : null;
        last.set(sourceId, { id: r.id, action: r.action, status: r.status, skipReason });
      }
    }
    return last;
  }

  /** The source objects a cycle wrote events for (its visits that did something), each once. */
  async listSourceIdsOfCycle(cycleId: string): Promise<string[]> {
    return (
      await this.runner.all<{ source_id: string }>(
        'SELECT DISTINCT source_id FROM provisioning_events WHERE cycle_id = ?',
        [cycleId],
      )
    ).map((r) => r.source_id);
  }

  /**
   * The last event a cycle wrote for each source object after `afterSourceId` (all when null), in
   * no particular order: what a resumed cycle finds already settled beyond its checkpoint.
   */
  async listLastEventsOfCycle(
    cycleId: string,
    afterSourceId: string | null,
  ): Promise<Map<string, ProvisioningObjectSummary>> {
    const rows = await this.runner.all<{ source_id: string; body: Buffer | string }>(
      afterSourceId === null
        ? `SELECT source_id, body FROM provisioning_events WHERE cycle_id = ? ORDER BY ${this.d.insertionOrder}`
        : `SELECT source_id, body FROM provisioning_events WHERE cycle_id = ? AND source_id > ? ORDER BY ${this.d.insertionOrder}`,
      afterSourceId === null ? [cycleId] : [cycleId, afterSourceId],
    );
    // Each object's last body, then only those read.
    const last = new Map<string, Buffer | string>();
    for (const r of rows) last.set(r.source_id, r.body);
    const events = new Map<string, ProvisioningObjectSummary>();
    for (const [sourceId, body] of last)
      events.set(sourceId, JSON.parse(unpackEventBody(body)) as ProvisioningObjectSummary);
    return events;
  }

  /**
   * The newest provisioning event's row number (0 when there is none). Passed back as `upToRow`, it
   * pins a listing to the events that existed at that moment, so that several passes over the same
   * filter (a download's three CSV files) see the same events while the worker keeps writing.
   */
  async latestProvisioningEventRow(): Promise<number> {
    const r = await this.runner.get<{ row: number | null }>(
      `SELECT MAX(${this.d.insertionOrder}) AS row FROM provisioning_events`,
    );
    return r?.row ?? 0;
  }

  /**
   * Deletes up to `limit` provisioning events older than `before`, oldest first; returns how many.
   * Small batches keep each write short, so a purge never holds up a cycle's group commits for long.
   */
  async purgeProvisioningEvents(before: Date, limit: number): Promise<number> {
    return (
      await this.runner.run(
        `DELETE FROM provisioning_events WHERE id IN (
           SELECT id FROM provisioning_events WHERE activity_date_time < ? ORDER BY activity_date_time LIMIT ?)`,
        [before.toISOString(), limit],
      )
    ).changes;
  }

  /** Deletes up to `limit` audit events older than `before`, oldest first; returns how many. */
  async purgeAuditEvents(before: Date, limit: number): Promise<number> {
    return (
      await this.runner.run(
        `DELETE FROM audit_events WHERE id IN (
           SELECT id FROM audit_events WHERE activity_date_time < ? ORDER BY activity_date_time LIMIT ?)`,
        [before.toISOString(), limit],
      )
    ).changes;
  }

  /** When the oldest event kept was written, for "the logs go back to …"; null when there is none. */
  async oldestEventTimes(): Promise<{ provisioning: string | null; audit: string | null }> {
    const first = async (table: string) =>
      (await this.runner.get<{ t: string | null }>(`SELECT MIN(activity_date_time) AS t FROM ${table}`))?.t ??
      null;
    return { provisioning: await first('provisioning_events'), audit: await first('audit_events') };
  }

  async findProvisioningEvent(id: string): Promise<ProvisioningObjectSummary | null> {
    const r = await this.runner.get<{ body: Buffer | string }>(
      'SELECT body FROM provisioning_events WHERE id = ?',
      [id],
    );
    return r ? (JSON.parse(unpackEventBody(r.body)) as ProvisioningObjectSummary) : null;
  }

  async listProvisioningEvents(
    filter: ProvisioningEventFilter,
    opts: ProvisioningEventListOptions,
  ): Promise<Page<ProvisioningObjectSummary>> {
    const page = await this.listProvisioningEventRows(filter, opts);
    return {
      items: page.items.map((body) => JSON.parse(unpackEventBody(body)) as ProvisioningObjectSummary),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * The same page as `listProvisioningEvents`, each event as the UTF-8 bytes of its JSON (Graph's
   * provisioningObjectSummary), for a download that passes events through without reading them.
   */
  async listProvisioningEventJson(
    filter: ProvisioningEventFilter,
    opts: ProvisioningEventListOptions,
  ): Promise<Page<Buffer>> {
    const page = await this.listProvisioningEventRows(filter, opts);
    return { items: page.items.map(unpackEventJson), nextCursor: page.nextCursor };
  }

  /** A page of events' stored bodies (see event-body.ts), newest or oldest first. */
  private async listProvisioningEventRows(
    filter: ProvisioningEventFilter,
    opts: ProvisioningEventListOptions,
  ): Promise<Page<Buffer | string>> {
    const { where, params } = provisioningWhere(this.d, filter, opts.upToRow);
    const dir = opts.ascending ? 'ASC' : 'DESC';
    const cursor = decodeCursor(opts.cursor);
    if (cursor && cursor.length === 2) {
      where.push(`(activity_date_time, id) ${opts.ascending ? '>' : '<'} (?, ?)`);
      params.push(String(cursor[0]), String(cursor[1]));
    }
    const rows = await this.runner.all<{ id: string; activity_date_time: string; body: Buffer | string }>(
      `SELECT id, activity_date_time, body FROM provisioning_events ${whereClause(where)}
       ORDER BY activity_date_time ${dir}, id ${dir} LIMIT ?`,
      [...params, opts.top + 1],
    );
    const more = rows.length > opts.top;
    const page = rows.slice(0, opts.top);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => r.body),
      nextCursor: more && last ? encodeCursor([last.activity_date_time, last.id]) : null,
    };
  }

  /**
   * How many events match the filter (up to `upToRow`, as a listing pinned there sees them). With
   * `atMost`, counting stops past that many, so that asking "more than N?" of a large log stays
   * cheap: the answer is then at most `atMost + 1`.
   */
  countProvisioningEvents(
    filter: ProvisioningEventFilter,
    opts: { upToRow?: number; atMost?: number } = {},
  ): Promise<number> {
    const { where, params } = provisioningWhere(this.d, filter, opts.upToRow);
    return countRows(this.runner, 'provisioning_events', where, params, opts.atMost);
  }

  // ---- audit events ----

  async insertAuditEvent(e: DirectoryAudit): Promise<void> {
    await this.runner.run(INSERT_AUDIT, [
      e.id,
      e.activityDateTime,
      e.category,
      e.activityDisplayName,
      e.result,
      e.targetResources[0]?.id ?? null,
      e.initiatedBy.user?.displayName ?? e.initiatedBy.app?.displayName ?? null,
      e.loggedByService,
      e.targetResources[0]?.displayName ?? null,
      JSON.stringify(e),
    ]);
  }

  async findAuditEvent(id: string): Promise<DirectoryAudit | null> {
    const r = await this.runner.get<{ body: string }>('SELECT body FROM audit_events WHERE id = ?', [id]);
    return r ? (JSON.parse(r.body) as DirectoryAudit) : null;
  }

  /** A page of audit events, newest first. */
  async listAuditEvents(
    filter: AuditEventFilter,
    opts: { top: number; cursor?: string | undefined; upToRow?: number },
  ): Promise<Page<DirectoryAudit>> {
    const page = await this.listAuditEventRows(filter, opts);
    return {
      items: page.items.map((body) => JSON.parse(body) as DirectoryAudit),
      nextCursor: page.nextCursor,
    };
  }

  /** The same page as `listAuditEvents`, each event as the UTF-8 bytes of its JSON, for a download. */
  async listAuditEventJson(
    filter: AuditEventFilter,
    opts: { top: number; cursor?: string | undefined; upToRow?: number },
  ): Promise<Page<Buffer>> {
    const page = await this.listAuditEventRows(filter, opts);
    return { items: page.items.map((body) => Buffer.from(body, 'utf8')), nextCursor: page.nextCursor };
  }

  /** How many audit events match (see `countProvisioningEvents` for `upToRow` and `atMost`). */
  countAuditEvents(
    filter: AuditEventFilter,
    opts: { upToRow?: number; atMost?: number } = {},
  ): Promise<number> {
    const { where, params } = auditWhere(this.d, filter, opts.upToRow);
    return countRows(this.runner, 'audit_events', where, params, opts.atMost);
  }

  /** The newest audit event's row number (0 when there is none); see `latestProvisioningEventRow`. */
  async latestAuditEventRow(): Promise<number> {
    const r = await this.runner.get<{ row: number | null }>(
      `SELECT MAX(${this.d.insertionOrder}) AS row FROM audit_events`,
    );
    return r?.row ?? 0;
  }

  private async listAuditEventRows(
    filter: AuditEventFilter,
    opts: { top: number; cursor?: string | undefined; upToRow?: number },
  ): Promise<Page<string>> {
    const { where, params } = auditWhere(this.d, filter, opts.upToRow);
    const cursor = decodeCursor(opts.cursor);
    if (cursor && cursor.length === 2) {
      where.push('(activity_date_time, id) < (?, ?)');
      params.push(String(cursor[0]), String(cursor[1]));
    }
    const rows = await this.runner.all<{ id: string; activity_date_time: string; body: string }>(
      `SELECT id, activity_date_time, body FROM audit_events ${whereClause(where)}
       ORDER BY activity_date_time DESC, id DESC LIMIT ?`,
      [...params, opts.top + 1],
    );
    const more = rows.length > opts.top;
    const page = rows.slice(0, opts.top);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => r.body),
      nextCursor: more && last ? encodeCursor([last.activity_date_time, last.id]) : null,
    };
  }
}
