import type { Group } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { groupKeys } from './keys';

export function useGroupDeleteMutation() {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: (group: Group) => api.delete(`${GRAPH}/groups/${encodeURIComponent(group.id)}`),
    onSuccess: async (_r, group) => {
      notify.success(`Deleted group ${group.displayName}`);
      queryClient.removeQueries({ queryKey: groupKeys.detail(group.id) });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: groupKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: groupKeys.count() }),
      ]);
    },
    onError: (error) => notify.error('Could not delete the group', error),
  });
}
