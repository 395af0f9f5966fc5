import { Type, type Static } from 'typebox';
import { cycleSchema } from './cycles';

export const logSummaryRangeSchema = Type.Union(
  [Type.Literal('24h'), Type.Literal('7d'), Type.Literal('30d')],
  { description: 'The period summed up: 24h (hourly buckets), 7d or 30d (daily buckets, UTC).' },
);
export type LogSummaryRange = Static<typeof logSummaryRangeSchema>;

/** The periods the provisioning log summary covers, as the log's date filter names them. */
export const LOG_SUMMARY_RANGES: readonly LogSummaryRange[] = ['24h', '7d', '30d'];

/** How long logs are kept when PROVISIO_PROVISIONING_LOG_DAYS or PROVISIO_AUDIT_LOG_DAYS says nothing, as in Entra. */
export const DEFAULT_LOG_RETENTION_DAYS = 30;

/** `GET /auditLogs/provisioning/summary` (our addition to Graph). */
export const provisioningLogSummaryQuerySchema = Type.Object({
  range: Type.Optional(logSummaryRangeSchema),
  servicePrincipalId: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: "One application's events and cycles; every application's when absent.",
    }),
  ),
});
export type ProvisioningLogSummaryQuery = Static<typeof provisioningLogSummaryQuerySchema>;

const count = Type.Integer({ minimum: 0 });

/** How many provisioning events of each status one period holds. */
export const logStatusCountsSchema = Type.Object({
  success: count,
  skipped: count,
  failure: count,
  warning: count,
});
export type LogStatusCounts = Static<typeof logStatusCountsSchema>;

/** One hour or one day of the summary: the events that began in it, by status. */
export const logSummaryBucketSchema = Type.Object({
  start: Type.String({ format: 'date-time', description: 'The first instant of the bucket (UTC).' }),
  counts: logStatusCountsSchema,
});
export type LogSummaryBucket = Static<typeof logSummaryBucketSchema>;

/** A cycle with how long it took, and whose it was. */
export const logSummaryCycleSchema = Type.Object({
  id: cycleSchema.properties.id,
  jobId: Type.String(),
  servicePrincipal: Type.Object({ id: Type.String(), displayName: Type.String() }),
  kind: cycleSchema.properties.kind,
  state: cycleSchema.properties.state,
  beganAt: cycleSchema.properties.beganAt,
  endedAt: cycleSchema.properties.endedAt,
  durationInMilliseconds: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
    description: 'Null while the cycle runs.',
  }),
});
export type LogSummaryCycle = Static<typeof logSummaryCycleSchema>;

/** How far back one log goes: its retention period and its oldest kept event. */
export const logRetentionSchema = Type.Object({
  days: Type.Integer({ minimum: 1, description: 'Events older than this many days are removed.' }),
  oldestEventDateTime: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'When the oldest event kept happened; null when the log is empty.',
  }),
});
export type LogRetention = Static<typeof logRetentionSchema>;

/**
 * The provisioning log at a glance (our addition to Graph): events per hour or day by status, the
 * last cycles with their durations, and how far back the provisioning and audit logs go.
 */
export const provisioningLogSummarySchema = Type.Object({
  range: logSummaryRangeSchema,
  interval: Type.Union([Type.Literal('PT1H'), Type.Literal('P1D')], {
    description: 'The length of each bucket (ISO 8601).',
  }),
  from: Type.String({ format: 'date-time', description: 'The first bucket’s start.' }),
  to: Type.String({ format: 'date-time', description: 'The end of the last bucket.' }),
  buckets: Type.Array(logSummaryBucketSchema, { description: 'Oldest first, one per hour or day.' }),
  totals: logStatusCountsSchema,
  cycles: Type.Array(logSummaryCycleSchema, {
    description: 'The last 20 cycles (of the application, or of every application), newest first.',
  }),
  retention: Type.Object({ provisioning: logRetentionSchema, audit: logRetentionSchema }),
});
export type ProvisioningLogSummary = Static<typeof provisioningLogSummarySchema>;
