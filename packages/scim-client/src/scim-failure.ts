import { TARGET_REFUSED_CODE } from './target-policy.js';

/**
 * How a failed SCIM request failed. The client only classifies; whether to retry, escrow, fail the
 * item or stop the cycle is the engine's decision.
 * - transient: network errors, timeouts, dropped connections, 429, 500, 502, 503, 504 (and other 5xx but 501)
 * - notFound: 404
 * - conflict: 409, 412
 * - unauthorized: 401, 403
 * - rejected: other 4xx, 501, redirects, and requests that cannot be sent at all
 * - incompatible: a success status whose body is not the SCIM JSON the operation needs
 * - refused: Provisio itself refused the connection: the Tenant URL policy does not allow the
 *   target's scheme or address (PROVISIO_TARGET_ALLOW); nothing was sent
 */
export type ScimFailureKind =
  'transient' | 'notFound' | 'conflict' | 'unauthorized' | 'rejected' | 'incompatible' | 'refused';

/**
 * Stable codes in the provisioning logs' vocabulary. The `WebException…` network codes follow the
 * naming of `WebExceptionProtocolError`.
 */
export type ScimFailureCode =
  | 'Timeout'
  | 'WebExceptionConnectFailure'
  | 'WebExceptionConnectionClosed'
  | 'WebExceptionProtocolError'
  | 'TooManyRequests'
  | 'InternalServerError'
  | 'BadRequest'
  | 'Unauthorized'
  | 'InsufficientRights'
  | 'InvalidAnchor'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'EntryConflict'
  | 'Conflict'
  | 'UnprocessableEntity'
  | 'NotImplemented'
  | 'SystemForCrossDomainIdentityManagementServiceIncompatible'
  | 'SystemForCrossDomainIdentityManagementMultipleEntriesInResponse'
  | 'TargetAddressRefused';

export interface ScimFailureInit {
  kind: ScimFailureKind;
  code: ScimFailureCode;
  message: string;
  method: string;
  url: string;
  status?: number;
  retryAfterMs?: number;
  scimType?: string;
  detail?: string;
  cause?: unknown;
}

/** A SCIM request that did not succeed. Never carries the Secret Token. */
export class ScimFailure extends Error {
  override readonly name = 'ScimFailure';
  readonly kind: ScimFailureKind;
  readonly code: ScimFailureCode;
  readonly status?: number;
  /** From Retry-After (seconds or an HTTP date), when the target sent one. */
  readonly retryAfterMs?: number;
  readonly scimType?: string;
  /** The target's own explanation (SCIM error `detail`, or a short text body). */
  readonly detail?: string;
  readonly method: string;
  readonly url: string;

  constructor(init: ScimFailureInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.code = init.code;
    this.method = init.method;
    this.url = init.url;
    if (init.status !== undefined) this.status = init.status;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.scimType !== undefined) this.scimType = init.scimType;
    if (init.detail !== undefined) this.detail = init.detail;
  }

  /** Error's own fields are not enumerable; logs want all of them. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      code: this.code,
      message: this.message,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      scimType: this.scimType,
      detail: this.detail,
      method: this.method,
      url: this.url,
    };
  }
}

/** What the classifier needs to know about the request that failed. */
export interface FailureContext {
  method: string;
  url: string;
  /** The single object the request addresses ("user 42"); a 404 on it means the object is gone. */
  object?: string;
  timeoutMs: number;
  /** Removes the Secret Token from any text taken from the response or an error. */
  redact: (text: string) => string;
}

