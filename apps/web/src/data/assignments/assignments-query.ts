import type { AppRoleAssignment, Collection } from '@provisio/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { assignmentKeys } from './keys';

export const assignmentsPath = (servicePrincipalId: string) =>
  `${GRAPH}/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/appRoleAssignedTo`;

/**
 * Every assignment of an application. All pages are read because the add dialog
 * must know who is already assigned.
 */
export const assignmentsQueryOptions = (servicePrincipalId: string) =>
  queryOptions({
    queryKey: assignmentKeys.list(servicePrincipalId),
    queryFn: async ({ signal }) => {
      const all: AppRoleAssignment[] = [];
      let nextLink: string | null = null;
      do {
        const page: Collection<AppRoleAssignment> = await api.page<AppRoleAssignment>(
          assignmentsPath(servicePrincipalId),
          {},
          nextLink,
          signal,
        );
        all.push(...page.value);
        nextLink = page['@odata.nextLink'] ?? null;
      } while (nextLink);
      return all;
    },
  });

export const useAssignmentsQuery = (servicePrincipalId: string) =>
  useQuery(assignmentsQueryOptions(servicePrincipalId));
