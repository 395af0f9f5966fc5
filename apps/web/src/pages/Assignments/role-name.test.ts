import { DEFAULT_ACCESS_ROLE_ID, type ServicePrincipal } from '@provisio/contracts';
import { describe, expect, it } from 'vitest';
import { roleName } from './role-name';

const role = (id: string, displayName: string, isEnabled = true) => ({
  id,
  displayName,
  value: displayName,
  description: '',
  allowedMemberTypes: ['User'],
  isEnabled,
});
const app = {
  appRoles: [
    role(DEFAULT_ACCESS_ROLE_ID, 'User'),
    role('6f1c2a7e-3b9d-4c1e-9a55-0d2f8b7c4e11', 'Editor'),
    role('b2e4f6a8-1c3d-4e5f-8a9b-0c1d2e3f4a5b', 'Auditor', false),
  ],
} as unknown as ServicePrincipal;

describe('roleName', () => {
  it.each([
    [DEFAULT_ACCESS_ROLE_ID, 'Default Access'],
    ['6F1C2A7E-3B9D-4C1E-9A55-0D2F8B7C4E11', 'Editor'],
    ['b2e4f6a8-1c3d-4e5f-8a9b-0c1d2e3f4a5b', 'Auditor (disabled): reassign'],
    ['c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f', 'Removed role: reassign'],
  ])('%s → %s', (id, name) => {
    expect(roleName(app, id)).toBe(name);
  });
});
