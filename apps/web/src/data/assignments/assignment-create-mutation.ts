import type { AppRoleAssignment, AppRoleAssignmentCreate } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { assignmentsPath } from './assignments-query';
import { assignmentKeys } from './keys';

/** Assigns several users and groups with one role; stops at the first refusal so the message names it. */
export function useAssignmentCreateMutation(servicePrincipalId: string) {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: async (input: { principalIds: string[]; appRoleId?: string | undefined }) => {
      const created: AppRoleAssignment[] = [];
      for (const principalId of input.principalIds) {
        const body: AppRoleAssignmentCreate = { principalId, resourceId: servicePrincipalId };
        if (input.appRoleId) body.appRoleId = input.appRoleId;
        created.push(await api.post<AppRoleAssignment>(assignmentsPath(servicePrincipalId), body));
      }
      return created;
    },
    onSuccess: (created) =>
      notify.success(
        created.length === 1 ? '1 assignment added' : `${created.length} assignments added`,
        created.map((a) => a.principalDisplayName).join(', '),
      ),
    onError: (error) => notify.error('Could not add the assignment', error),
    // Refetch even after a partial failure: the ones before the refusal were assigned.
    onSettled: () => queryClient.invalidateQueries({ queryKey: assignmentKeys.list(servicePrincipalId) }),
  });
}
