import {
  checkedConnector,
  DEFAULT_TARGET_POLICY,
  type ScimTransport,
  type TargetLookup,
  type TargetPolicy,
  type TransportAnswer,
  type TransportRequest,
} from '@provisio/scim-client';
import { Agent, buildConnector, type Dispatcher } from 'undici';

/** Where the worker may connect and how (tests replace the lookup and the connector). */
export interface HttpTransportOptions {
  /** The Tenant URL policy (PROVISIO_TARGET_ALLOW); loopback only beyond public https by default. */
  policy?: TargetPolicy;
  /** Resolves host names (default `dns.lookup`). */
  lookup?: TargetLookup;
  /** Opens a connection to a checked address (default undici's connector). */
  connect?: buildConnector.connector;
}

/** The shape of a failed fetch, which the SCIM client classifies: a TypeError with the socket error as cause. */
const asFetchError = (error: unknown): TypeError => new TypeError('fetch failed', { cause: error });

/**
 * Response headers read from undici's raw list only when asked: the SCIM client looks at a header
 * or two of a failed answer (Retry-After), and at none of the thousands of successful ones.
 */
function rawHeaderReader(raw: readonly RawHeader[]) {
  return {
    get(name: string): string | null {
      const wanted = name.toLowerCase();
      const values: string[] = [];
      for (let i = 0; i + 1 < raw.length; i += 2) {
        if (headerText(raw[i]!).toLowerCase() === wanted) values.push(headerText(raw[i + 1]!));
      }
      return values.length === 0 ? null : values.join(', ');
    },
  };
}

type RawHeader = Buffer | string | readonly (Buffer | string)[];

// As undici's own parsing reads them: latin1, a repeated value joined.
const headerText = (value: RawHeader): string =>
  typeof value === 'string'
    ? value
    : Array.isArray(value)
      ? value.map((v) => headerText(v as Buffer | string)).join(', ')
      : (value as Buffer).toString('latin1');

/** A path and query that `new URL` would keep as they are: no character it escapes, no dot segment. */
const PLAIN_PATH = /^\/[A-Za-z0-9\-._~%!$&()*+,;=:@/?]*$/;
const DOT_SEGMENT = /\/(?:\.|%2e)/i;
/** Characters that would end the authority before the first slash, or stand for one. */
const NOT_AUTHORITY = /[?#\\]/;

/**
 * Splits an absolute URL into the origin undici pools connections by and the request's path. A
 * cycle sends thousands of requests to one base URL: the origin of each part before the path is
 * parsed once, and a plain path is taken as it is; anything else goes through `new URL`.
 */
export function originSplitter(): (url: string) => { origin: string; path: string } {
  const origins = new Map<string, string>();
  return (url) => {
    const hostStart = url.indexOf('://');
    const pathStart = hostStart < 0 ? -1 : url.indexOf('/', hostStart + 3);
    if (pathStart > 0) {
      const path = url.slice(pathStart);
      const prefix = url.slice(0, pathStart);
      if (PLAIN_PATH.test(path) && !DOT_SEGMENT.test(path) && !NOT_AUTHORITY.test(prefix)) {
        let origin = origins.get(prefix);
        if (origin === undefined) {
          origin = new URL(prefix).origin;
          if (origins.size < 16) origins.set(prefix, origin);
        }
        return { origin, path };
      }
    }
    const parsed = new URL(url);
    return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
  };
}

/**
 * One request through undici's dispatcher with a plain handler: the body's chunks are collected
 * as they arrive, with no response stream, promise wrapper or header object per request.
 */
function dispatchRequest(
  agent: Dispatcher,
  split: (url: string) => { origin: string; path: string },
  req: TransportRequest,
): Promise<TransportAnswer> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let headers: readonly RawHeader[] = [];
    let started = false;
    let settled = false;
    let abort: ((reason?: Error) => void) | null = null;
    const chunks: Buffer[] = [];
    let size = 0;
    const answer = (read: Pick<TransportAnswer, 'text' | 'tooLarge' | 'bodyError'>) => {
      if (settled) return;
      settled = true;
      resolve({ status, headers: rawHeaderReader(headers), ...read });
    };
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      reject(asFetchError(error));
    };
    let target: { origin: string; path: string };
    try {
      target = split(req.url);
    } catch (error) {
      fail(error);
      return;
    }
    const handler: Dispatcher.DispatchHandler = {
      onConnect(abortRequest) {
        abort = abortRequest;
      },
      onHeaders(statusCode, rawHeaders) {
        // 1xx answers are not the answer.
        if (statusCode < 200) return true;
        status = statusCode;
        headers = rawHeaders as readonly RawHeader[];
        started = true;
        return true;
      },
      onData(chunk) {
        if (settled) return true;
        const ok = status >= 200 && status < 300;
        const limit = ok ? req.maxSuccessBytes : req.maxErrorBytes;
        if (size + chunk.length > limit) {
          if (!ok) chunks.push(chunk.subarray(0, limit - size));
          answer(ok ? { text: '', tooLarge: true } : { text: Buffer.concat(chunks).toString('utf8') });
          // The rest is not wanted; the connection goes with it.
          abort?.(new Error('The response body is larger than the limit.'));
          return true;
        }
        chunks.push(chunk);
        size += chunk.length;
        return true;
      },
      onComplete() {
        answer({
          text: chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'),
        });
      },
      onError(error) {
        // After the status arrived, a failure only loses the body; before it, the request failed.
        if (started) answer({ text: '', bodyError: asFetchError(error) });
        else fail(error);
      },
    };
    agent.dispatch(
      {
        origin: target.origin,
        path: target.path,
        method: req.method as Dispatcher.HttpMethod,
        headers: req.headers,
        ...(req.body === undefined ? {} : { body: req.body }),
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
      },
      handler,
    );
  });
}

/**
 * The worker's HTTP transport for SCIM requests: undici's dispatcher over one keep-alive agent per
 * process, driven by a plain handler. It costs a fraction of the CPU of the global fetch per
 * request (no WHATWG Request/Response/stream objects, no AbortSignal per request), and less than
 * undici's `request` (no response stream), which matters at thousands of requests per second.
 * Redirects are not followed; timeouts are per phase (headers, then body).
 * Every new connection is checked against the Tenant URL policy first: the scheme and host, then
 * each address the host resolves to, right before connecting to one of them, so a saved name that
 * DNS now points at a private or metadata address is refused (a `TargetRefusedError`, which the SCIM
 * client reports as a `refused` failure) and nothing is sent.
 */
export function createHttpTransport(
  options: HttpTransportOptions = {},
): ScimTransport & { close(): Promise<void> } {
  const connect = checkedConnector(
    options.policy ?? DEFAULT_TARGET_POLICY,
    options.connect ?? buildConnector({}),
    options.lookup,
  );
  const agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000, connect });
  const split = originSplitter();
  return {
    send: (req) => dispatchRequest(agent, split, req),
    close: () => agent.close(),
  };
}
