import type { Collection, ErrorBody } from '@provisio/contracts';
import { describeRequestProblem } from '../lib/field-messages';

/** A failed API call, carrying the server's `error.code` and `message` (Graph's envelope). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null = null,
    readonly details: ErrorBody['error']['details'] = undefined,
  ) {
    super(message);
  }
}

/** The message to show a person for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Try again.';
}

export const isApiError = (error: unknown, code?: string): error is ApiError =>
  error instanceof ApiError && (code === undefined || error.code === code);

type UnauthenticatedHandler = () => void;
let onUnauthenticated: UnauthenticatedHandler = () => undefined;

/**
 * Lets the app decide what a 401 means (go to sign-in, keeping where the user was).
 * The client itself knows nothing about routing.
 */
export function setUnauthenticatedHandler(handler: UnauthenticatedHandler): void {
  onUnauthenticated = handler;
}

type QueryValue = string | number | boolean | undefined | null;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal | undefined;
}

/** Builds `/api/…?k=v` leaving out empty values; `$`-prefixed Graph parameters stay readable. */
export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const search = params.toString().replace(/%24/g, '$');
  return search ? `${path}?${search}` : path;
}

/**
 * Turns a `@odata.nextLink` into a same-origin path: the server may answer with an
 * absolute URL naming its own host, which is not the host the browser talks to behind a proxy.
 */
export function nextLinkPath(nextLink: string): string {
  const url = new URL(nextLink, window.location.origin);
  return `${url.pathname}${url.search}`;
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
}

async function parseBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // A proxy or a crashed server may answer with HTML; say so instead of failing to parse.
    if (!response.ok) return undefined;
    throw new ApiError(
      response.status,
      'response.invalid',
      'The server answered with something other than JSON.',
    );
  }
}

/**
 * The API's error as the portal shows it. A 400 `request.invalid` names JSON paths
 * (`body/credentials/0/value must be at most 4096 characters long`); its message and details
 * become sentences about the fields the person sees ("The Tenant URL can be at most 4,096
 * characters."), read against the body that was sent.
 */
function toApiError(status: number, payload: ErrorBody, body: unknown): ApiError {
  const { code, message, requestId, details } = payload.error;
  if (code !== 'request.invalid' || !details || details.length === 0) {
    return new ApiError(status, code, message, requestId, details);
  }
  const described = details.map((d) => ({ ...d, message: describeRequestProblem(d, body) }));
  const sentences = [...new Set(described.map((d) => d.message))];
  return new ApiError(status, code, sentences.join(' '), requestId, described);
}

/** Calls the API with the session cookie and JSON; throws `ApiError` on any non-2xx answer. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', query, body, signal } = options;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(buildUrl(path, query), {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? null : JSON.stringify(body),
      signal: signal ?? null,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(
      0,
      'network.unreachable',
      'Provisio could not be reached. Check your connection and try again.',
    );
  }
  const payload = await parseBody(response);
  if (response.ok) return payload as T;

  const error = isErrorBody(payload)
    ? toApiError(response.status, payload, body)
    : new ApiError(
        response.status,
        `http.${response.status}`,
        `The server answered ${response.status} ${response.statusText}.`,
      );
  // Sign-in and "who am I" answer 401 as part of their normal flow; everywhere else a 401
  // means the session ended, so the user is sent to sign in again.
  if (response.status === 401 && !path.startsWith('/api/auth/')) onUnauthenticated();
  throw error;
}

export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal) =>
    apiRequest<T>(path, { query, signal }),
  post: <T = void>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'POST', body: body ?? {} }),
  put: <T = void>(path: string, body: unknown) => apiRequest<T>(path, { method: 'PUT', body }),
  patch: <T = void>(path: string, body: unknown) => apiRequest<T>(path, { method: 'PATCH', body }),
  delete: (path: string) => apiRequest<void>(path, { method: 'DELETE' }),
  /** Follows a `@odata.nextLink`, or fetches the first page when there is none yet. */
  page: <T>(
    firstPage: string,
    query: Record<string, QueryValue>,
    nextLink: string | null,
    signal?: AbortSignal,
  ) =>
    nextLink
      ? apiRequest<Collection<T>>(nextLinkPath(nextLink), { signal })
      : apiRequest<Collection<T>>(firstPage, { query, signal }),
};

/** Graph's base path for the resources that Graph defines. */
export const GRAPH = '/api/v1.0';

/** Escapes a text for a single-quoted OData literal (`'` doubles). */
export const odataString = (value: string): string => `'${value.replace(/'/g, "''")}'`;
