/** Which PATCH forms the client sends; see README "Dialects". */
export type ScimDialect = 'entra' | 'rfc';

export interface ScimClientOptions {
  /** As the admin typed it; may carry behaviour flags such as `?aadOptscim062020`. */
  tenantUrl: string;
  /** Long-lived bearer token. Blank means no Authorization header. */
  secretToken?: string;
  /** Per request; default 30 000 ms. */
  timeoutMs?: number;
  /** Default: derived from the Tenant URL flags. */
  dialect?: ScimDialect;
  /**
   * Observes every request and its outcome, for provisioning logs. The token is never included and
   * occurrences of it in response bodies are redacted. Called synchronously; it must not throw.
   */
  onExchange?: (exchange: ScimExchange) => void;
  userAgent?: string;
  /** How requests go on the wire; default {@link fetchTransport} (Node's global fetch). */
  transport?: ScimTransport;
}

/** One request as the client hands it to its transport. */
export interface TransportRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The whole exchange must end within this. */
  timeoutMs: number;
  /** A 2xx body larger than this is not read (`tooLarge`). */
  maxSuccessBytes: number;
  /** Error bodies are cut at this size. */
  maxErrorBytes: number;
}

/** What the transport got back once the status line arrived. */
export interface TransportAnswer {
  status: number;
  headers: { get(name: string): string | null };
  text: string;
  /** A 2xx body exceeded `maxSuccessBytes`. */
  tooLarge?: boolean;
  /** Reading the body failed after the status arrived (shaped like a fetch error). */
  bodyError?: unknown;
}

/**
 * Puts requests on the wire. It must not follow redirects (the token would travel to another
 * address) and must reject, before any status arrives, with errors shaped like fetch's: a
 * `TypeError` whose `cause` carries the socket error's `code` (ECONNREFUSED, UND_ERR_SOCKET…),
 * or an error named `TimeoutError`, so that failures are classified the same whatever the
 * transport.
 */
export interface ScimTransport {
  send(request: TransportRequest): Promise<TransportAnswer>;
}

/** One HTTP round trip as seen by `onExchange`. */
export interface ScimExchange {
  method: string;
  url: string;
  requestBody?: unknown;
  /**
   * The request's body as it was sent, when nothing in it was redacted for the log (then it is
   * `requestBody`'s JSON): a log that shows the body takes it rather than serializing it again.
   */
  requestText?: string;
  status?: number;
  /** Parsed JSON when the body is JSON, otherwise the text (truncated). */
  responseBody?: unknown;
  durationMs: number;
  /** Set when the request failed (the ScimFailure message). */
  error?: string;
}

export interface ScimResource {
  id: string;
  schemas?: string[];
  externalId?: string;
  meta?: Record<string, unknown>;
  [attr: string]: unknown;
}

export interface ListResponse<T> {
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: T[];
}

/**
 * One attribute change. `path` is a SCIM attribute path: `userName`, `name.givenName`,
 * `emails[type eq "work"].value`, `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`.
 * `value: null` (or undefined) removes the attribute.
 */
export interface AttributeChange {
  path: string;
  value: unknown;
  /**
   * The operation, when it is not the default replace: `add` puts values into a multi-valued
   * attribute (app roles sent with PATCH Add). Its name is cased as the dialect cases ops.
   */
  op?: 'add' | 'replace';
}

export const SCHEMA = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  /** Entra still adds this to group creations; Entra-era targets may look for it. */
  legacyGroup: 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
} as const;

/** What {@link ScimClient.probe} got back: any status, with the body as text and, when JSON, parsed. */
export interface ProbeAnswer {
  status: number;
  headers: { get(name: string): string | null };
  /** The body, with any occurrence of the Secret Token redacted. */
  text: string;
  /** The parsed body, or undefined when it is empty or not JSON. */
  json: unknown;
  isJson: boolean;
  durationMs: number;
}
