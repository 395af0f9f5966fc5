import { Type, type Static } from 'typebox';
import { collectionOf, keyValueSchema, nullableString } from './common';

// ---- schema: rules, object mappings, attribute mappings (Graph's synchronizationSchema) ----

export interface AttributeMappingSource {
  type: 'Attribute' | 'Constant' | 'Function';
  name: string | null;
  expression: string | null;
  parameters: { key: string; value: AttributeMappingSource }[];
}
export const attributeMappingSourceSchema = Type.Cyclic(
  {
    AttributeMappingSource: Type.Object({
      type: Type.Union([Type.Literal('Attribute'), Type.Literal('Constant'), Type.Literal('Function')]),
      name: nullableString(),
      expression: nullableString({ maxLength: 10_000 }),
      parameters: Type.Array(Type.Object({ key: Type.String(), value: Type.Ref('AttributeMappingSource') })),
    }),
  },
  'AttributeMappingSource',
);

export const flowTypeSchema = Type.Union([
  Type.Literal('Always'),
  Type.Literal('ObjectAddOnly'),
  Type.Literal('MultiValueAddOnly'),
  Type.Literal('ValueAddOnly'),
  Type.Literal('AttributeAddOnly'),
]);
export type FlowType = Static<typeof flowTypeSchema>;

export interface AttributeMapping {
  source: AttributeMappingSource | null;
  targetAttributeName: string;
  defaultValue: string | null;
  flowType: FlowType;
  /** 0 = not a matching attribute; 1, 2, … = matching precedence, lowest first. */
  matchingPriority: number;
  flowBehavior: 'FlowWhenChanged' | 'FlowAlways';
  exportMissingReferences: boolean;
}
export const attributeMappingSchema = Type.Object({
  source: Type.Union([attributeMappingSourceSchema, Type.Null()]),
  targetAttributeName: Type.String({ minLength: 1, maxLength: 400 }),
  defaultValue: nullableString({ maxLength: 1024 }),
  flowType: flowTypeSchema,
  matchingPriority: Type.Integer({ minimum: 0, maximum: 100 }),
  flowBehavior: Type.Union([Type.Literal('FlowWhenChanged'), Type.Literal('FlowAlways')]),
  exportMissingReferences: Type.Boolean(),
});

export const filterClauseSchema = Type.Object({
  sourceOperandName: Type.String({ minLength: 1 }),
  operatorName: Type.String({ minLength: 1 }),
  targetOperand: Type.Union([Type.Object({ values: Type.Array(Type.String()) }), Type.Null()]),
});
export type FilterClause = Static<typeof filterClauseSchema>;
export const filterGroupSchema = Type.Object({
  name: Type.String(),
  clauses: Type.Array(filterClauseSchema),
});
export type FilterGroup = Static<typeof filterGroupSchema>;
export const scopeFilterSchema = Type.Object({
  groups: Type.Array(filterGroupSchema),
  inputFilterGroups: Type.Array(filterGroupSchema),
  categoryFilterGroups: Type.Array(filterGroupSchema),
});
export type ScopeFilter = Static<typeof scopeFilterSchema>;

/**
 * What a scoping clause's value must be: `none` (a Unary operator takes no value), any `text`,
 * a `regex` (JavaScript syntax, matched against the whole attribute value) or an `integer`.
 */
export type ScopingOperand = 'none' | 'text' | 'regex' | 'integer';

/**
 * The operators a scoping clause may use (`operatorName`), with Entra's labels, in the order of
 * its operator list. The engine compiles exactly these (see `compileScopeFilter`); `Present` is
 * the portal's undocumented synonym of IS NOT NULL.
 */
export const scopingOperators = [
  { name: '&', operand: 'text' },
  { name: '!&', operand: 'text' },
  { name: 'ENDS_WITH', operand: 'text' },
  { name: 'EQUALS', operand: 'text' },
  { name: 'Greater_Than', operand: 'integer' },
  { name: 'Greater_Than_OR_EQUALS', operand: 'integer' },
  { name: 'Includes', operand: 'text' },
  { name: 'IS FALSE', operand: 'none' },
  { name: 'IS NOT NULL', operand: 'none' },
  { name: 'IS NULL', operand: 'none' },
  { name: 'IS TRUE', operand: 'none' },
  { name: 'NOT EQUALS', operand: 'text' },
  { name: 'NOT REGEX MATCH', operand: 'regex' },
  { name: 'Present', operand: 'none' },
  { name: 'REGEX MATCH', operand: 'regex' },
] as const satisfies readonly { name: string; operand: ScopingOperand }[];
export type ScopingOperatorName = (typeof scopingOperators)[number]['name'];

