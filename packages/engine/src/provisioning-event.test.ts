import { describe, expect, it } from 'vitest';
import type { DesiredValues, MatchingValue } from './attribute-mappings';
import { classifyFailure } from './classify-failure';
import type { MatchOutcome, ObjectActionPlan } from './plan-object-action';
import {
  buildProvisioningEvent,
  withReferenceSteps,
  type ProvisioningEventInput,
} from './provisioning-event';
import { emptyTally, tallyObject, tallyOfEvent } from './cycle-summary';
import { compileScopeFilter, evaluateScope } from './scoping';
import { buildUserSourceView, withScopeOutcome } from './source-view';
import { ENTERPRISE, user } from './test-fixtures';

const u = user();
const entitlement = { appRoleId: 'r', via: 'User' as const };
const inScope = evaluateScope({
  view: buildUserSourceView(u, { entitlement }),
  accountEnabled: true,
  softDeleted: false,
  entitlement,
  syncAll: false,
  scope: compileScopeFilter(null).scope,
});
const unassigned = evaluateScope({
  view: buildUserSourceView(u, { entitlement: null }),
  accountEnabled: true,
  softDeleted: false,
  entitlement: null,
  syncAll: false,
  scope: compileScopeFilter(null).scope,
});
const matchingValues: MatchingValue[] = [
  { targetAttributeName: 'userName', value: u.userPrincipalName, redacted: false },
];
const values: DesiredValues = {
  userName: { value: u.userPrincipalName, redacted: false, flowType: 'Always' },
  active: { value: 'True', redacted: false, flowType: 'Always' },
  externalId: { value: 'secret-1001', redacted: true, flowType: 'Always' },
};

const input = (over: Partial<ProvisioningEventInput>): ProvisioningEventInput => ({
  id: 'e-1',
  changeId: 'c-1',
  cycleId: 'cy-1',
  jobId: 'scim.job1',
  activityDateTime: '2026-01-15T10:00:00.000Z',
  durationInMilliseconds: 12.4,
  servicePrincipal: { id: 'sp-1', displayName: 'Contoso' },
  targetObjectName: ENTERPRISE,
  source: {
    id: u.id,
    displayName: u.displayName,
    reportableIdentifier: u.userPrincipalName,
    view: withScopeOutcome(buildUserSourceView(u, { entitlement }), inScope),
  },
  scope: inScope,
  lookup: 'byMatchingAttributes',
  match: { kind: 'none', tried: [{ attribute: 'userName', value: u.userPrincipalName }] },
  matchingValues,
  plan: { kind: 'create', values },
  outcome: { kind: 'success', targetId: 't-9' },
  exportExchanges: [
    {
      method: 'POST',
      url: 'http://app/scim/v2/Users',
      requestBody: { userName: u.userPrincipalName, externalId: 'secret-1001' },
      status: 201,
      durationMs: 5,
    },
  ],
  ...over,
});

