/** Links into the route table of `routes.tsx`, so pages never spell paths by hand. */
export type ApplicationSection =
  '' | 'users-and-groups' | 'provisioning' | 'provisioning-logs' | 'audit-logs';

export const paths = {
  home: '/',
  signIn: '/sign-in',
  users: '/users',
  groups: '/groups',
  group: (groupId: string) => `/groups/${encodeURIComponent(groupId)}`,
  applications: '/applications',
  application: (servicePrincipalId: string, section: ApplicationSection = '') =>
    `/applications/${encodeURIComponent(servicePrincipalId)}${section ? `/${section}` : ''}`,
  /** The Attribute Mapping page of the n-th object mapping (in schema order) of the application's job. */
  attributeMapping: (servicePrincipalId: string, mappingIndex: number) =>
    `/applications/${encodeURIComponent(servicePrincipalId)}/provisioning/mappings/${mappingIndex}`,
  /** Provision on demand of the application's job. */
  provisionOnDemand: (servicePrincipalId: string) =>
    `/applications/${encodeURIComponent(servicePrincipalId)}/provisioning/on-demand`,
  /** One preview of the next cycle of the application's job. */
  preview: (servicePrincipalId: string, previewId: string) =>
    `/applications/${encodeURIComponent(servicePrincipalId)}/provisioning/previews/${encodeURIComponent(previewId)}`,
  provisioningLogs: '/provisioning-logs',
  auditLogs: '/audit-logs',
  accounts: '/accounts',
  tokens: '/tokens',
};

/** Only same-app paths are followed after sign-in, never another origin (`//evil.example`). */
export function safeReturnTo(value: string | null): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\'))
    return paths.home;
  return value;
}

/** A route `handle`: what an application's sub-page is called in its title ("Contoso | Provisioning"). */
export interface ApplicationSectionHandle {
  section: string;
}
