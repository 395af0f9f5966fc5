import {
  DOWNLOAD_TOO_LARGE_MESSAGE,
  MAX_DOWNLOAD_EVENTS,
  type DirectoryAudit,
  type ProvisioningLogDownloadQuery,
  type ProvisioningLogQuery,
  type ProvisioningObjectSummary,
} from '@provisio/contracts';
import type { Page } from '@provisio/db';
import { AppError, invalidField } from '../errors';
import {
  AUDIT_FILTER_PROPERTIES,
  PROVISIONING_FILTER_PROPERTIES,
  toAuditEventFilter,
  toProvisioningEventFilter,
  type MappedFilter,
} from '../filters/log-filters';
import { FilterError } from '../filters/odata-filter';
import type { ServiceDeps } from './context';
import { auditCsvDownload, csvZipDownload, jsonDownload, type EventPages } from './log-download';
import { checkSkipToken } from './paging';

/** Log pages are 50 events unless `$top` says otherwise (at most 1000). */
export const DEFAULT_LOG_PAGE_SIZE = 50;

function mapFilter<T>(
  text: string | undefined,
  map: (t: string | undefined) => MappedFilter<T>,
  supported: string,
): MappedFilter<T> {
  try {
    return map(text);
  } catch (error) {
    if (!(error instanceof FilterError)) throw error;
    const message = error.message.includes('Supported properties')
      ? error.message
      : `${error.message} Supported properties: ${supported}.`;
    throw new AppError('filter.invalid', 400, `$filter: ${message}`, [
      { code: 'filter.invalid', message, target: 'querystring/$filter' },
    ]);
  }
}

/** `$orderby=activityDateTime asc|desc`; newest first when absent. */
function ascending(orderby: string | undefined): boolean {
  if (orderby === undefined || orderby.trim() === '') return false;
  const match = /^\s*activityDateTime(?:\s+(asc|desc))?\s*$/i.exec(orderby);
  if (!match) {
    throw invalidField(
      'querystring/$orderby',
      `querystring/$orderby: logs can be ordered by activityDateTime only, e.g. $orderby=activityDateTime desc (found '${orderby}').`,
    );
  }
  return match[1]?.toLowerCase() === 'asc';
}

const empty = <T>(): Page<T> => ({ items: [], nextCursor: null });

/** The refusal of a download over the limit, with what to do instead. */
const downloadTooLarge = () =>
  new AppError('download.tooLarge', 400, DOWNLOAD_TOO_LARGE_MESSAGE, [
    { code: 'download.tooLarge', message: DOWNLOAD_TOO_LARGE_MESSAGE, target: 'querystring/$filter' },
  ]);

/** Refuses a download of more events than one holds, before anything is sent. */
function checkDownloadSize(count: number): void {
  if (count > MAX_DOWNLOAD_EVENTS) throw downloadTooLarge();
}

/** Audit logs are listed newest first only. */
function newestFirstOnly(orderby: string | undefined): void {
  if (ascending(orderby)) {
    throw invalidField(
      'querystring/$orderby',
      'querystring/$orderby: audit logs are listed newest first only; use activityDateTime desc or leave it out.',
    );
  }
}

