import { Type, type Static } from 'typebox';
import {
  jobActivitySchema,
  synchronizationStatusCodeSchema,
  synchronizationTaskExecutionSchema,
} from './synchronization';

/**
 * One reason an application needs attention (our addition). `fix` says where it is fixed:
 * `provisioning` — the application's Provisioning page (credentials, quarantine, Restart);
 * `failures` — its provisioning logs narrowed to failures.
 */
export const provisioningHealthIssueSchema = Type.Object({
  kind: Type.Union([
    Type.Literal('credentials'),
    Type.Literal('quarantine'),
    Type.Literal('cycleFailed'),
    Type.Literal('escrow'),
  ]),
  severity: Type.Union([Type.Literal('error'), Type.Literal('warning')]),
  reason: Type.String(),
  recommendedAction: Type.String(),
  fix: Type.Union([Type.Literal('provisioning'), Type.Literal('failures')]),
});
export type ProvisioningHealthIssue = Static<typeof provisioningHealthIssueSchema>;

/** The provisioning of one application at a glance: what it does now, how its last cycle went, what needs attention. */
export const provisioningHealthApplicationSchema = Type.Object({
  servicePrincipal: Type.Object({ id: Type.String(), displayName: Type.String() }),
  jobId: Type.String(),
  statusCode: synchronizationStatusCodeSchema,
  scheduleState: Type.Union([Type.Literal('Active'), Type.Literal('Disabled'), Type.Literal('Paused')]),
  activity: jobActivitySchema,
  queuedDateTime: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  nextCycleDateTime: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** The running cycle's progress (Graph's synchronizationProgress), null when none is known. */
  progress: Type.Union([
    Type.Object({ completedUnits: Type.Integer(), totalUnits: Type.Integer(), units: Type.String() }),
    Type.Null(),
  ]),
  lastExecution: Type.Union([
    Type.Pick(synchronizationTaskExecutionSchema, ['activityIdentifier', 'state', 'timeEnded', 'cycleKind']),
    Type.Null(),
  ]),
  countEscrowed: Type.Integer({ minimum: 0 }),
  /** Worst first; empty when the application is healthy. */
  issues: Type.Array(provisioningHealthIssueSchema),
});
export type ProvisioningHealthApplication = Static<typeof provisioningHealthApplicationSchema>;

/** `GET /provisioningHealth` (our addition): every application with a provisioning job, by name. */
export const provisioningHealthSchema = Type.Object({
  generatedDateTime: Type.String({ format: 'date-time' }),
  /** How many of `value` have at least one issue. */
  needsAttention: Type.Integer({ minimum: 0 }),
  value: Type.Array(provisioningHealthApplicationSchema),
});
export type ProvisioningHealth = Static<typeof provisioningHealthSchema>;
