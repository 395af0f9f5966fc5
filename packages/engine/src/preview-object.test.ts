import { describe, expect, it } from 'vitest';
import type { DesiredValues, MatchingValue } from './attribute-mappings';
import type { ObjectActionPlan } from './plan-object-action';
import { previewObject } from './preview-object';
import { buildProvisioningEvent, type ProvisioningEventInput } from './provisioning-event';
import { deletionGuardAuditEvent } from './quarantine-policy';
import { compileScopeFilter, evaluateScope, type ScopeResult } from './scoping';
import { buildUserSourceView } from './source-view';
import { ENTERPRISE, user } from './test-fixtures';

const u = user();
const entitlement = { appRoleId: 'r', via: 'User' as const };
const scopeOf = (e: typeof entitlement | null): ScopeResult =>
  evaluateScope({
    view: buildUserSourceView(u, { entitlement: e }),
    accountEnabled: true,
    softDeleted: false,
    entitlement: e,
    syncAll: false,
    scope: compileScopeFilter(null).scope,
  });
const inScope = scopeOf(entitlement);
const unassigned = scopeOf(null);
const matchingValues: MatchingValue[] = [
  { targetAttributeName: 'userName', value: u.userPrincipalName, redacted: false },
];
const values: DesiredValues = {
  userName: { value: u.userPrincipalName, redacted: false, flowType: 'Always' },
  title: { value: 'Lead', redacted: false, flowType: 'Always' },
};
const found = {
  kind: 'one' as const,
  targetId: 't-9',
  resource: { id: 't-9', userName: u.userPrincipalName },
  via: { kind: 'link' as const },
};

/** The event a cycle would write for this plan, with nothing exported (as a preview builds it). */
function planned(plan: ObjectActionPlan, over: Partial<ProvisioningEventInput> = {}) {
  const input: ProvisioningEventInput = {
    id: 'e-1',
    changeId: 'c-1',
    cycleId: 'p-1',
    jobId: 'scim.job1',
    activityDateTime: '2026-01-15T10:00:00.000Z',
    durationInMilliseconds: 1,
    servicePrincipal: { id: 'sp-1', displayName: 'Contoso' },
    targetObjectName: ENTERPRISE,
    source: { id: u.id, displayName: u.displayName, reportableIdentifier: u.userPrincipalName, view: null },
    scope: inScope,
    lookup: 'byLink',
    match: found,
    matchingValues,
    plan,
    outcome: null,
    ...over,
  };
  return { event: buildProvisioningEvent(input), plan, scope: input.scope ?? null, lookupFailed: false };
}

describe('previewObject', () => {
  it.each([
    {
      name: 'a creation lists every value, old empty',
      input: planned(
        { kind: 'create', values },
        {
          lookup: 'byMatchingAttributes',
          match: { kind: 'none', tried: [{ attribute: 'userName', value: u.userPrincipalName }] },
        },
      ),
      action: 'create',
      reason: /No matching User was found in Contoso: the User would be created in Contoso\./,
      changes: [
        { displayName: 'userName', oldValue: null, newValue: u.userPrincipalName },
        { displayName: 'title', oldValue: null, newValue: 'Lead' },
      ],
    },
    {
      name: 'an update names the attributes that differ, old → new',
      input: planned({
        kind: 'update',
        targetId: 't-9',
        values,
        changes: [{ path: 'title', oldValue: 'Engineer', newValue: 'Lead' }],
      }),
      action: 'update',
      reason: /^1 attribute differs from Contoso: title\.$/,
      changes: [{ displayName: 'title', oldValue: 'Engineer', newValue: 'Lead' }],
    },
    {
      name: 'a disable says why the user leaves',
      input: planned(
        {
          kind: 'disable',
          targetId: 't-9',
          changes: [{ path: 'active', oldValue: 'True', newValue: 'False' }],
        },
        { scope: unassigned },
      ),
      action: 'disable',
      reason: /^It is not assigned to the application.*: the User would be disabled in Contoso\.$/,
      changes: [{ displayName: 'active', oldValue: 'True', newValue: 'False' }],
    },
    {
      name: 'a delete of an object gone from the directory',
      input: planned({ kind: 'delete', targetId: 't-9' }, { scope: null }),
      action: 'delete',
      reason: /^It was deleted from the directory: the User would be deleted from Contoso\.$/,
      changes: [],
    },
    {
      name: 'a held removal is staged, with the threshold’s reason',
      input: planned(
        {
          kind: 'skip',
          reason: 'StagedDelete',
          status: 'skipped',
          targetId: 't-9',
          note: null,
          connectorState: null,
        },
        { scope: unassigned },
      ),
      action: 'staged',
      reason: /./,
      changes: [],
    },
    {
      name: 'an unchanged user is a skip with the skip’s explanation',
      input: planned({
        kind: 'skip',
        reason: 'RedundantExport',
        status: 'skipped',
        targetId: 't-9',
        note: null,
        connectorState: null,
      }),
      action: 'skip',
      reason: /./,
      changes: [],
    },
  ])('$name', ({ input, action, reason, changes }) => {
    const shown = previewObject(input);
    expect(shown?.action).toBe(action);
    expect(shown?.reason).toMatch(reason);
    expect(shown?.modifiedProperties).toEqual(changes);
    expect(shown?.sourceIdentity).toEqual({ id: u.id, displayName: u.displayName, identityType: 'User' });
  });

  it('a lookup that failed is failed; a hard-deleted object never provisioned is not shown', () => {
    const failed = planned(
      { kind: 'none' },
      {
        lookupFailure: {
          disposition: 'escrow',
          errorCode: 'SystemForCrossDomainIdentityManagementServiceIncompatible',
          reason: 'The application answered 500.',
          errorCategory: 'failure',
          recommendedAction: 'Wait.',
          retryAfterMs: null,
        },
      },
    );
    expect(previewObject({ ...failed, lookupFailed: true })).toMatchObject({
      action: 'failed',
      reason: 'The application answered 500.',
    });
    expect(previewObject(planned({ kind: 'none' }, { scope: null }))).toBeNull();
  });
});

describe('deletionGuardAuditEvent', () => {
  const base = {
    id: 'a-1',
    time: new Date('2026-01-15T10:00:00Z'),
    cycleId: 'cy-1',
    jobId: 'scim.job1',
    servicePrincipal: { id: 'sp-1', displayName: 'Contoso' },
    threshold: 500,
  };
  it('says how many removals were held against which threshold, and what to do', () => {
    const e = deletionGuardAuditEvent({ ...base, kind: 'thresholdExceeded', removals: 612 });
    expect(e.activityDisplayName).toBe('Accidental deletion threshold exceeded');
    expect(e.resultReason).toContain(
      'would remove 612 objects from Contoso, more than the accidental deletion threshold of 500',
    );
    expect(e.resultReason).toContain('Allow deletes');
    expect(e.initiatedBy.app?.displayName).toBeTruthy();
  });
  it('says how many held removals were carried out', () => {
    const e = deletionGuardAuditEvent({ ...base, kind: 'deletesAllowed', removals: 612 });
    expect(e.activityDisplayName).toBe('Held deletions allowed');
    expect(e.additionalDetails).toContainEqual({ key: 'RemovalsCarriedOut', value: '612' });
  });
});
