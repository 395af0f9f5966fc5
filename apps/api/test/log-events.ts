import type { ProvisioningAction, ProvisioningObjectSummary, ProvisioningResult } from '@provisio/contracts';

export const SP = 'sp-logs-1';
export const OTHER_SP = 'sp-logs-2';

/** A provisioning event as the worker writes it. */
export function event(
  i: number,
  over: {
    action?: ProvisioningAction;
    status?: ProvisioningResult;
    sp?: string;
    name?: string;
    cycleId?: string;
  } = {},
): ProvisioningObjectSummary {
  const name = over.name ?? `User ${String(i).padStart(3, '0')}`;
  return {
    id: `evt-${String(i).padStart(3, '0')}`,
    activityDateTime: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(),
    changeId: `change-${i}`,
    cycleId: over.cycleId ?? 'cycle-a',
    jobId: over.sp === OTHER_SP ? 'scim.other' : 'scim.logs',
    durationInMilliseconds: 12,
    initiatedBy: { id: '', displayName: 'Provisio Provisioning Service', initiatorType: 'system' },
    modifiedProperties: [{ displayName: 'displayName', oldValue: null, newValue: name }],
    provisioningAction: over.action ?? 'create',
    provisioningStatusInfo: {
      status: over.status ?? 'success',
      errorInformation:
        over.status === 'failure'
          ? {
              errorCode: 'SystemForCrossDomainIdentityManagementBadRequest',
              reason: 'Bad request',
              additionalDetails: null,
              errorCategory: 'nonServiceFailure',
              recommendedAction: 'Fix the mapping.',
            }
          : null,
    },
    provisioningSteps: [
      {
        name: 'EntryImport',
        provisioningStepType: 'import',
        status: 'success',
        description: `Received User '${name}'`,
        details: { ReportableIdentifier: name },
      },
    ],
    servicePrincipal: { id: over.sp ?? SP, displayName: 'Sample SCIM App' },
    sourceIdentity: { id: `user-${i}`, displayName: name, identityType: 'User', details: {} },
    targetIdentity: {
      id: `target-${i}`,
      displayName: name,
      identityType: 'urn:ietf:params:scim:schemas:core:2.0:User',
      details: {},
    },
    sourceSystem: { id: 'provisio', displayName: 'Provisio Directory', details: {} },
    targetSystem: {
      id: 'scim',
      displayName: 'Sample SCIM App',
      details: { ServicePrincipalId: over.sp ?? SP },
    },
    tenantId: 'provisio',
  };
}
