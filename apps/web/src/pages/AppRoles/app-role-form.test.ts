import { describe, expect, it } from 'vitest';
import { choiceOf, formValuesOf, newRoleId, roleOf, roleProblems } from './app-role-form';

describe('the app role form', () => {
  it('makes GUID ids', () => {
    expect(newRoleId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('turns the fields into the role the API takes (empty value → null, member types from the choice)', () => {
    const values = { ...formValuesOf(null), displayName: ' Admin ', value: '', members: 'Both' as const };
    expect(roleOf('id-1', values)).toEqual({
      id: 'id-1',
      displayName: 'Admin',
      value: null,
      description: '',
      allowedMemberTypes: ['User', 'Application'],
      isEnabled: true,
    });
    expect(choiceOf(['Application'])).toBe('Application');
  });

  it('says what the API would refuse: spaces in a value, a value already taken, no name', () => {
    const other = {
      id: 'x',
      displayName: 'Reader',
      value: 'reader',
      description: '',
      allowedMemberTypes: ['User'],
      isEnabled: true,
    };
    const role = (displayName: string, value: string) =>
      roleOf('id', { ...formValuesOf(null), displayName, value });
    expect(roleProblems(role('Admin', 'Admin'), [other])).toEqual({});
    expect(roleProblems(role('Admin', 'page admin'), [other]).value).toMatch(/may not contain spaces/);
    expect(roleProblems(role('Admin', 'Reader'), [other]).value).toMatch(/already has the value Reader/);
    expect(roleProblems(role('', 'x'), []).displayName).toMatch(/Enter a display name/);
  });
});
