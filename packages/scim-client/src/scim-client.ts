import { randomUUID } from 'node:crypto';
import { equalityFilter, queryString } from './filter.js';
import {
  buildAddMembersPatch,
  buildDisablePatch,
  buildReferencePatch,
  buildRemoveMembersPatch,
  buildUpdatePatch,
  type PatchRequest,
} from './patch.js';
import { redactForLog, textRedactor } from './redact.js';
import {
  failureFromNetworkError,
  failureFromResponse,
  incompatibleFailure,
  type ScimFailure,
  type FailureContext,
  type ScimFailureCode,
} from './scim-failure.js';
import { parseTenantUrl } from './tenant-url.js';
import {
  SCHEMA,
  type AttributeChange,
  type ListResponse,
  type ScimClientOptions,
  type ScimDialect,
  type ScimExchange,
  type ScimResource,
  type ScimTransport,
  type TransportAnswer,
  type ProbeAnswer,
} from './types.js';

const DEFAULT_TIMEOUT_MS = 30_000;
const TEST_CONNECTION_TIMEOUT_MS = 10_000;
const DEFAULT_USER_AGENT = 'Provisio-SCIM-Client/0.1';
// A page of users is well under this; anything larger is not a SCIM answer we should hold in memory.
const MAX_SUCCESS_BODY_BYTES = 32 * 1024 * 1024;
// Error bodies only feed the failure detail.
const MAX_ERROR_BODY_BYTES = 64 * 1024;
const MAX_LOGGED_TEXT = 2000;

interface Answer {
  status: number;
  text: string;
  /** The parsed body, or undefined when it is empty or not JSON. */
  json: unknown;
  isJson: boolean;
}

interface SendOptions<T> {
  body?: unknown;
  /** Set for requests on one object, so that a 404 reads as "this object is gone". */
  object?: string;
  timeoutMs?: number;
  /** Turns a 2xx answer into the result; throws via `fail` when the body cannot be used. */
  read: (answer: Answer, fail: (problem: string, code?: ScimFailureCode) => never) => T;
}

class BodyTooLarge extends Error {}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function assertId(id: string, what: string): void {
  if (typeof id !== 'string' || id === '') throw new Error(`A ${what} id is required.`);
}

/** Reads a body up to a byte limit; `truncate` keeps the first bytes instead of failing. */
async function readText(response: Response, limit: number, truncate: boolean): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > limit) {
      await reader.cancel();
      if (!truncate) throw new BodyTooLarge();
      chunks.push(value.subarray(0, limit - size));
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A transport over Node's global fetch: redirects not followed, an overall timeout per request.
 * `dispatcher` (an undici `Agent`) decides how connections are made, e.g. one whose connector
 * checks the Tenant URL policy (`checkedConnector`).
 */
export function createFetchTransport(options: { dispatcher?: unknown } = {}): ScimTransport {
  // Node's fetch takes the dispatcher; the DOM's RequestInit does not know it.
  const extra = (options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }) as RequestInit;
  return {
    async send(request) {
      const response = await fetch(request.url, {
        ...extra,
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        // Redirects are not followed: a redirected request would carry the token to another address.
        redirect: 'manual',
        signal: AbortSignal.timeout(request.timeoutMs),
      });
      const { status } = response;
      const ok = status >= 200 && status < 300;
      try {
        const text = await readText(response, ok ? request.maxSuccessBytes : request.maxErrorBytes, !ok);
        return { status, headers: response.headers, text };
      } catch (error) {
        if (error instanceof BodyTooLarge)
          return { status, headers: response.headers, text: '', tooLarge: true };
        return { status, headers: response.headers, text: '', bodyError: error };
      }
    },
  };
}

/** The default transport: Node's global fetch with its own connections. */
export const fetchTransport: ScimTransport = createFetchTransport();

function parseJson(text: string): { json: unknown; isJson: boolean } {
  if (text.trim() === '') return { json: undefined, isJson: false };
  try {
    return { json: JSON.parse(text) as unknown, isJson: true };
  } catch {
    // Not JSON is an answer too: the caller decides whether the operation needed JSON.
    return { json: undefined, isJson: false };
  }
}

