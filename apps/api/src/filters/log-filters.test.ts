import { describe, expect, it } from 'vitest';
import { toAuditEventFilter, toProvisioningEventFilter } from './log-filters';
import { FilterError } from './odata-filter';

function failure(fn: () => unknown): FilterError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FilterError) return error;
    throw error;
  }
  throw new Error('expected a FilterError');
}

describe('toProvisioningEventFilter', () => {
  it.each<[string | undefined, object]>([
    [undefined, {}],
    ['', {}],
    ["provisioningAction eq 'create'", { actions: ['create'] }],
    ["provisioningStatusInfo/status eq 'failure'", { statuses: ['failure'] }],
    ["provisioningStatusInfo/status ne 'success'", { statuses: ['warning', 'failure', 'skipped'] }],
    [
      "(provisioningAction eq 'create' or provisioningAction eq 'update') and provisioningStatusInfo/status eq 'success'",
      { actions: ['create', 'update'], statuses: ['success'] },
    ],
    ["provisioningAction in ('disable', 'delete')", { actions: ['disable', 'delete'] }],
    ["provisioningAction eq 'Create'", { actions: ['create'] }],
    ["provisioningAction eq 'stageddelete'", { actions: ['stagedDelete'] }],
    [
      'activityDateTime gt 2026-11-01T00:00:00Z and activityDateTime le 2026-11-02',
      {
        time: [
          { op: 'gt', value: '2026-11-01T00:00:00.000Z' },
          { op: 'le', value: '2026-11-02T00:00:00.000Z' },
        ],
      },
    ],
    ["activityDateTime ge '2026-11-01'", { time: [{ op: 'ge', value: '2026-11-01T00:00:00.000Z' }] }],
    ["servicePrincipal/id eq 'sp1'", { servicePrincipalId: 'sp1' }],
    [
      "jobId eq 'scim.1' and cycleId eq 'c1' and changeId eq 'ch1'",
      { jobId: 'scim.1', cycleId: 'c1', changeId: 'ch1' },
    ],
    ["id eq 'e1' or id eq 'e2'", { ids: ['e1', 'e2'] }],
    ["sourceIdentity/id eq 'u1'", { sourceId: 'u1' }],
    ["targetIdentity/id eq 't1'", { targetId: 't1' }],
    // Provisio's ids compare without regard to case, the application's as given.
    [
      "sourceIdentity/id eq '0F8FAD5B-D9CB-469F-A165-70867728950E' and cycleId eq 'C1' and id in ('E1')",
      { sourceId: '0f8fad5b-d9cb-469f-a165-70867728950e', cycleId: 'c1', ids: ['e1'] },
    ],
    ["targetIdentity/id eq 'T1'", { targetId: 'T1' }],
    ["contains(sourceIdentity/displayName, 'Ada')", { identityContains: 'Ada' }],
    ["contains(tolower(targetIdentity/displayName), 'ada')", { identityContains: 'ada' }],
    ["jobid eq 'scim.1'", { jobId: 'scim.1' }],
    [
      'servicePrincipal/id eq 0F8FAD5B-D9CB-469F-A165-70867728950E',
      { servicePrincipalId: '0f8fad5b-d9cb-469f-a165-70867728950e' },
    ],
  ])('%j', (text, expected) => {
    expect(toProvisioningEventFilter(text)).toEqual({ filter: expected, matchesNothing: false });
  });

  it('sees contradictions as matching nothing', () => {
    expect(toProvisioningEventFilter("jobId eq 'a' and jobId eq 'b'").matchesNothing).toBe(true);
    expect(
      toProvisioningEventFilter("provisioningAction eq 'create' and provisioningAction eq 'update'")
        .matchesNothing,
    ).toBe(true);
    expect(toProvisioningEventFilter("jobId eq 'a' and jobId eq 'a'")).toEqual({
      filter: { jobId: 'a' },
      matchesNothing: false,
    });
  });

  it.each([
    ["foo eq 'x'", 1, "Unknown property 'foo'"],
    ["jobId eq 'x' and foo/bar eq 'y'", 18, 'Supported properties: provisioningStatusInfo/status'],
    ["provisioningAction eq 'create' or jobId eq 'x'", 35, "'or' across different properties"],
    ["(jobId eq 'a' and cycleId eq 'b') or jobId eq 'c'", 15, "'and' inside 'or'"],
    ["provisioningAction eq 'make'", 23, 'is not a value of provisioningAction'],
    ["provisioningAction gt 'create'", 23, 'only be compared with eq or ne'],
    ["jobId ne 'x'", 10, 'only be compared with eq'],
    ["activityDateTime gt 'soon'", 21, 'needs a date'],
    ['activityDateTime ne 2026-11-01', 21, 'cannot be compared with ne'],
    [
      'activityDateTime gt 2026-11-01 or activityDateTime lt 2026-10-01',
      1,
      'Only eq conditions can be joined',
    ],
    ["sourceIdentity/displayName eq 'Ada'", 31, "contains(sourceIdentity/displayName, 'text')"],
    ["contains(jobId, 'x')", 1, 'Compare jobId with eq instead'],
    ["startswith(sourceIdentity/displayName, 'x')", 1, 'is not supported'],
    ["targetResources/any(t: t/id eq 'x')", 1, 'any() on'],
    ['jobId eq 42', 10, 'text value in single quotes'],
  ])('rejects %j at position %i', (text, position, fragment) => {
    const error = failure(() => toProvisioningEventFilter(text));
    expect(error.position).toBe(position);
    expect(error.message).toContain(fragment);
  });

  it('accepts one text search only', () => {
    expect(
      failure(() =>
        toProvisioningEventFilter(
          "contains(sourceIdentity/displayName, 'a') and contains(targetIdentity/displayName, 'b')",
        ),
      ).message,
    ).toContain('one text');
  });
});

