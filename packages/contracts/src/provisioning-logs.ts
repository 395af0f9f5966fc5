import { Type, type Static } from 'typebox';
import { collectionOf, modifiedPropertySchema, nullableString } from './common';

export const provisioningActionSchema = Type.Union([
  Type.Literal('create'),
  Type.Literal('update'),
  Type.Literal('delete'),
  Type.Literal('stagedDelete'),
  Type.Literal('disable'),
  Type.Literal('other'),
]);
export type ProvisioningAction = Static<typeof provisioningActionSchema>;

export const provisioningResultSchema = Type.Union([
  Type.Literal('success'),
  Type.Literal('warning'),
  Type.Literal('failure'),
  Type.Literal('skipped'),
]);
export type ProvisioningResult = Static<typeof provisioningResultSchema>;

export const provisioningStepTypeSchema = Type.Union([
  Type.Literal('import'),
  Type.Literal('scoping'),
  Type.Literal('matching'),
  Type.Literal('processing'),
  Type.Literal('referenceResolution'),
  Type.Literal('export'),
]);
export type ProvisioningStepType = Static<typeof provisioningStepTypeSchema>;

export const provisioningStepSchema = Type.Object({
  name: Type.String(),
  provisioningStepType: provisioningStepTypeSchema,
  status: provisioningResultSchema,
  description: Type.String(),
  details: Type.Record(Type.String(), Type.String()),
});
export type ProvisioningStep = Static<typeof provisioningStepSchema>;

export const provisioningErrorInfoSchema = Type.Object({
  errorCode: Type.String(),
  reason: Type.String(),
  additionalDetails: nullableString(),
  errorCategory: Type.Union([
    Type.Literal('failure'),
    Type.Literal('nonServiceFailure'),
    Type.Literal('success'),
  ]),
  recommendedAction: nullableString(),
});
export type ProvisioningErrorInfo = Static<typeof provisioningErrorInfoSchema>;

export const provisionedIdentitySchema = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  identityType: Type.String(),
  details: Type.Record(Type.String(), Type.String()),
});
export type ProvisionedIdentity = Static<typeof provisionedIdentitySchema>;

export const provisioningSystemSchema = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  details: Type.Record(Type.String(), Type.String()),
});

/** One provisioning event, shaped after Graph's `provisioningObjectSummary`. */
export const provisioningObjectSummarySchema = Type.Object({
  id: Type.String(),
  activityDateTime: Type.String({ format: 'date-time' }),
  changeId: Type.String(),
  cycleId: Type.String(),
  jobId: Type.String(),
  durationInMilliseconds: Type.Integer(),
  initiatedBy: Type.Object({ id: Type.String(), displayName: Type.String(), initiatorType: Type.String() }),
  modifiedProperties: Type.Array(modifiedPropertySchema),
  provisioningAction: provisioningActionSchema,
  provisioningStatusInfo: Type.Object({
    status: provisioningResultSchema,
    errorInformation: Type.Union([provisioningErrorInfoSchema, Type.Null()]),
  }),
  provisioningSteps: Type.Array(provisioningStepSchema),
  servicePrincipal: Type.Object({ id: Type.String(), displayName: Type.String() }),
  sourceIdentity: provisionedIdentitySchema,
  targetIdentity: provisionedIdentitySchema,
  sourceSystem: provisioningSystemSchema,
  targetSystem: provisioningSystemSchema,
  tenantId: Type.String(),
});
export type ProvisioningObjectSummary = Static<typeof provisioningObjectSummarySchema>;
export const provisioningObjectSummaryCollectionSchema = collectionOf(provisioningObjectSummarySchema);

export const provisioningLogQuerySchema = Type.Object({
  $top: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  $count: Type.Optional(
    Type.Boolean({ description: 'With true, `@odata.count` says how many events match, on every page.' }),
  ),
  $skiptoken: Type.Optional(Type.String({ maxLength: 500 })),
  $filter: Type.Optional(Type.String({ maxLength: 2000 })),
  $orderby: Type.Optional(Type.String({ maxLength: 100 })),
});
export type ProvisioningLogQuery = Static<typeof provisioningLogQuerySchema>;

export const provisioningLogDownloadFormatSchema = Type.Union([Type.Literal('json'), Type.Literal('csv')]);
export type ProvisioningLogDownloadFormat = Static<typeof provisioningLogDownloadFormatSchema>;

/** The most events one download holds, as in the reference; a larger one is refused with the fix. */
export const MAX_DOWNLOAD_EVENTS = 250_000;
/** What the API and the portal say when more events match than one download holds. */
export const DOWNLOAD_TOO_LARGE_MESSAGE = `More than ${MAX_DOWNLOAD_EVENTS.toLocaleString('en-US')} events match: a download holds at most ${MAX_DOWNLOAD_EVENTS.toLocaleString('en-US')}. Narrow the date range, or filter by application, status or action, and download again.`;

/** The characters a file name may not hold on Windows, macOS or Linux, and control characters. */
export const DOWNLOAD_FILE_NAME_PATTERN = '^[^\\\\/:*?"<>|\\u0000-\\u001f]+$';

/**
 * A download of the provisioning logs (our addition; Graph has none): every event matching
 * `$filter`, as a JSON array or as a ZIP of three CSV files joined on the change ID.
 */
export const provisioningLogDownloadQuerySchema = Type.Object({
  format: provisioningLogDownloadFormatSchema,
  $filter: Type.Optional(Type.String({ maxLength: 2000 })),
  $orderby: Type.Optional(Type.String({ maxLength: 100 })),
  fileName: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      pattern: DOWNLOAD_FILE_NAME_PATTERN,
      description: 'The file name without its extension; defaults to ProvisioningLogs.',
    }),
  ),
});
export type ProvisioningLogDownloadQuery = Static<typeof provisioningLogDownloadQuerySchema>;

/** An audit event, shaped after Graph's `directoryAudit`. */
export const directoryAuditSchema = Type.Object({
  id: Type.String(),
  category: Type.String(),
  correlationId: Type.String(),
  result: Type.Union([Type.Literal('success'), Type.Literal('failure')]),
  resultReason: Type.String(),
  activityDisplayName: Type.String(),
  activityDateTime: Type.String({ format: 'date-time' }),
  loggedByService: Type.String(),
  operationType: Type.String(),
  initiatedBy: Type.Object({
    user: Type.Union([
      Type.Object({ id: Type.String(), displayName: Type.String(), userPrincipalName: Type.String() }),
      Type.Null(),
    ]),
    app: Type.Union([
      Type.Object({ displayName: Type.String(), servicePrincipalId: nullableString() }),
      Type.Null(),
    ]),
  }),
  targetResources: Type.Array(
    Type.Object({
      id: Type.String(),
      displayName: Type.String(),
      type: Type.String(),
      modifiedProperties: Type.Array(modifiedPropertySchema),
    }),
  ),
  additionalDetails: Type.Array(Type.Object({ key: Type.String(), value: Type.String() })),
});
export type DirectoryAudit = Static<typeof directoryAuditSchema>;
export const directoryAuditCollectionSchema = collectionOf(directoryAuditSchema);
