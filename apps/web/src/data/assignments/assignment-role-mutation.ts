import type { AppRoleAssignment, AppRoleAssignmentUpdate } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { assignmentsPath } from './assignments-query';
import { assignmentKeys } from './keys';

/** Gives one assignment another app role; the next cycle sends the new role. */
export function useAssignmentRoleMutation(servicePrincipalId: string) {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: ({ assignmentId, body }: { assignmentId: string; body: AppRoleAssignmentUpdate }) =>
      api.patch<AppRoleAssignment>(
        `${assignmentsPath(servicePrincipalId)}/${encodeURIComponent(assignmentId)}`,
        body,
      ),
    onSuccess: (updated) => notify.success(`Changed the role of ${updated.principalDisplayName}`),
    onError: (error) => notify.error('Could not change the role', error),
    onSettled: () => queryClient.invalidateQueries({ queryKey: assignmentKeys.list(servicePrincipalId) }),
  });
}