export const objectFlowTypeSchema = Type.Union([
  Type.Literal('Add'),
  Type.Literal('Update'),
  Type.Literal('Delete'),
]);
export type ObjectFlowType = Static<typeof objectFlowTypeSchema>;

export interface ObjectMapping {
  enabled: boolean;
  /** Target object actions: which of Create (Add), Update and Delete may be sent. */
  flowTypes: ObjectFlowType[];
  name: string;
  sourceObjectName: string;
  targetObjectName: string;
  scope: ScopeFilter | null;
  attributeMappings: AttributeMapping[];
  metadata: { key: string; value: string }[];
}
export const objectMappingSchema = Type.Object({
  enabled: Type.Boolean(),
  flowTypes: Type.Array(objectFlowTypeSchema),
  name: Type.String(),
  sourceObjectName: Type.String(),
  targetObjectName: Type.String(),
  scope: Type.Union([scopeFilterSchema, Type.Null()]),
  attributeMappings: Type.Array(attributeMappingSchema),
  metadata: Type.Array(keyValueSchema),
});

export const attributeTypeSchema = Type.Union([
  Type.Literal('String'),
  Type.Literal('Boolean'),
  Type.Literal('Integer'),
  Type.Literal('DateTime'),
  Type.Literal('Reference'),
  Type.Literal('Binary'),
]);
export const attributeDefinitionSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 400 }),
  type: attributeTypeSchema,
  required: Type.Boolean(),
  multivalued: Type.Boolean(),
  caseExact: Type.Boolean(),
  anchor: Type.Boolean(),
  apiExpressions: Type.Array(keyValueSchema),
  referencedObjects: Type.Array(Type.Object({ referencedObjectName: Type.String() })),
  mutability: Type.Union([
    Type.Literal('ReadWrite'),
    Type.Literal('ReadOnly'),
    Type.Literal('Immutable'),
    Type.Literal('WriteOnly'),
  ]),
  flowNullValues: Type.Boolean(),
});
export type AttributeDefinition = Static<typeof attributeDefinitionSchema>;
export const objectDefinitionSchema = Type.Object({
  name: Type.String(),
  attributes: Type.Array(attributeDefinitionSchema),
  supportedApis: Type.Array(Type.String()),
});
export type ObjectDefinition = Static<typeof objectDefinitionSchema>;
export const directoryDefinitionSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  objects: Type.Array(objectDefinitionSchema),
  readOnly: Type.Boolean(),
  version: nullableString(),
});
export type DirectoryDefinition = Static<typeof directoryDefinitionSchema>;

export const synchronizationRuleSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  editable: Type.Boolean(),
  priority: Type.Integer(),
  sourceDirectoryName: Type.String(),
  targetDirectoryName: Type.String(),
  objectMappings: Type.Array(objectMappingSchema),
  metadata: Type.Array(keyValueSchema),
});
export type SynchronizationRule = Static<typeof synchronizationRuleSchema>;

export const synchronizationSchemaSchema = Type.Object({
  id: Type.String(),
  version: Type.String(),
  synchronizationRules: Type.Array(synchronizationRuleSchema),
  directories: Type.Array(directoryDefinitionSchema),
});
export type SynchronizationSchema = Omit<
  Static<typeof synchronizationSchemaSchema>,
  'synchronizationRules'
> & {
  synchronizationRules: (Omit<SynchronizationRule, 'objectMappings'> & { objectMappings: ObjectMapping[] })[];
};

// ---- job, schedule, status (Graph's synchronizationJob) ----

export const synchronizationStatusCodeSchema = Type.Union([
  Type.Literal('NotConfigured'),
  Type.Literal('NotRun'),
  Type.Literal('Active'),
  Type.Literal('Paused'),
  Type.Literal('Quarantine'),
]);
export type SynchronizationStatusCode = Static<typeof synchronizationStatusCodeSchema>;

export const synchronizationErrorSchema = Type.Object({
  code: Type.String(),
  message: Type.String(),
  tenantActionable: Type.Boolean(),
});
export type SynchronizationError = Static<typeof synchronizationErrorSchema>;