/**
 * Milliseconds to wait from a Retry-After header: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  // An HTTP date always names a month; Date.parse would otherwise read "-5" as a year.
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

const MAX_DETAIL = 1000;

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

/** The explanation a target gave, from a SCIM Error or the other shapes seen in the wild. */
export function extractDetail(json: unknown, text: string): { detail?: string; scimType?: string } {
  const body = asRecord(json);
  if (body) {
    const error = asRecord(body.error);
    const candidates = [
      body.detail,
      body.message,
      error?.message,
      body.error,
      body.error_description,
      body.title,
    ];
    const detail = candidates.find((c): c is string => typeof c === 'string' && c.trim() !== '');
    const scimType = typeof body.scimType === 'string' && body.scimType !== '' ? body.scimType : undefined;
    return {
      ...(detail === undefined ? {} : { detail: clip(detail, MAX_DETAIL) }),
      ...(scimType === undefined ? {} : { scimType }),
    };
  }
  const trimmed = text.trim();
  if (trimmed === '') return {};
  if (trimmed.startsWith('<')) {
    // An HTML error page: its title is the only part worth showing.
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
    return title ? { detail: clip(title, 200) } : {};
  }
  return { detail: clip(trimmed, 500) };
}

const said = (detail: string | undefined) =>
  detail === undefined ? '' : ` The application said: "${detail}"${/[.!?]$/.test(detail) ? '' : '.'}`;
const request = (ctx: FailureContext) => `${ctx.method} ${ctx.url}`;
const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

interface ResponseInfo {
  status: number;
  headers: { get(name: string): string | null };
  json: unknown;
  text: string;
  nowMs: number;
}

