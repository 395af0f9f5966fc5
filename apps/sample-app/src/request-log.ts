// Every SCIM request, kept in the app's database so a person (or a test) can see exactly what a client
// sent. Entries are buffered and written in one transaction per flush, so logging costs a few
// microseconds per request instead of a write each.

import type { RequestLogRow, RequestLogWrite, Store } from './store';

export interface RequestLogOptions {
  /** Default true; `SAMPLE_APP_REQUEST_LOG=off` turns it off for benchmarks. */
  enabled?: boolean;
  /** Rows kept; older ones are deleted as new ones arrive. Default 10,000. */
  maxRows?: number;
  /** How long entries may wait in memory before being written. Default 200 ms. */
  flushIntervalMs?: number;
}

export interface RequestLogEntry {
  id: number;
  time: string;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  /** The parsed JSON body, the raw text when it was not JSON or was cut, or null when none was read. */
  body: unknown;
  /** 0 when the connection was dropped on purpose. */
  status: number;
  durationMs: number;
}

export interface RequestLogInput {
  time: string;
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string | undefined;
  status: number;
  durationMs: number;
}

const MAX_BODY_CHARS = 64 * 1024;
const BATCH = 500;

export class RequestLog {
  readonly enabled: boolean;
  readonly maxRows: number;
  private buffer: RequestLogWrite[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly flushIntervalMs: number;

  constructor(
    private readonly store: Store,
    private readonly token: string,
    options: RequestLogOptions = {},
  ) {
    this.enabled = options.enabled ?? true;
    this.maxRows = Math.max(1, options.maxRows ?? 10_000);
    this.flushIntervalMs = options.flushIntervalMs ?? 200;
  }

  private redact(text: string): string {
    return this.token && text.includes(this.token) ? text.split(this.token).join('[redacted]') : text;
  }

  record(input: RequestLogInput): void {
    if (!this.enabled) return;
    const q = input.url.indexOf('?');
    const path = q < 0 ? input.url : input.url.slice(0, q);
    const query = q < 0 ? '' : input.url.slice(q + 1);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(input.headers)) {
      if (v === undefined) continue;
      const text = Array.isArray(v) ? v.join(', ') : v;
      // Whatever credential was sent (right or wrong) is never kept; the scheme is enough to debug with.
      headers[k] = k === 'authorization' ? `${text.split(' ')[0] ?? ''} [redacted]` : this.redact(text);
    }
    let body: string | null = null;
    if (input.rawBody !== undefined && input.rawBody !== '') {
      body = this.redact(
        input.rawBody.length > MAX_BODY_CHARS
          ? input.rawBody.slice(0, MAX_BODY_CHARS) + '…[truncated]'
          : input.rawBody,
      );
    }
    this.buffer.push({
      time: input.time,
      method: input.method,
      path: this.redact(path),
      query: this.redact(query),
      headers: JSON.stringify(headers),
      body,
      status: input.status,
      duration_ms: Math.round(input.durationMs * 100) / 100,
    });
    if (this.buffer.length >= BATCH) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.flushIntervalMs);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.buffer.length === 0) return;
    const rows = this.buffer;
    this.buffer = [];
    this.store.appendRequests(rows, this.maxRows);
  }

  /** Newest first. */
  list(limit: number, offset: number): { total: number; requests: RequestLogEntry[] } {
    this.flush();
    const { total, rows } = this.store.listRequests(limit, offset);
    return { total, requests: rows.map(toEntry) };
  }

  clear(): void {
    this.buffer = [];
    this.store.clearRequests();
  }

  close(): void {
    this.flush();
  }
}

function toEntry(r: RequestLogRow): RequestLogEntry {
  let body: unknown = r.body;
  if (r.body !== null) {
    try {
      body = JSON.parse(r.body);
    } catch {
      body = r.body;
    }
  }
  let headers: Record<string, string>;
  try {
    headers = JSON.parse(r.headers) as Record<string, string>;
  } catch {
    headers = {};
  }
  return {
    id: r.id,
    time: r.time,
    method: r.method,
    path: r.path,
    query: r.query,
    headers,
    body,
    status: r.status,
    durationMs: r.duration_ms,
  };
}
