export { ScimClient, fetchTransport, createFetchTransport } from './scim-client.js';
export { ScimFailure, parseRetryAfter, type ScimFailureKind, type ScimFailureCode } from './scim-failure.js';
export { parseTenantUrl, RFC_PATCH_FLAG, LEGACY_PATCH_FLAG, type ParsedTenantUrl } from './tenant-url.js';
export {
  TARGET_ALLOW_VARIABLE,
  TARGET_REFUSED_CODE,
  DEFAULT_TARGET_POLICY,
  TargetRefusedError,
  parseTargetAllowList,
  checkTargetUrl,
  checkTargetHost,
  checkTargetAddress,
  resolveTarget,
  createCheckedLookup,
  checkedConnector,
  type TargetPolicy,
  type TargetRefusal,
  type RefusedAddressKind,
  type TargetLookup,
  type TargetConnectOptions,
  type TargetConnector,
} from './target-policy.js';
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
  type ProbeAnswer,
} from './types.js';
