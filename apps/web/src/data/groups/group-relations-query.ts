import type { AppRoleAssignment, Collection, Group } from '@provisio/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { groupKeys } from './keys';

const groupPath = (id: string) => `${GRAPH}/groups/${encodeURIComponent(id)}`;

/** Under the group's detail key, so whatever invalidates the group refreshes these too. */
export const groupRelationKeys = {
  memberGroups: (id: string) => [...groupKeys.detail(id), 'memberGroups'] as const,
  appRoleAssignments: (id: string) => [...groupKeys.detail(id), 'appRoleAssignments'] as const,
};

/** Groups nested in the group (direct members that are groups). */
export const useGroupMemberGroupsQuery = (id: string) =>
  useQuery(
    queryOptions({
      queryKey: groupRelationKeys.memberGroups(id),
      queryFn: async ({ signal }) =>
        (
          await api.get<Collection<Group>>(
            `${groupPath(id)}/members/microsoft.graph.group`,
            undefined,
            signal,
          )
        ).value,
    }),
  );

/** The applications the group is assigned to. */
export const useGroupAssignmentsQuery = (id: string) =>
  useQuery(
    queryOptions({
      queryKey: groupRelationKeys.appRoleAssignments(id),
      queryFn: async ({ signal }) =>
        (
          await api.get<Collection<AppRoleAssignment>>(
            `${groupPath(id)}/appRoleAssignments`,
            undefined,
            signal,
          )
        ).value,
    }),
  );
