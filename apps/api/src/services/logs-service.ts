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
import { csvZipDownload, jsonDownload, type EventPages } from './log-download';
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

/** A download reads the log a thousand events at a time. */
const DOWNLOAD_PAGE_SIZE = 1000;

/** A file to send: its name, its media type and its content, produced as it is read. */
export interface Download {
  fileName: string;
  contentType: string;
  body: Iterable<string | Uint8Array>;
}

/** Provisioning logs and audit logs: filtering and paging over the events repository. */
export class LogsService {
  constructor(private readonly deps: ServiceDeps) {}

  listProvisioningEvents(query: ProvisioningLogQuery): Page<ProvisioningObjectSummary> {
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
    const page = events.listProvisioningEvents(filter, {
      top: query.$top ?? DEFAULT_LOG_PAGE_SIZE,
      cursor,
      ascending: asc,
    });
    return counted ? { ...page, count: events.countProvisioningEvents(filter) } : page;
  }

  /**
   * Every event matching the filter, as a JSON array or a ZIP of three CSV files. The filter and
   * order are checked before anything is sent; the events are those that existed when the
   * download began, so the three CSV files agree while the worker keeps writing.
   */
  downloadProvisioningEvents(query: ProvisioningLogDownloadQuery): Download {
    const { filter, matchesNothing } = mapFilter(
      query.$filter,
      toProvisioningEventFilter,
      PROVISIONING_FILTER_PROPERTIES,
    );
    const asc = ascending(query.$orderby);
    const events = this.deps.db.events;
    const upToRow = events.latestProvisioningEventRow();
    if (
      !matchesNothing &&
      events.countProvisioningEvents(filter, { upToRow, atMost: MAX_DOWNLOAD_EVENTS }) > MAX_DOWNLOAD_EVENTS
    )
      throw downloadTooLarge();
    const bodies: EventPages<Buffer> = function* () {
      if (matchesNothing) return;
      let cursor: string | undefined;
      do {
        const page = events.listProvisioningEventJson(filter, {
          top: DOWNLOAD_PAGE_SIZE,
          cursor,
          ascending: asc,
          upToRow,
        });
        yield page.items;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    };
    const pages: EventPages = function* () {
      for (const page of bodies())
        yield page.map((body) => JSON.parse(body.toString('utf8')) as ProvisioningObjectSummary);
    };
    const name = query.fileName ?? 'ProvisioningLogs';
    return query.format === 'json'
      ? {
          fileName: `${name}.json`,
          contentType: 'application/json; charset=utf-8',
          body: jsonDownload(bodies),
        }
      : { fileName: `${name}.zip`, contentType: 'application/zip', body: csvZipDownload(pages) };
  }

  getProvisioningEvent(id: string): ProvisioningObjectSummary {
    const event = this.deps.db.events.findProvisioningEvent(id);
    if (!event) {
      throw new AppError(
        'provisioning_event.not_found',
        404,
        `There is no provisioning event '${id}'. Events older than the retention period are removed.`,
      );
    }
    return event;
  }

  listAuditEvents(query: ProvisioningLogQuery): Page<DirectoryAudit> {
    const { filter, matchesNothing } = mapFilter(query.$filter, toAuditEventFilter, AUDIT_FILTER_PROPERTIES);
    if (ascending(query.$orderby)) {
      throw invalidField(
        'querystring/$orderby',
        'querystring/$orderby: audit logs are listed newest first only; use activityDateTime desc or leave it out.',
      );
    }
    const cursor = checkSkipToken(query.$skiptoken);
    if (matchesNothing) return empty();
    return this.deps.db.events.listAuditEvents(filter, { top: query.$top ?? DEFAULT_LOG_PAGE_SIZE, cursor });
  }

  getAuditEvent(id: string): DirectoryAudit {
    const event = this.deps.db.events.findAuditEvent(id);
    if (!event) throw new AppError('audit_event.not_found', 404, `There is no audit event '${id}'.`);
    return event;
  }
}
