import type { AppRoleAssignment, Collection, Group } from '@provisio/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { userKeys } from './keys';

const userPath = (id: string) => `${GRAPH}/users/${encodeURIComponent(id)}`;

/** Under the user's detail key, so whatever invalidates the user refreshes these too. */
export const userRelationKeys = {
  memberOf: (id: string) => [...userKeys.detail(id), 'memberOf'] as const,
  appRoleAssignments: (id: string) => [...userKeys.detail(id), 'appRoleAssignments'] as const,
};

/** The groups a user is a direct member of. */
export const userMemberOfQueryOptions = (id: string) =>
  queryOptions({
    queryKey: userRelationKeys.memberOf(id),
    queryFn: async ({ signal }) =>
      (await api.get<Collection<Group>>(`${userPath(id)}/memberOf`, undefined, signal)).value,
  });

/** The applications a user is assigned to directly. */
export const userAssignmentsQueryOptions = (id: string) =>
  queryOptions({
    queryKey: userRelationKeys.appRoleAssignments(id),
    queryFn: async ({ signal }) =>
      (await api.get<Collection<AppRoleAssignment>>(`${userPath(id)}/appRoleAssignments`, undefined, signal))
        .value,
  });

export const useUserMemberOfQuery = (id: string, enabled = true) =>
  useQuery({ ...userMemberOfQueryOptions(id), enabled: enabled && Boolean(id) });
export const useUserAssignmentsQuery = (id: string, enabled = true) =>
  useQuery({ ...userAssignmentsQueryOptions(id), enabled: enabled && Boolean(id) });
