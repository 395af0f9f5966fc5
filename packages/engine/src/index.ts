// The pure domain rules of provisioning: scope, map, match, diff, plan, explain, classify.
// No I/O and no clock: time, ids and randomness come in as arguments.

export * from './source-view';
export * from './scoping';
export * from './attribute-mappings';
export * from './scim-resource';
export * from './plan-object-action';
export * from './skip-reasons';
export * from './classify-failure';
export * from './escrow-policy';
export * from './adaptive-limit';
export * from './target-index';
export * from './provisioning-event';
export * from './job-options';
export * from './cycle-summary';
export * from './on-demand-result';

// The contract shapes engine callers handle, so that the worker needs no direct dependency on contracts.
export type {
  AttributeMapping,
  CyclePreviewCounts,
  CyclePreviewObject,
  PreviewAction,
  ObjectFlowType,
  ObjectMapping,
  ObjectDefinition,
  ProvisioningObjectSummary,
  SynchronizationError,
  SynchronizationSchema,
  SynchronizationTaskExecution,
} from '@provisio/contracts';
export * from './validate-schema';
export * from './preview-expression';
export * from './job-state';
export * from './job-activity';
export * from './job-health';
export * from './plan-cycle';
export * from './finish-cycle';
export * from './plan-memberships';
export * from './plan-references';
export * from './quarantine-policy';
export * from './notifications';
export * from './preview-object';
export * from './explain-object';
export * from './log-summary';
export * from './deleted-users';
export * from './directory-extensions';
export * from './app-role-values';
