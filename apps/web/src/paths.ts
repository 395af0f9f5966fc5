/** Links into the route table of `routes.tsx`, so pages never spell paths by hand. */
export type ApplicationSection =
  '' | 'users-and-groups' | 'app-roles' | 'provisioning' | 'provisioning-logs' | 'audit-logs';

/** What Explain is asked about: a directory user (the default) or group. */
export type ExplainObjectType = 'user' | 'group';

export const paths = {
  home: '/',
  signIn: '/sign-in',
  users: '/users',
  /** One user's page: properties, groups, assignments, provisioning events. */
  user: (userId: string) => `/users/${encodeURIComponent(userId)}`,
  /** Bulk create, update and delete of users, and the results of past bulk operations. */
  bulkOperations: (kind?: 'create' | 'update' | 'delete') =>
    kind ? `/users/bulk-operations?kind=${kind}` : '/users/bulk-operations',
  bulkOperation: (operationId: string) => `/users/bulk-operations/${encodeURIComponent(operationId)}`,
  /** Deleted users (the recycle bin), restorable until their permanent deletion date. */
  deletedUsers: '/deleted-users',
  /** Directory extension attributes: defined here, carried by users, read by mappings. */
  extensionAttributes: '/extension-attributes',
  groups: '/groups',
  group: (groupId: string) => `/groups/${encodeURIComponent(groupId)}`,
  applications: '/applications',
  /** New application: the gallery, browsed by category and searched. */
  gallery: '/applications/gallery',
  /** One template of the gallery: features, tutorial, Create. */
  galleryTemplate: (templateId: string) => `/applications/gallery/${encodeURIComponent(templateId)}`,
  /** The setup tutorial of the template an application was created from. */
  setupTutorial: (servicePrincipalId: string) =>
    `/applications/${encodeURIComponent(servicePrincipalId)}/provisioning/tutorial`,
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
  /**
   * Explain: whether the next cycle of the application's job will provision a user or group, and
   * why not; without an object, the page offers a picker.
   */
  explain: (servicePrincipalId: string, object?: { id: string; type?: ExplainObjectType }) => {
    const base = `/applications/${encodeURIComponent(servicePrincipalId)}/provisioning/explain`;
    if (!object) return base;
    const query = new URLSearchParams({ objectId: object.id });
    if (object.type === 'group') query.set('objectType', 'group');
    return `${base}?${query.toString()}`;
  },
  provisioningLogs: '/provisioning-logs',
  /** Every provisioning event of one source object across cycles and applications. */
  objectTimeline: (objectId: string) => `/provisioning-logs/objects/${encodeURIComponent(objectId)}`,
  /** The provisioning logs with one event's details drawer open. */
  provisioningEvent: (eventId: string) => `/provisioning-logs?event=${encodeURIComponent(eventId)}`,
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
