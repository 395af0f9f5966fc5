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
}

/** One HTTP round trip as seen by `onExchange`. */
export interface ScimExchange {
  method: string;
  url: string;
  requestBody?: unknown;
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
