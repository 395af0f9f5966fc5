import { Type, type Static } from 'typebox';

/** How much a finding of a target check matters: `error` will make provisioning fail, `warning` may. */
export const targetCheckSeverityValues = ['error', 'warning', 'info'] as const;
export type TargetCheckSeverity = (typeof targetCheckSeverityValues)[number];

/** One thing a target check found out about the application's SCIM endpoint, with the fix. */
export const targetCheckFindingSchema = Type.Object({
  id: Type.String({ description: 'A stable name of the check, e.g. `filter.userName` or `patch.entra`.' }),
  severity: Type.Union([Type.Literal('error'), Type.Literal('warning'), Type.Literal('info')]),
  title: Type.String(),
  detail: Type.String({ description: 'What was sent and what the application answered.' }),
  fix: Type.String({ description: 'What to change, in the application or in Provisio; empty when nothing.' }),
});
export type TargetCheckFinding = Static<typeof targetCheckFindingSchema>;

/**
 * A target conformance check (an addition to Graph): read-only and clearly marked test requests
 * against the application's SCIM endpoint, and what they showed. Kept with the provisioning job.
 */
export const targetCheckSchema = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('running'), Type.Literal('completed'), Type.Literal('failed')]),
  startedDateTime: Type.String({ format: 'date-time' }),
  completedDateTime: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  initiatedBy: Type.Object({ id: Type.String(), userName: Type.String() }),
  /** The Tenant URL the check ran against (never the Secret Token). */
  tenantUrl: Type.String(),
  summary: Type.Object({
    errors: Type.Integer(),
    warnings: Type.Integer(),
    infos: Type.Integer(),
    requests: Type.Integer({ description: 'Requests sent to the application.' }),
    durationMs: Type.Integer(),
  }),
  findings: Type.Array(targetCheckFindingSchema),
});
export type TargetCheck = Static<typeof targetCheckSchema>;