export const synchronizationTaskExecutionSchema = Type.Object({
  activityIdentifier: Type.String({ description: 'The cycle id.' }),
  countEntitled: Type.Integer(),
  countEntitledForProvisioning: Type.Integer(),
  countEscrowed: Type.Integer(),
  countEscrowedRaw: Type.Integer(),
  countExported: Type.Integer(),
  countExports: Type.Integer(),
  countImported: Type.Integer(),
  countImportedDeltas: Type.Integer(),
  countImportedReferenceDeltas: Type.Integer(),
  error: Type.Union([synchronizationErrorSchema, Type.Null()]),
  state: Type.Union([Type.Literal('Succeeded'), Type.Literal('Failed'), Type.Literal('EntryLevelErrors')]),
  timeBegan: Type.String({ format: 'date-time' }),
  timeEnded: Type.String({ format: 'date-time' }),
  /** An addition to Graph: which kind of cycle ran. */
  cycleKind: Type.Union([Type.Literal('Initial'), Type.Literal('Incremental')]),
});
export type SynchronizationTaskExecution = Static<typeof synchronizationTaskExecutionSchema>;

export const synchronizationProgressSchema = Type.Object({
  completedUnits: Type.Integer(),
  totalUnits: Type.Integer(),
  units: Type.String(),
  progressObservationDateTime: Type.String({ format: 'date-time' }),
});
export type SynchronizationProgress = Static<typeof synchronizationProgressSchema>;

/** What each quarantine reason means and what the administrator should do about it. */
const QUARANTINE_FIX: Readonly<Record<string, string>> = {
  EncounteredQuarantineException:
    'The application rejects the credentials or cannot be reached. Check the Tenant URL and Secret Token under Admin Credentials and use Test Connection; the next cycle that reaches the application ends the quarantine, or select Restart provisioning.',
  EncounteredEscrowProportionThreshold:
    'More than 40 % of the objects fail. Read the failures in the provisioning logs, fix their cause (mappings, the application), then select Restart provisioning.',
  EncounteredBaseEscrowThreshold:
    'More than 40,000 objects fail. Read the failures in the provisioning logs, fix their cause, then select Restart provisioning.',
  EncounteredTotalEscrowThreshold:
    'More than 60,000 operations fail, references included. Read the failures in the provisioning logs, fix their cause, then select Restart provisioning.',
  TooManyDeletes:
    'A cycle would remove more accounts than the accidental deletion threshold allows. Review the held removals (StagedDelete) in the provisioning logs: if they are intended, select Allow deletes; otherwise fix the assignments or scoping filters, then select Restart provisioning.',
};

/** The fix for a quarantine, by its reason: the portal's banner, the audit log and the notification email say it alike. */
export const quarantineFix = (reason: string): string =>
  QUARANTINE_FIX[reason] ??
  'Fix the cause (for example the admin credentials), then select Restart provisioning.';

export const synchronizationQuarantineSchema = Type.Object({
  currentBegan: Type.String({ format: 'date-time' }),
  nextAttempt: Type.String({ format: 'date-time' }),
  reason: Type.String(),
  seriesBegan: Type.String({ format: 'date-time' }),
  seriesCount: Type.Integer(),
  error: Type.Union([synchronizationErrorSchema, Type.Null()]),
});

/**
 * Our addition: what a job is doing now. `Queued`: a cycle is requested (Start, Restart, Run now)
 * or due and waits for a worker; `InProgress`: a worker runs it (see `currentCycle`); `Idle`:
 * waiting for the schedule, or provisioning is off.
 */
export const jobActivitySchema = Type.Union([
  Type.Literal('Idle'),
  Type.Literal('Queued'),
  Type.Literal('InProgress'),
]);
export type JobActivity = Static<typeof jobActivitySchema>;

