import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { assignmentsPath } from './assignments-query';
import { assignmentKeys } from './keys';

/** Removes the selected assignments; the next cycle disables the accounts they entitled. */
export function useAssignmentDeleteMutation(servicePrincipalId: string) {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: async (assignmentIds: string[]) => {
      for (const id of assignmentIds) {
        await api.delete(`${assignmentsPath(servicePrincipalId)}/${encodeURIComponent(id)}`);
      }
      return assignmentIds.length;
    },
    onSuccess: (count) =>
      notify.success(count === 1 ? '1 assignment removed' : `${count} assignments removed`),
    onError: (error) => notify.error('Could not remove the assignment', error),
    onSettled: () => queryClient.invalidateQueries({ queryKey: assignmentKeys.list(servicePrincipalId) }),
  });
}
