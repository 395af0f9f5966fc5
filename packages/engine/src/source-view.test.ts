import { describe, expect, it } from 'vitest';
import { buildUserSourceView, readSourceAttribute, sourceViewDetails, withScopeOutcome } from './source-view';
import { user } from './test-fixtures';

const roles = [
  { id: '00000000-0000-0000-0000-000000000000', displayName: 'User', value: null },
  { id: 'r-admin', displayName: 'Administrator', value: 'Admin' },
];

describe('buildUserSourceView', () => {
  it('exposes the directory attributes under their source names, booleans as "True"/"False"', () => {
    const view = buildUserSourceView(user({ managerId: 'm-1' }), {
      entitlement: { appRoleId: 'r-admin', via: 'User' },
      appRoles: roles,
    });
    expect(view).toMatchObject({
      objectId: 'u-1',
      userPrincipalName: 'adele@contoso.com',
      displayName: 'Adele Vance',
      givenName: 'Adele',
      surname: 'Vance',
      mail: 'adele@contoso.com',
      mailNickname: 'adele',
      department: 'Sales',
      jobTitle: 'Retail Manager',
      employeeId: '1001',
      accountEnabled: 'True',
      IsSoftDeleted: 'False',
      manager: 'm-1',
      appRoleAssignments: ['Admin'],
    });
  });

  it.each([
    { name: 'enabled, not deleted', over: {}, expected: 'False' },
    { name: 'disabled', over: { accountEnabled: false }, expected: 'True' },
    { name: 'in the recycle bin', over: { deletedDateTime: '2026-01-01T00:00:00Z' }, expected: 'True' },
  ])('IsSoftDeleted reflects the user own state: $name', ({ over, expected }) => {
    expect(buildUserSourceView(user(over), { entitlement: null }).IsSoftDeleted).toBe(expected);
  });

  it.each([
    { entitlement: null, expected: [] },
    {
      entitlement: { appRoleId: '00000000-0000-0000-0000-000000000000', via: 'Group' as const },
      expected: ['User'],
    },
    { entitlement: { appRoleId: 'unknown-role', via: 'User' as const }, expected: ['unknown-role'] },
  ])('appRoleAssignments names the entitling role ($expected)', ({ entitlement, expected }) => {
    expect(buildUserSourceView(user(), { entitlement, appRoles: roles }).appRoleAssignments).toEqual(
      expected,
    );
  });

  it('adds extension attributes without letting them shadow built-in ones', () => {
    const view = buildUserSourceView(
      user({ extensionAttributes: { costCenter: 'CC-7', department: 'Hijack' } }),
      { entitlement: null },
    );
    expect(view.costCenter).toBe('CC-7');
    expect(view.department).toBe('Sales');
  });

  it('reads typed extension attributes as mappings compare them: Booleans as "True"/"False"', () => {
    const ext = 'extension_0123456789abcdef0123456789abcdef_';
    const view = buildUserSourceView(
      user({
        extensionAttributes: {
          [`${ext}isContractor`]: true,
          [`${ext}level`]: 7,
          [`${ext}badges`]: ['a', 'b'],
          [`${ext}flags`]: [false],
        },
      }),
      { entitlement: null },
    );
    expect(view[`${ext}isContractor`]).toBe('True');
    expect(view[`${ext}level`]).toBe(7);
    expect(view[`${ext}badges`]).toEqual(['a', 'b']);
    expect(view[`${ext}flags`]).toEqual(['False']);
  });
});

describe('readSourceAttribute', () => {
  const view = buildUserSourceView(user(), { entitlement: null });
  it.each([
    ['department', 'Sales'],
    ['isSoftDeleted', 'False'],
    ['USERPRINCIPALNAME', 'adele@contoso.com'],
    ['unknownAttribute', undefined],
  ])('%s → %s', (name, expected) => {
    expect(readSourceAttribute(view, name)).toBe(expected);
  });
});

describe('withScopeOutcome and sourceViewDetails', () => {
  it('sets IsSoftDeleted from the scope and leaves out empty values in details', () => {
    const view = withScopeOutcome(buildUserSourceView(user({ department: null }), { entitlement: null }), {
      inScope: false,
    });
    expect(view.IsSoftDeleted).toBe('True');
    const details = sourceViewDetails(view);
    expect(details.department).toBeUndefined();
    expect(details.appRoleAssignments).toBeUndefined();
    expect(details.userPrincipalName).toBe('adele@contoso.com');
  });
});
