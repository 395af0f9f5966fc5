import { compileExpression } from '@provisio/expressions';
import { describe, expect, it } from 'vitest';
import {
  appRoleFlowOf,
  roleChange,
  rolesInTarget,
  sameRoles,
  SCIM_ROLE_TYPE,
  toScimRoles,
} from './app-role-values';
import { toScimResource, diffAttributes } from './scim-resource';

const admin = { id: '6f1c2a7e-3b9d-4c1e-9a55-0d2f8b7c4e11', displayName: 'Administrator', value: 'Admin' };
const reader = { id: 'b2e4f6a8-1c3d-4e5f-8a9b-0c1d2e3f4a5b', displayName: 'Reader', value: null };

describe('appRoleFlowOf', () => {
  it.each([
    ['SingleAppRoleAssignment([appRoleAssignments])', 'SingleAppRoleAssignment'],
    ['AppRoleAssignmentsComplex([appRoleAssignments])', 'AppRoleAssignmentsComplex'],
    ['AssertiveAppRoleAssignmentsComplex([appRoleAssignments])', 'AssertiveAppRoleAssignmentsComplex'],
    ['Join(",", AppRoleAssignments([appRoleAssignments]))', null],
    ['[mail]', null],
  ])('%s → %s', (text, flow) => {
    expect(appRoleFlowOf(compileExpression(text))).toBe(flow);
  });
});

describe('create: the roles of a POST', () => {
  it('single: one primary role, as Entra sends it', () => {
    expect(toScimRoles('SingleAppRoleAssignment', 'Admin')).toEqual([
      { primary: true, type: SCIM_ROLE_TYPE, value: 'Admin' },
    ]);
    expect(
      toScimResource(
        { userName: 'a@x.io', roles: 'Admin' },
        'User',
        {},
        { roles: 'SingleAppRoleAssignment' },
      ),
    ).toMatchObject({ roles: [{ primary: true, type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' }] });
  });

  it('complex: every role, none primary', () => {
    expect(toScimRoles('AppRoleAssignmentsComplex', ['Admin', 'Reader'])).toEqual([
      { primary: false, type: SCIM_ROLE_TYPE, value: 'Admin' },
      { primary: false, type: SCIM_ROLE_TYPE, value: 'Reader' },
    ]);
  });
});

describe('update: comparing and the PATCH operation', () => {
  const heldAfterSingle = [
    { value: JSON.stringify({ id: admin.id, value: 'Admin', displayName: 'Administrator' }) },
  ];
  const heldAfterCreate = [{ primary: true, type: SCIM_ROLE_TYPE, value: 'Admin' }];

  it('reads role names from created entries and from the JSON strings of single-flow updates', () => {
    expect(rolesInTarget(heldAfterCreate)).toEqual(['Admin']);
    expect(rolesInTarget(heldAfterSingle)).toEqual(['Admin']);
    expect(rolesInTarget(undefined)).toEqual([]);
  });

  it.each([
    ['SingleAppRoleAssignment', 'admin', heldAfterSingle, true],
    ['SingleAppRoleAssignment', 'Reader', heldAfterCreate, false],
    ['AppRoleAssignmentsComplex', ['Admin'], [...heldAfterCreate, { value: 'Reader' }], true],
    ['AssertiveAppRoleAssignmentsComplex', ['Admin'], [...heldAfterCreate, { value: 'Reader' }], false],
    [
      'AssertiveAppRoleAssignmentsComplex',
      ['Reader', 'Admin'],
      [{ value: 'admin' }, { value: 'reader' }],
      true,
    ],
  ] as const)('%s wants %j, target holds %j → same: %s', (flow, desired, current, same) => {
    expect(sameRoles(flow, desired as never, current)).toBe(same);
    expect(diffAttributes({ roles: desired as never }, { roles: current }, {}, { roles: flow })).toHaveLength(
      same ? 0 : 1,
    );
  });

  it('single: Add with the role as a JSON string of id, value and displayName', () => {
    expect(roleChange('SingleAppRoleAssignment', 'roles', 'Admin', [admin, reader])).toEqual({
      path: 'roles',
      op: 'add',
      value: [{ value: JSON.stringify({ id: admin.id, value: 'Admin', displayName: 'Administrator' }) }],
    });
    // A role without a value is named by its display name.
    expect(roleChange('SingleAppRoleAssignment', 'roles', 'Reader', [admin, reader]).value).toEqual([
      { value: JSON.stringify({ id: reader.id, value: 'Reader', displayName: 'Reader' }) },
    ]);
  });

  it('complex: Add; assertive: replace, with every role not primary', () => {
    const entries = [
      { primary: false, type: SCIM_ROLE_TYPE, value: 'Admin' },
      { primary: false, type: SCIM_ROLE_TYPE, value: 'Reader' },
    ];
    expect(roleChange('AppRoleAssignmentsComplex', 'roles', ['Admin', 'Reader'], [])).toEqual({
      path: 'roles',
      op: 'add',
      value: entries,
    });
    expect(roleChange('AssertiveAppRoleAssignmentsComplex', 'roles', ['Admin', 'Reader'], [])).toEqual({
      path: 'roles',
      op: 'replace',
      value: entries,
    });
  });
});
