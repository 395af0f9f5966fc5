import { describe, expect, it } from 'vitest';
import type { ProvisioningObjectSummary } from '@provisio/contracts';
import { toOnDemandEventValue, toOnDemandKeyValue } from './on-demand-result';

const event = (
  status: 'success' | 'skipped' | 'failure',
  over: Partial<ProvisioningObjectSummary> = {},
): ProvisioningObjectSummary => ({
  id: 'e1',
  activityDateTime: '2026-01-01T10:00:00.000Z',
  changeId: 'change-1',
  cycleId: 'request-1',
  jobId: 'scim.1',
  durationInMilliseconds: 250,
  initiatedBy: { id: 'a1', displayName: 'admin (Provision on demand)', initiatorType: 'user' },
  modifiedProperties: [{ displayName: 'displayName', oldValue: null, newValue: 'Bill Bob' }],
  provisioningAction: status === 'success' ? 'create' : 'other',
  provisioningStatusInfo: {
    status,
    errorInformation:
      status === 'success'
        ? null
        : {
            errorCode: status === 'skipped' ? 'RedundantExport' : 'DuplicateTargetEntries',
            reason: 'The state of the user in both the source and target systems already match.',
            additionalDetails: null,
            errorCategory: status === 'skipped' ? 'success' : 'nonServiceFailure',
            recommendedAction: null,
          },
  },
  provisioningSteps: [
    {
      name: 'EntryImport',
      provisioningStepType: 'import',
      status: 'success',
      description: "Retrieved User 'BillBob@contoso.com' from Provisio Directory",
      details: { userPrincipalName: 'BillBob@contoso.com' },
    },
  ],
  servicePrincipal: { id: 'sp1', displayName: 'App' },
  sourceIdentity: { id: 'u1', displayName: 'Bill Bob', identityType: 'User', details: {} },
  targetIdentity: { id: 't1', displayName: 'BillBob@contoso.com', identityType: 'User', details: {} },
  sourceSystem: { id: 'Provisio', displayName: 'Provisio Directory', details: {} },
  targetSystem: { id: 'scim.1', displayName: 'App', details: {} },
  tenantId: '',
  ...over,
});

describe('toOnDemandKeyValue', () => {
  it('a success: result Success with empty details, the value one event in Graph’s on-demand shape', () => {
    const { key, value } = toOnDemandKeyValue([event('success')]);
    expect(JSON.parse(key)).toEqual({ result: 'Success', details: {} });
    expect(JSON.parse(value)).toMatchObject({
      action: 'Create',
      changeId: 'change-1',
      startTime: '2026-01-01T10:00:00.000Z',
      endTime: '2026-01-01T10:00:00.250Z',
      reportableIdentifier: 'BillBob@contoso.com',
      modifiedProperties: [{ displayName: 'displayName', oldValue: null, newValue: 'Bill Bob' }],
      provisioningSteps: [
        { name: 'EntryImport', type: 'Import', status: 'Success', timestamp: '2026-01-01T10:00:00.000Z' },
      ],
      statusInfo: { status: 'Success', errorCode: null },
    });
  });

  it('a skip names its code and message; several events make an array and the worst result wins', () => {
    const skipped = toOnDemandKeyValue([event('skipped')]);
    expect(JSON.parse(skipped.key)).toEqual({
      result: 'Skipped',
      details: {
        errorCode: 'RedundantExport',
        errorMessage: 'The state of the user in both the source and target systems already match.',
      },
    });
    expect(toOnDemandEventValue(event('skipped')).statusInfo).toMatchObject({
      status: 'Skipped',
      errorCode: 'RedundantExport',
      errorCategory: 'Success',
    });
    const many = toOnDemandKeyValue([event('success'), event('failure'), event('skipped')]);
    expect(JSON.parse(many.key).result).toBe('Failure');
    expect(JSON.parse(many.value)).toHaveLength(3);
  });

  it("at the same status, the group asked for gives the result, not a member's event before it", () => {
    const member = event('skipped');
    const group = event('skipped', {
      sourceIdentity: { id: 'g1', displayName: 'People Team', identityType: 'Group', details: {} },
      provisioningStatusInfo: {
        status: 'skipped',
        errorInformation: {
          errorCode: 'NotEffectivelyEntitled',
          reason: "The Group 'People Team' is not assigned to the application.",
          additionalDetails: null,
          errorCategory: 'success',
          recommendedAction: null,
        },
      },
    });
    expect(JSON.parse(toOnDemandKeyValue([member, group], ['g1']).key).details).toEqual({
      errorCode: 'NotEffectivelyEntitled',
      errorMessage: "The Group 'People Team' is not assigned to the application.",
    });
    // A worse status of a member still wins.
    expect(JSON.parse(toOnDemandKeyValue([event('failure'), group], ['g1']).key).result).toBe('Failure');
  });
});
