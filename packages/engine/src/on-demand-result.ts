import type { ProvisioningObjectSummary, ProvisioningStep } from '@provisio/contracts';

const cap = (s: string): string => (s ? `${s[0]?.toUpperCase()}${s.slice(1)}` : s);

/** Graph's on-demand step types are the log's step types with a capital (`Import`, `Matching`). */
function stepOf(step: ProvisioningStep, timestamp: string) {
  return {
    name: step.name,
    type: cap(step.provisioningStepType),
    status: cap(step.status),
    description: step.description,
    timestamp,
    details: step.details,
  };
}

/**
 * One provisioning event in the shape Graph's `provisionOnDemand` puts in the `value` of its answer
 * (`action`, `changeId`, `startTime`, `endTime`, `provisioningSteps[{name,type,status,…}]`,
 * `statusInfo`, …).
 */
export function toOnDemandEventValue(event: ProvisioningObjectSummary) {
  const error = event.provisioningStatusInfo.errorInformation;
  const importStep = event.provisioningSteps.find((s) => s.provisioningStepType === 'import');
  const reportable =
    importStep?.details.userPrincipalName ??
    event.provisioningSteps.find((s) => s.details.ReportableIdentifier)?.details.ReportableIdentifier ??
    event.sourceIdentity.displayName;
  const start = event.activityDateTime;
  const end = new Date(Date.parse(start) + event.durationInMilliseconds).toISOString();
  return {
    action: cap(event.provisioningAction),
    changeId: event.changeId,
    cycleId: event.cycleId,
    startTime: start,
    endTime: end,
    modifiedProperties: event.modifiedProperties.map((p) => ({ ...p })),
    provisioningSteps: event.provisioningSteps.map((s) => stepOf(s, start)),
    reportableIdentifier: reportable,
    statusInfo: {
      '@odata.type': error ? '#microsoft.graph.statusDetails' : '#microsoft.graph.statusBase',
      status: cap(event.provisioningStatusInfo.status),
      errorCode: error?.errorCode ?? null,
      reason: error?.reason ?? null,
      additionalDetails: error?.additionalDetails ?? null,
      errorCategory: error ? cap(error.errorCategory) : null,
      recommendedAction: error?.recommendedAction ?? null,
    },
    sourceIdentity: {
      '@odata.type': '#microsoft.graph.provisionedIdentity',
      details: {},
      displayName: event.sourceIdentity.displayName,
      id: event.sourceIdentity.id,
      identityType: event.sourceIdentity.identityType,
    },
    sourceSystem: { displayName: event.sourceSystem.displayName, id: event.sourceSystem.id, details: {} },
    targetIdentity: {
      '@odata.type': '#microsoft.graph.provisionedIdentity',
      details: {},
      displayName: event.targetIdentity.displayName,
      id: event.targetIdentity.id,
      identityType: event.targetIdentity.identityType,
    },
    targetSystem: { displayName: event.targetSystem.displayName, id: event.targetSystem.id, details: {} },
  };
}

/**
 * The `key` and `value` of Graph's `provisionOnDemand` answer (a `stringKeyStringValuePair`): the key
 * is the JSON of the overall result (`{"result":"Skipped","details":{"errorCode":…,"errorMessage":…}}`),
 * the value the JSON of the event — or of an array of events when several subjects were asked for.
 * The result is the worst of the events': Failure over Skipped over Success; at the same status, the
 * event of an object asked for over a member's given with it.
 *
 * @example toOnDemandKeyValue([createdEvent]).key === '{"result":"Success","details":{}}'
 */
export function toOnDemandKeyValue(
  events: readonly ProvisioningObjectSummary[],
  /** The objects asked for (a group, not the members given with it): theirs win a tie. */
  subjectIds: readonly string[] = [],
): {
  key: string;
  value: string;
} {
  const status = { failure: 3, warning: 2, skipped: 1, success: 0 } as const;
  const rank = (e: ProvisioningObjectSummary) =>
    status[e.provisioningStatusInfo.status] * 2 + (subjectIds.includes(e.sourceIdentity.id) ? 1 : 0);
  let worst: ProvisioningObjectSummary | null = null;
  for (const e of events) if (!worst || rank(e) > rank(worst)) worst = e;
  const error = worst?.provisioningStatusInfo.errorInformation ?? null;
  const key = {
    result: cap(worst?.provisioningStatusInfo.status ?? 'success'),
    details:
      worst && worst.provisioningStatusInfo.status !== 'success' && error
        ? { errorCode: error.errorCode, errorMessage: error.reason }
        : {},
  };
  const values = events.map(toOnDemandEventValue);
  return { key: JSON.stringify(key), value: JSON.stringify(values.length === 1 ? values[0] : values) };
}