function describeBody(answer: Answer): string {
  if (answer.text.trim() === '') return 'the body is empty.';
  if (!answer.isJson) {
    const start = answer.text.trim().slice(0, 60).replace(/\s+/g, ' ');
    return `the body is not JSON (it starts with "${start}").`;
  }
  return 'the JSON body is not the SCIM resource that was expected.';
}

function toResource(json: unknown): ScimResource | undefined {
  if (!isRecord(json)) return undefined;
  const { id } = json;
  // Some targets use numeric ids; the rest of Provisio treats ids as opaque strings.
  if (typeof id === 'number' && Number.isFinite(id)) return { ...json, id: String(id) };
  if (typeof id !== 'string' || id === '') return undefined;
  return json as ScimResource;
}

function toCount(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/** Validates a ListResponse; `Resources` may be missing when there are no results (RFC 7644 §3.4.2). */
function toListResponse(json: unknown): ListResponse<ScimResource> | string {
  if (!isRecord(json)) return 'the body is not a SCIM ListResponse.';
  const totalResults = toCount(json.totalResults);
  if (totalResults === undefined) return 'the ListResponse has no totalResults.';
  const raw = json.Resources ?? (totalResults === 0 ? [] : undefined);
  if (!Array.isArray(raw)) return 'the ListResponse has no Resources list.';
  const resources: ScimResource[] = [];
  for (const item of raw) {
    const resource = toResource(item);
    if (resource === undefined) return 'a resource in the ListResponse has no id.';
    resources.push(resource);
  }
  return {
    totalResults,
    startIndex: toCount(json.startIndex) ?? 1,
    itemsPerPage: toCount(json.itemsPerPage) ?? resources.length,
    Resources: resources,
  };
}

function readResource(
  answer: Answer,
  fail: (problem: string, code?: ScimFailureCode) => never,
): ScimResource {
  if (!answer.isJson) return fail(describeBody(answer));
  const resource = toResource(answer.json);
  if (resource !== undefined) return resource;
  if (isRecord(answer.json) && Array.isArray(answer.json.Resources)) {
    return fail(
      'it returned a list where one object was expected.',
      'SystemForCrossDomainIdentityManagementMultipleEntriesInResponse',
    );
  }
  return fail(isRecord(answer.json) ? 'the returned object has no id.' : describeBody(answer));
}

function readList(
  answer: Answer,
  fail: (problem: string, code?: ScimFailureCode) => never,
): ListResponse<ScimResource> {
  if (!answer.isJson) return fail(describeBody(answer));
  const list = toListResponse(answer.json);
  return typeof list === 'string' ? fail(list) : list;
}

// PATCH and DELETE answers need not carry a body (200 without the resource, or 204).
const ignoreBody = () => undefined;

function withSchemas(
  resource: Record<string, unknown>,
  schemas: string[],
  resourceType: string,
): Record<string, unknown> {
  const existing = Array.isArray(resource.schemas)
    ? (resource.schemas as unknown[]).filter((s): s is string => typeof s === 'string')
    : [];
  const merged = [...existing, ...schemas.filter((s) => !existing.includes(s))];
  // Entra sends meta.resourceType on creation; it is read-only in SCIM, so targets ignore it or use it.
  const meta = isRecord(resource.meta) ? resource.meta : { resourceType };
  // As `{ ...resource, schemas, meta }`, the same keys in the same order: spreading a resource with
  // extension URNs for keys took about 1 µs, Object.assign about a tenth of that.
  const body: Record<string, unknown> = Object.assign({}, resource);
  body.schemas = merged;
  body.meta = meta;
  return body;
}

/**
 * A SCIM 2.0 client for one target application, speaking the dialect Entra's provisioning service
 * speaks. Every failure is thrown as a {@link ScimFailure}; nothing is retried here.
 *
 * @example
 * const client = new ScimClient({ tenantUrl: 'https://app.example.com/scim?aadOptscim062020', secretToken });
 * await client.testConnection('userName');
 * const [existing] = await client.findUsers('userName', 'ada@example.com');
 */
export class ScimClient {
  readonly baseUrl: string;
  readonly dialect: ScimDialect;
  readonly #authorization: string | undefined;
  readonly #redact: (text: string) => string;
  readonly #timeoutMs: number;
  readonly #userAgent: string;
  readonly #onExchange: ((exchange: ScimExchange) => void) | undefined;
  readonly #transport: ScimTransport;

  constructor(options: ScimClientOptions) {
    const target = targetSetup(options.tenantUrl, options.secretToken);
    this.baseUrl = target.baseUrl;
    this.dialect = options.dialect ?? target.dialect;
    this.#authorization = target.authorization;
    this.#redact = target.redact;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
      throw new Error('timeoutMs must be a positive number of milliseconds.');
    this.#timeoutMs = timeoutMs;
    this.#userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.#onExchange = options.onExchange;
    this.#transport = options.transport ?? fetchTransport;
  }

  /**
   * Entra's Test Connection: looks up a user that cannot exist and expects 200 with an empty
   * ListResponse. Fails within 10 s (or the client's timeout when shorter) on an unreachable target.
   * A non-empty answer also fails: the target ignores filters, so matching would go wrong.
   */
  async testConnection(matchingAttribute = 'userName', options: { timeoutMs?: number } = {}): Promise<void> {
    const probe = randomUUID();
    await this.#send('GET', `/Users${queryString({ filter: equalityFilter(matchingAttribute, probe) })}`, {
      timeoutMs: options.timeoutMs ?? Math.min(TEST_CONNECTION_TIMEOUT_MS, this.#timeoutMs),
      read: (answer, fail) => {
        const list = readList(answer, fail);
        if (list.totalResults > 0 || list.Resources.length > 0) {
          fail(
            `it returned ${Math.max(list.totalResults, list.Resources.length)} user(s) for ${matchingAttribute} eq "${probe}", a value no user has: ` +
              'the application seems to ignore the filter, and matching users would go wrong.',
          );
        }
      },
    });
  }

  async getUser(id: string, options: { attributes?: string[] } = {}): Promise<ScimResource> {
    assertId(id, 'user');
    const query =
      options.attributes && options.attributes.length > 0
        ? queryString({ attributes: options.attributes.join(',') })
        : '';
    return this.#send('GET', `/Users/${encodeURIComponent(id)}${query}`, {
      object: `user "${id}"`,
      read: readResource,
    });
  }

  /** `GET /Users?filter=attribute eq "value"`; quotes and backslashes in the value are escaped. */
  async findUsers(attribute: string, value: string): Promise<ScimResource[]> {
    const list = await this.#send(
      'GET',
      `/Users${queryString({ filter: equalityFilter(attribute, value) })}`,
      { read: readList },
    );
    return list.Resources;
  }

  /**
   * `GET /Users?startIndex=&count=[&attributes=]`: one page of users. `attributes` narrows what the
   * target returns (it always returns `id`), which keeps a listing of many users small.
   */
  async listUsers(
    startIndex: number,
    count: number,
    options: { attributes?: string[] } = {},
  ): Promise<ListResponse<ScimResource>> {
    if (!Number.isInteger(startIndex) || startIndex < 1)
      throw new Error('startIndex is 1-based and must be a positive integer.');
    if (!Number.isInteger(count) || count < 0) throw new Error('count must be a non-negative integer.');
    const attributes =
      options.attributes && options.attributes.length > 0 ? options.attributes.join(',') : undefined;
    return this.#send('GET', `/Users${queryString({ startIndex, count, attributes })}`, { read: readList });
  }

  /** `POST /Users`; adds the core (and, when used, enterprise) schema URNs and meta.resourceType if missing. */
  async createUser(resource: Record<string, unknown>): Promise<ScimResource> {
    const schemas: string[] = [SCHEMA.user];
    if (Object.keys(resource).some((key) => key.startsWith(SCHEMA.enterpriseUser)))
      schemas.push(SCHEMA.enterpriseUser);
    return this.#send('POST', '/Users', { body: withSchemas(resource, schemas, 'User'), read: readResource });
  }

  /** One PATCH in the dialect's form; no request when there is nothing to change. */
  async updateUser(id: string, changes: AttributeChange[]): Promise<void> {
    assertId(id, 'user');
    if (changes.length === 0) return;
    await this.#patch(
      `/Users/${encodeURIComponent(id)}`,
      `user "${id}"`,
      buildUpdatePatch(this.dialect, changes),
    );
  }

  /** Sets a reference attribute of a user (its manager) to another user, or removes it (null). */
  async setUserReference(id: string, path: string, referencedId: string | null): Promise<void> {
    assertId(id, 'user');
    if (referencedId !== null) assertId(referencedId, 'user');
    const reference =
      referencedId === null
        ? null
        : { id: referencedId, uri: `${this.baseUrl}/Users/${encodeURIComponent(referencedId)}` };
    await this.#patch(
      `/Users/${encodeURIComponent(id)}`,
      `user "${id}"`,
      buildReferencePatch(this.dialect, path, reference),
    );
  }

  async disableUser(id: string): Promise<void> {
    assertId(id, 'user');
    await this.#patch(`/Users/${encodeURIComponent(id)}`, `user "${id}"`, buildDisablePatch(this.dialect));
  }

  async deleteUser(id: string): Promise<void> {
    assertId(id, 'user');
    await this.#send('DELETE', `/Users/${encodeURIComponent(id)}`, {
      object: `user "${id}"`,
      read: ignoreBody,
    });
  }

  /** Members are excluded: only the group itself is needed, and large member lists are expensive. */
  async getGroup(id: string): Promise<ScimResource> {
    assertId(id, 'group');
    return this.#send(
      'GET',
      `/Groups/${encodeURIComponent(id)}${queryString({ excludedAttributes: 'members' })}`,
      {
        object: `group "${id}"`,
        read: readResource,
      },
    );
  }

  /** `GET /Groups?excludedAttributes=members&filter=displayName eq "…"`, as Entra matches groups. */
  async findGroups(displayName: string): Promise<ScimResource[]> {
    return this.findGroupsBy('displayName', displayName);
  }

  /** `GET /Groups?excludedAttributes=members&filter=<attribute> eq "…"`: groups matched by another attribute. */
  async findGroupsBy(attribute: string, value: string): Promise<ScimResource[]> {
    const query = queryString({
      excludedAttributes: 'members',
      filter: equalityFilter(attribute, value),
    });
    const list = await this.#send('GET', `/Groups${query}`, { read: readList });
    return list.Resources;
  }

  /**
   * `GET /Groups?startIndex=&count=&excludedAttributes=members` (or `&attributes=…`): one page of
   * groups without their members, which keeps a listing of large groups small.
   */
  async listGroups(
    startIndex: number,
    count: number,
    options: { attributes?: string[] } = {},
  ): Promise<ListResponse<ScimResource>> {
    if (!Number.isInteger(startIndex) || startIndex < 1)
      throw new Error('startIndex is 1-based and must be a positive integer.');
    if (!Number.isInteger(count) || count < 0) throw new Error('count must be a non-negative integer.');
    const attributes =
      options.attributes && options.attributes.length > 0 ? options.attributes.join(',') : undefined;
    // `attributes` leaves the members out already; some servers refuse it beside excludedAttributes.
    const narrow = attributes === undefined ? { excludedAttributes: 'members' } : { attributes };
    return this.#send('GET', `/Groups${queryString({ startIndex, count, ...narrow })}`, { read: readList });
  }

  /** `POST /Groups`; the entra dialect adds the legacy group schema URN, as Entra does. */
  async createGroup(resource: Record<string, unknown>): Promise<ScimResource> {
    const schemas: string[] = this.dialect === 'entra' ? [SCHEMA.group, SCHEMA.legacyGroup] : [SCHEMA.group];
    return this.#send('POST', '/Groups', {
      body: withSchemas(resource, schemas, 'Group'),
      read: readResource,
    });
  }

  async updateGroup(id: string, changes: AttributeChange[]): Promise<void> {
    assertId(id, 'group');
    if (changes.length === 0) return;
    await this.#patch(
      `/Groups/${encodeURIComponent(id)}`,
      `group "${id}"`,
      buildUpdatePatch(this.dialect, changes),
    );
  }

  /** All members in one PATCH; callers that want smaller requests split the list. */
  async addMembers(groupId: string, memberIds: string[]): Promise<void> {
    assertId(groupId, 'group');
    if (memberIds.length === 0) return;
    await this.#patch(
      `/Groups/${encodeURIComponent(groupId)}`,
      `group "${groupId}"`,
      buildAddMembersPatch(this.dialect, memberIds),
    );
  }

  async removeMembers(groupId: string, memberIds: string[]): Promise<void> {
    assertId(groupId, 'group');
    if (memberIds.length === 0) return;
    await this.#patch(
      `/Groups/${encodeURIComponent(groupId)}`,
      `group "${groupId}"`,
      buildRemoveMembersPatch(this.dialect, memberIds),
    );
  }

  async deleteGroup(id: string): Promise<void> {
    assertId(id, 'group');
    await this.#send('DELETE', `/Groups/${encodeURIComponent(id)}`, {
      object: `group "${id}"`,
      read: ignoreBody,
    });
  }

  /**
   * Sends one request exactly as given (`path` is relative to the base address and may carry a
   * query) and returns the answer whatever its status, for diagnostics such as a target check: the
   * caller judges the answer. Only failures without an answer (network, timeout, a refused
   * address) throw a {@link ScimFailure}. The body text is redacted of the Secret Token.
   *
   * @example const answer = await client.probe('GET', '/ServiceProviderConfig');
   */
  async probe(
    method: string,
    path: string,
    options: { body?: unknown; timeoutMs?: number } = {},
  ): Promise<ProbeAnswer> {
    const url = `${this.baseUrl}${path}`;
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const bodyText = options.body === undefined ? undefined : JSON.stringify(options.body);
    const started = performance.now();
    const report = (exchange: Omit<ScimExchange, 'method' | 'url' | 'durationMs'>) => {
      if (this.#onExchange === undefined) return;
      this.#onExchange({
        method,
        url,
        durationMs: Math.round(performance.now() - started),
        ...(options.body === undefined ? {} : this.#loggedRequest(options.body, bodyText)),
        ...exchange,
      });
    };
    let received: TransportAnswer;
    try {
      received = await this.#transmit(method, url, bodyText, timeoutMs);
    } catch (error) {
      const failure = failureFromNetworkError({ method, url, timeoutMs, redact: this.#redact }, error);
      report({ error: failure.message });
      throw failure;
    }
    const text = this.#redact(received.text);
    const { json, isJson } = parseJson(text);
    const durationMs = Math.round(performance.now() - started);
    report({
      status: received.status,
      ...(isJson
        ? { responseBody: json }
        : text === ''
          ? {}
          : { responseBody: text.slice(0, MAX_LOGGED_TEXT) }),
    });
    return { status: received.status, headers: received.headers, text, json, isJson, durationMs };
  }

  #patch(path: string, object: string, body: PatchRequest): Promise<void> {
    return this.#send('PATCH', path, { body, object, read: ignoreBody });
  }

  /** Sends one request, its body as JSON text, with the client's headers (and its token) through the transport. */
  #transmit(
    method: string,
    url: string,
    body: string | undefined,
    timeoutMs: number,
  ): Promise<TransportAnswer> {
    const headers: Record<string, string> = {
      Accept: 'application/scim+json',
      'User-Agent': this.#userAgent,
    };
    if (body !== undefined) headers['Content-Type'] = 'application/scim+json';
    if (this.#authorization !== undefined) headers.Authorization = this.#authorization;
    return this.#transport.send({
      method,
      url,
      headers,
      ...(body === undefined ? {} : { body }),
      timeoutMs,
      maxSuccessBytes: MAX_SUCCESS_BODY_BYTES,
      maxErrorBytes: MAX_ERROR_BODY_BYTES,
    });
  }

  /**
   * A request body as an exchange reports it: redacted for the log, and with the text sent when
   * nothing in it was redacted (a log that shows the body then takes that text as it is).
   */
  #loggedRequest(
    body: unknown,
    bodyText: string | undefined,
  ): Pick<ScimExchange, 'requestBody' | 'requestText'> {
    const requestBody = redactForLog(body, this.#redact, bodyText);
    return requestBody === body && bodyText !== undefined
      ? { requestBody, requestText: bodyText }
      : { requestBody };
  }

  async #send<T>(method: string, path: string, options: SendOptions<T>): Promise<T> {
    const url = `${this.baseUrl}${path}`;
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    // What a failure says of the request: built when one happens, as most requests succeed.
    const ctx = (): FailureContext => ({
      method,
      url,
      timeoutMs,
      redact: this.#redact,
      ...(options.object === undefined ? {} : { object: options.object }),
    });
    const bodyText = options.body === undefined ? undefined : JSON.stringify(options.body);
    const started = performance.now();
    const report = (outcome: { status?: number; answer?: Answer; failure?: ScimFailure }) => {
      if (this.#onExchange === undefined) return;
      const exchange: ScimExchange = { method, url, durationMs: Math.round(performance.now() - started) };
      if (options.body !== undefined) Object.assign(exchange, this.#loggedRequest(options.body, bodyText));
      if (outcome.status !== undefined) exchange.status = outcome.status;
      if (outcome.answer !== undefined) {
        const { answer } = outcome;
        const logged = answer.isJson
          ? answer.json
          : answer.text === ''
            ? undefined
            : answer.text.slice(0, MAX_LOGGED_TEXT);
        if (logged !== undefined)
          exchange.responseBody = redactForLog(logged, this.#redact, answer.isJson ? answer.text : undefined);
      }
      if (outcome.failure !== undefined) exchange.error = outcome.failure.message;
      this.#onExchange(exchange);
    };
    const failWith = (failure: ScimFailure, outcome: { status?: number; answer?: Answer } = {}): never => {
      report({ ...outcome, failure });
      throw failure;
    };

    let received: TransportAnswer;
    try {
      received = await this.#transmit(method, url, bodyText, timeoutMs);
    } catch (error) {
      return failWith(failureFromNetworkError(ctx(), error));
    }

    const { status } = received;
    const ok = status >= 200 && status < 300;
    let text = received.text;
    if (received.tooLarge === true && ok) {
      return failWith(
        incompatibleFailure(
          ctx(),
          status,
          `the body is larger than ${MAX_SUCCESS_BODY_BYTES / 1024 / 1024} MiB.`,
        ),
        { status },
      );
    }
    if (received.bodyError !== undefined) {
      // An error status already says what happened; a lost error body only costs the detail.
      if (!ok) text = '';
      else return failWith(failureFromNetworkError(ctx(), received.bodyError, status), { status });
    }
    const answer: Answer = { status, text, ...parseJson(text) };
    if (!ok) {
      return failWith(
        failureFromResponse(ctx(), {
          status,
          headers: received.headers,
          json: answer.json,
          text,
          nowMs: Date.now(),
        }),
        { status, answer },
      );
    }
    const result = options.read(answer, (problem, code) =>
      failWith(incompatibleFailure(ctx(), status, problem, code), { status, answer }),
    );
    report({ status, answer });
    return result;
  }
}

interface TargetSetup {
  tenantUrl: string;
  secretToken: string | undefined;
  baseUrl: string;
  dialect: ScimDialect;
  authorization: string | undefined;
  redact: (text: string) => string;
}

// A worker builds a client per object (each with its own onExchange) for the same target: the
// last target's parsed URL and token are reused rather than parsed again for every object.
let lastSetup: TargetSetup | null = null;

function targetSetup(tenantUrl: string, secretToken: string | undefined): TargetSetup {
  if (lastSetup?.tenantUrl === tenantUrl && lastSetup.secretToken === secretToken) return lastSetup;
  const parsed = parseTenantUrl(tenantUrl);
  const token = normalizeToken(secretToken);
  lastSetup = {
    tenantUrl,
    secretToken,
    baseUrl: parsed.baseUrl,
    dialect: parsed.dialect,
    authorization: token === undefined ? undefined : `Bearer ${token}`,
    redact: textRedactor(token),
  };
  return lastSetup;
}

/** Trims what admins paste (whitespace, a leading "Bearer ") and refuses what cannot go in a header. */
function normalizeToken(secretToken: string | undefined): string | undefined {
  if (secretToken === undefined) return undefined;
  const token = secretToken.trim().replace(/^bearer\s+/i, '');
  if (token === '') return undefined;
  // Checked here, because fetch's own error for an invalid header value quotes the value.
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new Error(
      'The Secret Token contains spaces, line breaks or other characters that cannot be sent in an HTTP header. Paste it again.',
    );
  }
  return token;
}
