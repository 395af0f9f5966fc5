import { DEFAULT_ACCESS_ROLE_ID, type ServicePrincipal } from '@provisio/contracts';

/** The role an assignment grants, named as the Entra portal names the role-less one. */
export function roleName(app: ServicePrincipal, appRoleId: string): string {
  if (appRoleId === DEFAULT_ACCESS_ROLE_ID) return 'Default Access';
  return app.appRoles.find((role) => role.id === appRoleId)?.displayName ?? appRoleId;
}
