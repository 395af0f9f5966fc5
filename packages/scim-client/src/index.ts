export { ScimClient, fetchTransport } from './scim-client.js';
export { ScimFailure, parseRetryAfter, type ScimFailureKind, type ScimFailureCode } from './scim-failure.js';
export { parseTenantUrl, RFC_PATCH_FLAG, LEGACY_PATCH_FLAG, type ParsedTenantUrl } from './tenant-url.js';
export {
  buildUpdatePatch,
  buildDisablePatch,
  buildAddMembersPatch,
  buildRemoveMembersPatch,
  buildReferencePatch,
  type PatchOperation,
  type PatchRequest,
} from './patch.js';
export { equalityFilter, quoteFilterValue } from './filter.js';
export {
  SCHEMA,
  type ScimDialect,
  type ScimClientOptions,
  type ScimExchange,
  type ScimResource,
  type ListResponse,
  type AttributeChange,
  type ScimTransport,
  type TransportRequest,
  type TransportAnswer,
} from './types.js';