/** Classifies a non-2xx HTTP answer. */
export function failureFromResponse(ctx: FailureContext, response: ResponseInfo): ScimFailure {
  const { status } = response;
  const extracted = extractDetail(response.json, response.text);
  const detail = extracted.detail === undefined ? undefined : ctx.redact(extracted.detail);
  const scimType = extracted.scimType;
  const base = {
    method: ctx.method,
    url: ctx.url,
    status,
    ...(detail === undefined ? {} : { detail }),
    ...(scimType === undefined ? {} : { scimType }),
  };
  const make = (
    kind: ScimFailureKind,
    code: ScimFailureCode,
    message: string,
    extra: Partial<ScimFailureInit> = {},
  ) => new ScimFailure({ ...base, ...extra, kind, code, message });

  if (status >= 300 && status < 400) {
    const location = response.headers.get('location');
    return make(
      'rejected',
      'WebExceptionProtocolError',
      `The target application redirected ${request(ctx)} (HTTP ${status}${location ? ` to ${ctx.redact(location)}` : ''}). ` +
        'Provisio does not follow redirects, so that the Secret Token is only sent to the Tenant URL; enter the final address as the Tenant URL.',
    );
  }
  switch (status) {
    case 400:
      return make(
        'rejected',
        'BadRequest',
        `The target application rejected ${request(ctx)} as invalid (HTTP 400${scimType ? `, scimType ${scimType}` : ''}).${said(detail)} ` +
          'Check the attribute mappings for values or attributes the application does not accept.',
      );
    case 401:
      return make(
        'unauthorized',
        'Unauthorized',
        'The target application rejected the Secret Token (HTTP 401). Check the Secret Token under Admin Credentials and Test Connection again.',
      );
    case 403:
      return make(
        'unauthorized',
        'InsufficientRights',
        `The target application accepted the Secret Token but refused ${request(ctx)} (HTTP 403).${said(detail)} ` +
          'Give the account behind the token the right to manage users and groups in the application, then Test Connection again.',
      );
    case 404:
      return ctx.object
        ? make(
            'notFound',
            'InvalidAnchor',
            `The ${ctx.object} no longer exists in the target application (HTTP 404 on ${ctx.method}).${said(detail)} ` +
              'It was probably deleted there; restarting provisioning matches it again.',
          )
        : make(
            'notFound',
            'NotFound',
            `The target application answered HTTP 404 for ${request(ctx)}.${said(detail)} ` +
              'Check that the Tenant URL is the SCIM base address of the application (the address that /Users is appended to).',
          );
    case 405:
      return make(
        'rejected',
        'MethodNotAllowed',
        `The target application does not allow ${request(ctx)} (HTTP 405).${said(detail)} It may not support this operation over SCIM.`,
      );
    case 409:
      return make(
        'conflict',
        'EntryConflict',
        `The target application reports a conflict for ${request(ctx)} (HTTP 409${scimType ? `, scimType ${scimType}` : ''}).${said(detail)} ` +
          (ctx.method === 'POST'
            ? 'An object with the same unique value (for example userName) probably exists already; adjust the matching attributes so it is matched instead of created.'
            : 'Another object in the application probably has one of the new unique values (for example userName) already.'),
      );
    case 412:
      return make(
        'conflict',
        'Conflict',
        `The target application refused ${request(ctx)} because the object changed in the meantime (HTTP 412).${said(detail)}`,
      );
    case 422:
      return make(
        'rejected',
        'UnprocessableEntity',
        `The target application could not process ${request(ctx)} (HTTP 422).${said(detail)} Check the attribute mappings.`,
      );
    case 429: {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), response.nowMs);
      return make(
        'transient',
        'TooManyRequests',
        `The target application is throttling requests (HTTP 429)${retryAfterMs === undefined ? '' : `; it asks to retry after ${seconds(retryAfterMs)}`}.`,
        retryAfterMs === undefined ? {} : { retryAfterMs },
      );
    }
    case 500:
      return make(
        'transient',
        'InternalServerError',
        `The target application failed with an internal error on ${request(ctx)} (HTTP 500).${said(detail)}`,
        retryAfter(response),
      );
    case 501:
      return make(
        'rejected',
        'NotImplemented',
        `The target application does not implement ${request(ctx)} (HTTP 501).${said(detail)} ` +
          (ctx.method === 'PATCH'
            ? 'Provisio needs PATCH support to update users and groups.'
            : 'It may not support this part of SCIM 2.0.'),
      );
    case 502:
    case 503:
      return make(
        'transient',
        'WebExceptionProtocolError',
        `The target application, or a gateway in front of it, is unavailable (HTTP ${status}).${said(detail)}`,
        retryAfter(response),
      );
    case 504:
      return make(
        'transient',
        'Timeout',
        `A gateway in front of the target application timed out waiting for it (HTTP 504).${said(detail)}`,
        retryAfter(response),
      );
  }
  if (status >= 500) {
    return make(
      'transient',
      'WebExceptionProtocolError',
      `The target application failed on ${request(ctx)} (HTTP ${status}).${said(detail)}`,
      retryAfter(response),
    );
  }
  return make(
    'rejected',
    'WebExceptionProtocolError',
    `The target application rejected ${request(ctx)} (HTTP ${status}).${said(detail)}`,
  );
}

function retryAfter(response: ResponseInfo): Partial<ScimFailureInit> {
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), response.nowMs);
  return retryAfterMs === undefined ? {} : { retryAfterMs };
}

/** A success status whose body the operation cannot use. */
export function incompatibleFailure(
  ctx: FailureContext,
  status: number,
  problem: string,
  code: ScimFailureCode = 'SystemForCrossDomainIdentityManagementServiceIncompatible',
): ScimFailure {
  return new ScimFailure({
    kind: 'incompatible',
    code,
    method: ctx.method,
    url: ctx.url,
    status,
    message: `The target application answered ${request(ctx)} with HTTP ${status}, but ${ctx.redact(problem)} Check that the Tenant URL points at the SCIM 2.0 endpoint of the application.`,
  });
}

function errorCode(error: unknown): { code?: string; message?: string } {
  // undici wraps the socket error in `cause`; with several addresses it is an AggregateError.
  const cause = asRecord(asRecord(error)?.cause);
  const first = Array.isArray(cause?.errors) ? asRecord(cause.errors[0]) : undefined;
  const code = [cause?.code, first?.code].find((c): c is string => typeof c === 'string');
  const message = [cause?.message, first?.message].find((m): m is string => typeof m === 'string');
  return { ...(code === undefined ? {} : { code }), ...(message === undefined ? {} : { message }) };
}

