import type { Group, GroupCreate } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { groupKeys } from './keys';

export function useGroupCreateMutation() {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: (body: GroupCreate) => api.post<Group>(`${GRAPH}/groups`, body),
    onSuccess: async (group) => {
      notify.success(`Created group ${group.displayName}`);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: groupKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: groupKeys.count() }),
      ]);
    },
    onError: (error) => notify.error('Could not create the group', error),
  });
}
