import { DEFAULT_ACCESS_ROLE_ID, type ServicePrincipal } from '@provisio/contracts';

/**
 * The role an assignment grants, named as the Entra portal names the role-less one. A role that
 * was disabled or removed since says so: such an assignment entitles no one until it is redone.
 */
export function roleName(app: ServicePrincipal, appRoleId: string): string {
  const id = appRoleId.toLowerCase();
  const role = app.appRoles.find((r) => r.id.toLowerCase() === id);
  if (id === DEFAULT_ACCESS_ROLE_ID && (!role || role.isEnabled)) return 'Default Access';
  if (!role) return 'Removed role: reassign';
  return role.isEnabled ? role.displayName : `${role.displayName} (disabled): reassign`;
}