describe('buildProvisioningEvent', () => {
  it('a creation: Entra step names, modified properties with redaction, identities and systems', () => {
    const e = buildProvisioningEvent(input({}));
    expect(e).toMatchObject({
      id: 'e-1',
      changeId: 'c-1',
      cycleId: 'cy-1',
      jobId: 'scim.job1',
      durationInMilliseconds: 12,
      provisioningAction: 'create',
      provisioningStatusInfo: { status: 'success', errorInformation: null },
      initiatedBy: { displayName: 'Provisio Provisioning Service', initiatorType: 'system' },
      servicePrincipal: { id: 'sp-1', displayName: 'Contoso' },
      sourceSystem: { displayName: 'Provisio Directory' },
      targetSystem: { displayName: 'Contoso' },
      sourceIdentity: { id: 'u-1', displayName: 'Adele Vance', identityType: 'User' },
      targetIdentity: { id: 't-9', displayName: 'adele@contoso.com' },
    });
    expect(e.provisioningSteps.map((s) => [s.name, s.provisioningStepType, s.status, s.description])).toEqual(
      [
        ['EntryImport', 'import', 'success', "Retrieved User 'adele@contoso.com' from Provisio Directory"],
        ['EntrySynchronizationScoping', 'scoping', 'success', expect.stringContaining('in scope')],
        ['EntryImport', 'matching', 'success', 'No matching User was found in Contoso'],
        ['EntryExportAdd', 'export', 'success', "User 'adele@contoso.com' was created in Contoso"],
      ],
    );
    expect(e.provisioningSteps[0]?.details.userPrincipalName).toBe('adele@contoso.com');
    expect(e.provisioningSteps[1]?.details.IsEffectivelyEntitledForProvisioning).toBe('True');
    expect(e.modifiedProperties).toEqual([
      { displayName: 'userName', oldValue: null, newValue: 'adele@contoso.com' },
      { displayName: 'active', oldValue: null, newValue: 'True' },
      { displayName: 'externalId', oldValue: null, newValue: '[Redact]' },
    ]);
    const exportStep = e.provisioningSteps[3]!;
    expect(exportStep.details.Request).toBe('POST http://app/scim/v2/Users');
    expect(exportStep.details.RequestBody).not.toContain('secret-1001');
    expect(exportStep.details.RequestBody).toContain('[Redact]');
  });

  it('the request body is logged as sent when nothing is redacted, and serialized again with its secrets redacted', () => {
    const sent = '{"userName":"adele@contoso.com", "externalId":"secret-1001"}';
    const exchange = {
      method: 'POST',
      url: 'http://app/scim/v2/Users',
      requestBody: { userName: u.userPrincipalName, externalId: 'secret-1001' },
      requestText: sent,
      status: 201,
      durationMs: 5,
    };
    const redacting = buildProvisioningEvent(input({ exportExchanges: [exchange] }));
    expect(redacting.provisioningSteps[3]?.details.RequestBody).toBe(
      '{"userName":"adele@contoso.com","externalId":"[Redact]"}',
    );
    const plain: DesiredValues = Object.fromEntries(
      Object.entries(values).map(([path, v]) => [path, { ...v, redacted: false }]),
    );
    const e = buildProvisioningEvent(
      input({ plan: { kind: 'create', values: plain }, exportExchanges: [exchange] }),
    );
    expect(e.provisioningSteps[3]?.details.RequestBody).toBe(sent);
  });

  it('an update shows old → new and the matched target', () => {
    const match: MatchOutcome = {
      kind: 'one',
      targetId: 't-9',
      resource: { id: 't-9', userName: u.userPrincipalName, [ENTERPRISE]: { department: 'Finance' } },
      via: { kind: 'link' },
    };
    const plan: ObjectActionPlan = {
      kind: 'update',
      targetId: 't-9',
      changes: [{ path: `${ENTERPRISE}:department`, oldValue: 'Finance', newValue: 'Sales' }],
      values: { [`${ENTERPRISE}:department`]: { value: 'Sales', redacted: false, flowType: 'Always' } },
    };
    const e = buildProvisioningEvent(input({ lookup: 'byLink', match, plan }));
    expect(e.provisioningAction).toBe('update');
    expect(e.modifiedProperties).toEqual([
      { displayName: `${ENTERPRISE}:department`, oldValue: 'Finance', newValue: 'Sales' },
    ]);
    expect(e.provisioningSteps[2]).toMatchObject({
      description: "Retrieved 'adele@contoso.com' from Contoso",
      details: { id: 't-9', [`${ENTERPRISE}:department`]: 'Finance' },
    });
    expect(e.provisioningSteps[3]?.name).toBe('EntryExportUpdate');
  });

  it('a disable is EntryExportUpdateSoftDelete', () => {
    const e = buildProvisioningEvent(
      input({
        scope: unassigned,
        match: { kind: 'one', targetId: 't-9', resource: { id: 't-9', active: true }, via: { kind: 'link' } },
        plan: {
          kind: 'disable',
          targetId: 't-9',
          changes: [{ path: 'active', oldValue: true, newValue: 'False' }],
        },
      }),
    );
    expect(e.provisioningAction).toBe('disable');
    expect(e.provisioningSteps.at(-1)).toMatchObject({
      name: 'EntryExportUpdateSoftDelete',
      description: "User 'adele@contoso.com' was disabled in Contoso",
    });
    expect(e.modifiedProperties).toEqual([{ displayName: 'active', oldValue: 'True', newValue: 'False' }]);
  });

  it('a skip explains the reason and what to do', () => {
    const e = buildProvisioningEvent(
      input({
        scope: unassigned,
        lookup: 'none',
        match: { kind: 'notLooked' },
        plan: {
          kind: 'skip',
          reason: 'NotEffectivelyEntitled',
          status: 'skipped',
          targetId: null,
          note: null,
          connectorState: null,
        },
        outcome: null,
      }),
    );
    expect(e.provisioningAction).toBe('other');
    expect(e.provisioningStatusInfo.status).toBe('skipped');
    expect(e.provisioningStatusInfo.errorInformation).toMatchObject({
      errorCode: 'NotEffectivelyEntitled',
      reason: expect.stringContaining('not assigned'),
      recommendedAction: expect.stringContaining('Sync all users and groups'),
    });
    expect(e.provisioningSteps.map((s) => s.name)).toEqual([
      'EntryImport',
      'EntrySynchronizationScoping',
      'EntrySynchronizationSkip',
    ]);
    expect(e.provisioningSteps.at(-1)?.details.SkipReason).toBe('NotEffectivelyEntitled');
    expect(e.modifiedProperties).toEqual([]);
  });

  it('a failed export carries the classified error', () => {
    const decision = classifyFailure(
      { kind: 'conflict', status: 409, code: 'EntryConflict', message: 'Contoso said 409' },
      { operation: 'create', attempt: 1, appName: 'Contoso' },
    );
    const e = buildProvisioningEvent(input({ outcome: { kind: 'failure', decision } }));
    expect(e.provisioningAction).toBe('create');
    expect(e.provisioningStatusInfo).toMatchObject({
      status: 'failure',
      errorInformation: { errorCode: 'EntryConflict', reason: 'Contoso said 409' },
    });
    expect(e.provisioningSteps.at(-1)).toMatchObject({
      name: 'EntryExportAdd',
      status: 'failure',
      description: "Failed to create User 'adele@contoso.com' in Contoso",
    });
  });

  it('a duplicate match is a failure naming the accounts', () => {
    const e = buildProvisioningEvent(
      input({
        match: { kind: 'many', attribute: 'userName', value: u.userPrincipalName, targetIds: ['t-1', 't-2'] },
        plan: {
          kind: 'skip',
          reason: 'DuplicateTargetEntries',
          status: 'failure',
          targetId: null,
          note: null,
          connectorState: null,
        },
        outcome: null,
      }),
    );
    expect(e.provisioningStatusInfo.status).toBe('failure');
    expect(e.provisioningStatusInfo.errorInformation?.errorCode).toBe('DuplicateTargetEntries');
    expect(e.provisioningStatusInfo.errorInformation?.reason).toContain('t-1, t-2');
  });

  it('an object deleted for good is named in the target as it was exported, or not at all', () => {
    const deleted = (reportableIdentifier: string) =>
      buildProvisioningEvent(
        input({
          source: { id: 'g-1', displayName: reportableIdentifier, reportableIdentifier, view: null },
          scope: null,
          lookup: 'none',
          match: { kind: 'notLooked' },
          plan: { kind: 'delete', targetId: 't-7' },
          outcome: { kind: 'success', targetId: 't-7' },
        }),
      ).targetIdentity;
    expect(deleted('Engineering')).toMatchObject({ id: 't-7', displayName: 'Engineering' });
    // Never exported by name: the directory id is not the target's name.
    expect(deleted('g-1')).toMatchObject({ id: 't-7', displayName: '' });
  });

  it('a group in scope that holds nested groups warns that they are not expanded, and names them', () => {
    const group = (nestedGroups: ProvisioningEventInput['nestedGroups'], scope = inScope) =>
      buildProvisioningEvent(
        input({
          objectType: 'Group',
          source: { id: 'g-1', displayName: 'Engineering', reportableIdentifier: 'Engineering', view: null },
          scope,
          ...(nestedGroups ? { nestedGroups } : {}),
        }),
      );
    const step = (e: ReturnType<typeof group>) =>
      e.provisioningSteps.find((s) => s.name === 'NestedGroupsNotExpanded');
    expect(step(group([{ id: 'g-2', displayName: 'Leads' }]))).toEqual({
      name: 'NestedGroupsNotExpanded',
      provisioningStepType: 'processing',
      status: 'warning',
      description:
        "The Group 'Engineering' holds a nested group in Provisio Directory ('Leads'). Nested groups are not " +
        'expanded: its members are not members of the group in Contoso. Add those users to the group directly, ' +
        'or assign the nested group to Contoso to provision it as a group of its own.',
      details: { NestedGroups: 'Leads', NestedGroupIds: 'g-2' },
    });
    const two = group([
      { id: 'g-2', displayName: 'Leads' },
      { id: 'g-3', displayName: 'Contractors' },
    ]);
    expect(step(two)?.description).toContain(
      "holds 2 nested groups in Provisio Directory ('Leads', 'Contractors')",
    );
    expect(step(two)?.description).toContain('their members are not members of the group');
    // A success that warns is a warning (the log's status filter finds it), still counted as done.
    expect(two.provisioningStatusInfo.status).toBe('warning');
    expect(two.modifiedProperties).toEqual(group([]).modifiedProperties);
    expect(tallyOfEvent(two)).toEqual(tallyOfEvent(group([])));
    expect(group([]).provisioningStatusInfo.status).toBe('success');
    expect(step(group([]))).toBeUndefined();
    expect(step(group(undefined))).toBeUndefined();
    // Out of scope, the group is not provisioned: its nested groups do not matter.
    expect(step(group([{ id: 'g-2', displayName: 'Leads' }], unassigned))).toBeUndefined();
  });
});

