export const servicePrincipalKeys = {
  all: ['servicePrincipals'] as const,
  lists: () => [...servicePrincipalKeys.all, 'list'] as const,
  list: (search: string) => [...servicePrincipalKeys.lists(), { search }] as const,
  count: () => [...servicePrincipalKeys.all, 'count'] as const,
  detail: (id: string) => [...servicePrincipalKeys.all, 'detail', id] as const,
};