export const synchronizationStatusSchema = Type.Object({
  code: synchronizationStatusCodeSchema,
  countSuccessiveCompleteFailures: Type.Integer(),
  escrowsPruned: Type.Boolean(),
  lastExecution: Type.Union([synchronizationTaskExecutionSchema, Type.Null()]),
  lastSuccessfulExecution: Type.Union([synchronizationTaskExecutionSchema, Type.Null()]),
  lastSuccessfulExecutionWithExports: Type.Union([synchronizationTaskExecutionSchema, Type.Null()]),
  progress: Type.Array(synchronizationProgressSchema),
  quarantine: Type.Union([synchronizationQuarantineSchema, Type.Null()]),
  steadyStateFirstAchievedTime: Type.String(),
  steadyStateLastAchievedTime: Type.String(),
  synchronizedEntryCountByType: Type.Array(Type.Object({ key: Type.String(), value: Type.Integer() })),
  troubleshootingUrl: nullableString(),
  /** Additions to Graph: the cycle now running, if any. */
  currentCycle: Type.Union([
    Type.Object({
      cycleId: Type.String(),
      cycleKind: Type.Union([Type.Literal('Initial'), Type.Literal('Incremental')]),
      timeBegan: Type.String({ format: 'date-time' }),
    }),
    Type.Null(),
  ]),
  /** Our addition: Idle, Queued or InProgress, derived from the schedule, the requested run and the worker's lease. */
  activity: jobActivitySchema,
  /** Our addition: since when a cycle waits for a worker; null unless `activity` is Queued. */
  queuedDateTime: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** Our addition: when the next cycle starts; null while provisioning is off. */
  nextCycleDateTime: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type SynchronizationStatus = Static<typeof synchronizationStatusSchema>;

/** Time between cycles of a new job: Entra's "approximately every 40 minutes" (PROVISIO_CYCLE_INTERVAL_SECONDS). */
export const DEFAULT_CYCLE_INTERVAL_SECONDS = 2400;
/**
 * The cycle intervals an administrator may set on a job (`PATCH …/jobs/{jobId}` `schedule.interval`,
 * Settings → Cycle interval): 20 minutes to 24 hours. Only the installation's default
 * (PROVISIO_CYCLE_INTERVAL_SECONDS) may be shorter, for tests and demonstrations.
 */
export const CYCLE_INTERVAL_LIMITS = { minSeconds: 20 * 60, maxSeconds: 24 * 3600 } as const;

/** A duration in words, as the portal and the API's messages say it: "40 minutes", "1 hour 30 minutes", "5 seconds". */
export function describeInterval(seconds: number): string {
  const parts: string[] = [];
  const unit = (n: number, word: string) => {
    if (n > 0) parts.push(`${n} ${word}${n === 1 ? '' : 's'}`);
  };
  unit(Math.floor(seconds / 3600), 'hour');
  unit(Math.floor((seconds % 3600) / 60), 'minute');
  unit(seconds % 60, 'second');
  return parts.join(' ') || '0 seconds';
}

export const synchronizationScheduleSchema = Type.Object({
  expiration: nullableString(),
  interval: Type.String({
    description:
      'ISO 8601 duration, e.g. PT40M, while provisioning is on; TimeSpan.MaxValue while it is off, as in Graph.',
  }),
  state: Type.Union([Type.Literal('Active'), Type.Literal('Disabled'), Type.Literal('Paused')]),
  /** Our addition: the time between cycles the job uses while provisioning is on, whatever its state. */
  cycleInterval: Type.String({ description: 'ISO 8601 duration, e.g. PT40M.' }),
});
export type SynchronizationSchedule = Static<typeof synchronizationScheduleSchema>;

export const synchronizationJobSchema = Type.Object({
  id: Type.String(),
  templateId: Type.String(),
  schedule: synchronizationScheduleSchema,
  status: synchronizationStatusSchema,
  synchronizationJobSettings: Type.Array(Type.Object({ name: Type.String(), value: Type.String() })),
});
export type SynchronizationJob = Static<typeof synchronizationJobSchema>;
export const synchronizationJobCollectionSchema = collectionOf(synchronizationJobSchema);

/**
 * `PATCH …/jobs/{jobId}` (an addition: Graph documents no write for them): job settings to set
 * (`DeleteThresholdEnabled`, `QuarantineTooManyDeletesThreshold`, `MaxConcurrentExports`, …); an
 * empty value removes a setting, so its default applies. Settings left out keep their value.
 * `schedule.interval` sets the time between cycles (an ISO 8601 duration from PT20M to PT24H).
 */
export const synchronizationJobPatchSchema = Type.Object(
  {
    synchronizationJobSettings: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            value: Type.String({ maxLength: 1000 }),
          },
          { additionalProperties: false },
        ),
        { maxItems: 50 },
      ),
    ),
    schedule: Type.Optional(
      Type.Object(
        { interval: Type.String({ maxLength: 100, description: 'ISO 8601 duration, e.g. PT40M.' }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type SynchronizationJobPatch = Static<typeof synchronizationJobPatchSchema>;

/** `POST …/jobs/{jobId}/sendTestNotification` (an addition): to whom the test email went. */
export const testNotificationResultSchema = Type.Object({ recipients: Type.Array(Type.String()) });
export type TestNotificationResult = Static<typeof testNotificationResultSchema>;

/** `GET /mail` (an addition): whether this installation can send email, and as whom. */
export const mailStatusSchema = Type.Object({
  configured: Type.Boolean(),
  from: Type.Union([Type.String(), Type.Null()]),
});
export type MailStatus = Static<typeof mailStatusSchema>;

export const synchronizationJobCreateSchema = Type.Object(
  {
    templateId: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'Use `scim` for a SCIM 2.0 application.',
    }),
  },
  { additionalProperties: false },
);
export type SynchronizationJobCreate = Static<typeof synchronizationJobCreateSchema>;

// ---- secrets and credentials ----

/** The secret keys Provisio understands (a subset of Graph's `synchronizationSecret`). */
export const SECRET_KEYS = [
  'BaseAddress',
  'SecretToken',
  'SyncAll',
  'SkipOutOfScopeDeletions',
  'SyncNotificationSettings',
] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];
/** Keys whose values are never returned by the API. */
export const SENSITIVE_SECRET_KEYS: readonly SecretKey[] = ['SecretToken'];

export const secretKeySchema = Type.Union(SECRET_KEYS.map((k) => Type.Literal(k)));
export const secretKeyValueSchema = Type.Object(
  { key: secretKeySchema, value: Type.String({ maxLength: 4096 }) },
  { additionalProperties: false },
);
export const secretsPutSchema = Type.Object(
  { value: Type.Array(secretKeyValueSchema, { maxItems: 20 }) },
  { additionalProperties: false },
);
export type SecretsPut = Static<typeof secretsPutSchema>;
/** Our addition: what is saved, with sensitive values withheld (`value: null`, `hasValue` tells whether one is set). */
export const secretsViewSchema = Type.Object({
  value: Type.Array(
    Type.Object({
      key: Type.String(),
      value: Type.Union([Type.String(), Type.Null()]),
      hasValue: Type.Boolean(),
    }),
  ),
});
export type SecretsView = Static<typeof secretsViewSchema>;

export const validateCredentialsSchema = Type.Object(
  {
    useSavedCredentials: Type.Optional(Type.Boolean()),
    credentials: Type.Optional(Type.Array(secretKeyValueSchema, { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type ValidateCredentials = Static<typeof validateCredentialsSchema>;

export const resetScopeValues = [
  'None',
  'ConnectorDataStore',
  'Escrows',
  'Watermark',
  'QuarantineState',
  'Full',
  'ForceDeletes',
] as const;
export const restartSchema = Type.Object(
  {
    criteria: Type.Optional(
      Type.Object(
        { resetScope: Type.Optional(Type.String({ maxLength: 200 })) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/**
 * `POST …/jobs/{jobId}/schema/restoreDefaults` (our addition): puts back the gallery template's
 * mappings, scoping filters and attribute lists. With `preview: true` nothing is changed: the answer
 * only lists what would change.
 */
export const restoreDefaultsRequestSchema = Type.Object(
  { preview: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type RestoreDefaultsRequest = Static<typeof restoreDefaultsRequestSchema>;

export const mappingChangeSchema = Type.Object({
  /** Added: in the template only; Removed: in the job only; Changed: in both, configured differently. */
  change: Type.Union([Type.Literal('Added'), Type.Literal('Removed'), Type.Literal('Changed')]),
  /** What changes, as the audit log names it: `<object mapping>: <target attribute>`, `Attribute list User: title`… */
  displayName: Type.String(),
  oldValue: Type.Union([Type.String(), Type.Null()]),
  newValue: Type.Union([Type.String(), Type.Null()]),
});
export type MappingChange = Static<typeof mappingChangeSchema>;

export const restoreDefaultsResultSchema = Type.Object({
  /** False for a preview, and when the job already has the template's mappings. */
  applied: Type.Boolean(),
  templateId: Type.String(),
  /** The schema version after the call (unchanged by a preview). */
  version: Type.String(),
  changes: Type.Array(mappingChangeSchema),
});
export type RestoreDefaultsResult = Static<typeof restoreDefaultsResultSchema>;