/** One pass over a listing, page by page, following its cursor (none when the filter matches nothing). */
function pagesOf<T>(
  matchesNothing: boolean,
  list: (cursor: string | undefined) => Promise<Page<T>>,
): EventPages<T> {
  return async function* () {
    if (matchesNothing) return;
    let cursor: string | undefined;
    do {
      const page = await list(cursor);
      yield page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  };
}

const JSON_FILE = 'application/json; charset=utf-8';

/** A download reads the log a thousand events at a time. */
const DOWNLOAD_PAGE_SIZE = 1000;

/** A file to send: its name, its media type and its content, produced as it is read. */
export interface Download {
  fileName: string;
  contentType: string;
  body: AsyncIterable<string | Uint8Array>;
}

/** Provisioning logs and audit logs: filtering and paging over the events repository. */
export class LogsService {
  constructor(private readonly deps: ServiceDeps) {}

  async listProvisioningEvents(query: ProvisioningLogQuery): Promise<Page<ProvisioningObjectSummary>> {
    const { filter, matchesNothing } = mapFilter(
      query.$filter,
      toProvisioningEventFilter,
      PROVISIONING_FILTER_PROPERTIES,
    );
    const asc = ascending(query.$orderby);
    const cursor = checkSkipToken(query.$skiptoken);
    const counted = query.$count === true;
    if (matchesNothing) return counted ? { ...empty(), count: 0 } : empty();
    const events = this.deps.db.events;
    const page = await events.listProvisioningEvents(filter, {
      top: query.$top ?? DEFAULT_LOG_PAGE_SIZE,
      cursor,
      ascending: asc,
    });
    return counted ? { ...page, count: await events.countProvisioningEvents(filter) } : page;
  }

  /**
   * Every event matching the filter, as a JSON array or a ZIP of three CSV files. The filter and
   * order are checked before anything is sent; the events are those that existed when the
   * download began, so the three CSV files agree while the worker keeps writing.
   */
  async downloadProvisioningEvents(query: ProvisioningLogDownloadQuery): Promise<Download> {
    const { filter, matchesNothing } = mapFilter(
      query.$filter,
      toProvisioningEventFilter,
      PROVISIONING_FILTER_PROPERTIES,
    );
    const asc = ascending(query.$orderby);
    const events = this.deps.db.events;
    const upToRow = await events.latestProvisioningEventRow();
    if (!matchesNothing)
      checkDownloadSize(
        await events.countProvisioningEvents(filter, { upToRow, atMost: MAX_DOWNLOAD_EVENTS }),
      );
    const bodies = pagesOf(matchesNothing, (cursor) =>
      events.listProvisioningEventJson(filter, { top: DOWNLOAD_PAGE_SIZE, cursor, ascending: asc, upToRow }),
    );
    const pages: EventPages = async function* () {
      for await (const page of bodies())
        yield page.map((body) => JSON.parse(body.toString('utf8')) as ProvisioningObjectSummary);
    };
    const name = query.fileName ?? 'ProvisioningLogs';
    return query.format === 'json'
      ? { fileName: `${name}.json`, contentType: JSON_FILE, body: jsonDownload(bodies) }
      : { fileName: `${name}.zip`, contentType: 'application/zip', body: csvZipDownload(pages) };
  }

  /** Every audit event matching the filter, newest first, as a JSON array or one CSV file. */
  async downloadAuditEvents(query: ProvisioningLogDownloadQuery): Promise<Download> {
    const { filter, matchesNothing } = mapFilter(query.$filter, toAuditEventFilter, AUDIT_FILTER_PROPERTIES);
    newestFirstOnly(query.$orderby);
    const events = this.deps.db.events;
    const upToRow = await events.latestAuditEventRow();
    if (!matchesNothing)
      checkDownloadSize(await events.countAuditEvents(filter, { upToRow, atMost: MAX_DOWNLOAD_EVENTS }));
    const bodies = pagesOf(matchesNothing, (cursor) =>
      events.listAuditEventJson(filter, { top: DOWNLOAD_PAGE_SIZE, cursor, upToRow }),
    );
    const name = query.fileName ?? 'AuditLogs';
    if (query.format === 'json')
      return { fileName: `${name}.json`, contentType: JSON_FILE, body: jsonDownload(bodies) };
    const pages: EventPages<DirectoryAudit> = async function* () {
      for await (const page of bodies())
        yield page.map((body) => JSON.parse(body.toString('utf8')) as DirectoryAudit);
    };
    return { fileName: `${name}.csv`, contentType: 'text/csv; charset=utf-8', body: auditCsvDownload(pages) };
  }

  async getProvisioningEvent(id: string): Promise<ProvisioningObjectSummary> {
    const event = await this.deps.db.events.findProvisioningEvent(id);
    if (!event) {
      throw new AppError(
        'provisioning_event.not_found',
        404,
        `There is no provisioning event '${id}'. Events older than the retention period are removed.`,
      );
    }
    return event;
  }

  async listAuditEvents(query: ProvisioningLogQuery): Promise<Page<DirectoryAudit>> {
    const { filter, matchesNothing } = mapFilter(query.$filter, toAuditEventFilter, AUDIT_FILTER_PROPERTIES);
    newestFirstOnly(query.$orderby);
    const cursor = checkSkipToken(query.$skiptoken);
    const counted = query.$count === true;
    if (matchesNothing) return counted ? { ...empty(), count: 0 } : empty();
    const events = this.deps.db.events;
    const page = await events.listAuditEvents(filter, { top: query.$top ?? DEFAULT_LOG_PAGE_SIZE, cursor });
    return counted ? { ...page, count: await events.countAuditEvents(filter) } : page;
  }

  async getAuditEvent(id: string): Promise<DirectoryAudit> {
    const event = await this.deps.db.events.findAuditEvent(id);
    if (!event) throw new AppError('audit_event.not_found', 404, `There is no audit event '${id}'.`);
    return event;
  }
}