describe('tallyOfEvent', () => {
  // What a resumed cycle counts from an event must be what the run that wrote it counted.
  const skipPlan = (reason: 'RedundantExport' | 'NotEffectivelyEntitled'): ObjectActionPlan => ({
    kind: 'skip',
    reason,
    status: 'skipped',
    targetId: null,
    note: null,
    connectorState: null,
  });
  it.each([
    ['a creation', {}],
    [
      'an update',
      {
        plan: {
          kind: 'update' as const,
          targetId: 't-9',
          changes: [{ path: 'active', oldValue: 'False', newValue: 'True' }],
          values,
        },
      },
    ],
    [
      'a disable',
      {
        scope: unassigned,
        plan: { kind: 'disable' as const, targetId: 't-9', changes: [] },
        exportExchanges: [
          { method: 'PATCH', url: 'http://app/scim/v2/Users/t-9', status: 204, durationMs: 3 },
        ],
      },
    ],
    ['an account that already matches', { plan: skipPlan('RedundantExport'), exportExchanges: [] }],
    [
      'an unassigned user',
      { scope: unassigned, plan: skipPlan('NotEffectivelyEntitled'), exportExchanges: [] },
    ],
    [
      'a failed creation',
      {
        outcome: {
          kind: 'failure' as const,
          decision: classifyFailure(
            { kind: 'conflict', status: 409 },
            { operation: 'create', attempt: 1, appName: 'A' },
          ),
        },
      },
    ],
  ])('%s', (_, over: Partial<ProvisioningEventInput>) => {
    const i = input(over);
    const counted = emptyTally();
    tallyObject(counted, {
      scope: i.scope,
      plan: i.plan,
      outcome: i.outcome,
      requests: (i.exportExchanges ?? []).filter((x) => x.method !== 'GET').length,
    });
    expect(tallyOfEvent(buildProvisioningEvent(i))).toEqual(counted);
  });
});

describe('withReferenceSteps', () => {
  const waiting = {
    attribute: `${ENTERPRISE}:manager`,
    referenced: { objectType: 'User', id: 'u-9', name: 'dan@contoso.com' },
    targetId: null,
    pending: true,
  };

  it('tells a waiting reference in a creation’s event, before its export, once however often it is added', () => {
    const created = buildProvisioningEvent(input({}));
    const once = withReferenceSteps(created, [waiting], 'User', 'ada@contoso.com');
    const twice = withReferenceSteps(once, [waiting], 'User', 'ada@contoso.com');
    for (const e of [once, twice]) {
      expect(e.provisioningSteps.map((s) => s.provisioningStepType)).toEqual([
        'import',
        'scoping',
        'matching',
        'referenceResolution',
        'export',
      ]);
    }
    expect(twice.provisioningSteps[3]).toMatchObject({
      status: 'skipped',
      details: { Attribute: waiting.attribute, ReferencedObjectId: 'u-9' },
    });
    expect(twice.provisioningSteps[3]?.description).toContain(
      "of the User 'ada@contoso.com' is User 'dan@contoso.com'",
    );
    expect({ ...twice, provisioningSteps: [] }).toEqual({ ...created, provisioningSteps: [] });
  });
});