describe('toAuditEventFilter', () => {
  it.each<[string, object]>([
    ["category eq 'ProvisioningManagement'", { category: 'ProvisioningManagement' }],
    [
      "activityDisplayName eq 'Enable/start provisioning configuration'",
      { activity: 'Enable/start provisioning configuration' },
    ],
    ["targetResources/any(t: t/id eq 'sp1')", { targetId: 'sp1' }],
    [
      "targetResources/any(x:x/id eq 'sp1') and activityDateTime gt 2026-11-01",
      { targetId: 'sp1', time: [{ op: 'gt', value: '2026-11-01T00:00:00.000Z' }] },
    ],
    ["targetResources/any(t: t/displayName eq 'Contoso')", { targetName: 'Contoso' }],
    ["initiatedBy/user/displayName eq 'admin'", { initiatedBy: 'admin' }],
    ["initiatedBy/app/displayName eq 'CI (API token)'", { initiatedBy: 'CI (API token)' }],
    ["initiatedBy eq 'admin'", { initiatedBy: 'admin' }],
    [
      "loggedByService eq 'Account Provisioning' and result eq 'failure'",
      { service: 'Account Provisioning', result: 'failure' },
    ],
  ])('%j', (text, expected) => {
    expect(toAuditEventFilter(text)).toEqual({ filter: expected, matchesNothing: false });
  });

  it.each([
    [
      "initiatedBy/user/id eq 'x'",
      1,
      'Supported properties: activityDisplayName, category, activityDateTime, loggedByService, result, initiatedBy/user/displayName',
    ],
    ["targetResources/any(t: t/type eq 'x')", 24, "Unknown property 'targetResources/type'"],
    ["category eq 'A' or category eq 'B'", 1, 'takes one value'],
  ])('rejects %j', (text, position, fragment) => {
    const error = failure(() => toAuditEventFilter(text));
    expect(error.position).toBe(position);
    expect(error.message).toContain(fragment);
  });
});