const isTimeout = (error: unknown) =>
  asRecord(error)?.name === 'TimeoutError' ||
  ['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT'].includes(
    errorCode(error).code ?? '',
  );

/** Classifies an error thrown by fetch or while reading the body: the request got no usable answer. */
export function failureFromNetworkError(ctx: FailureContext, error: unknown, status?: number): ScimFailure {
  const host = hostOf(ctx.url);
  // Keep the original error for debugging unless its text carries the token (an invalid header value does).
  const raw =
    error instanceof Error
      ? `${error.message} ${String(asRecord(error.cause)?.message ?? '')}`
      : String(error);
  const base = {
    method: ctx.method,
    url: ctx.url,
    // Set when the status line arrived but the body did not.
    ...(status === undefined ? {} : { status }),
    ...(ctx.redact(raw) === raw ? { cause: error } : {}),
  };
  if (isTimeout(error)) {
    return new ScimFailure({
      ...base,
      kind: 'transient',
      code: 'Timeout',
      message: `The target application did not answer ${request(ctx)} within ${seconds(ctx.timeoutMs)}. Check that it is running and reachable from Provisio, or that it is not overloaded.`,
    });
  }
  const { code, message } = errorCode(error);
  if (code === TARGET_REFUSED_CODE) {
    // The message names the address, the rule and the variable that allows it.
    return new ScimFailure({
      ...base,
      kind: 'refused',
      code: 'TargetAddressRefused',
      message: message ?? 'Provisio refused to connect to the Tenant URL.',
    });
  }
  const connect = (text: string) =>
    new ScimFailure({
      ...base,
      kind: 'transient',
      code: 'WebExceptionConnectFailure',
      message: `${text} Check the Tenant URL and that the application is running and reachable from Provisio.`,
    });
  switch (code) {
    case 'ECONNREFUSED':
      return connect(`Could not connect to ${host}: the connection was refused.`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return connect(`The host name ${hostnameOf(ctx.url)} could not be resolved (${code}).`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return connect(`${host} is unreachable from Provisio (${code}).`);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return new ScimFailure({
        ...base,
        kind: 'transient',
        code: 'WebExceptionConnectionClosed',
        message: `The connection to ${host} was closed before a complete answer to ${request(ctx)} arrived.`,
      });
  }
  if (code !== undefined && /^(ERR_SSL|ERR_TLS)|CERT|SELF_SIGNED/.test(code)) {
    return new ScimFailure({
      ...base,
      kind: 'transient',
      code: 'WebExceptionConnectFailure',
      message:
        `The secure connection to ${host} failed (${code}). Check the application's TLS certificate; ` +
        'a certificate from a private CA must be trusted by Provisio (NODE_EXTRA_CA_CERTS).',
    });
  }
  if (code !== undefined && code.startsWith('HPE_')) {
    return new ScimFailure({
      ...base,
      kind: 'transient',
      code: 'WebExceptionProtocolError',
      message: `The answer from ${host} to ${request(ctx)} is not valid HTTP (${code}).`,
    });
  }
  if (message === 'bad port') {
    // fetch refuses a fixed list of ports (those of other protocols); retrying cannot help.
    return new ScimFailure({
      ...base,
      kind: 'rejected',
      code: 'WebExceptionConnectFailure',
      message: `The port of the Tenant URL (${host}) is one HTTP clients refuse to use. Serve the application on another port.`,
    });
  }
  const text = ctx.redact(message ?? (error instanceof Error ? error.message : String(error)));
  return new ScimFailure({
    ...base,
    kind: 'transient',
    code: 'WebExceptionConnectFailure',
    message: `${request(ctx)} failed without an answer from the target application (${code ?? text}).`,
  });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function hostnameOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
