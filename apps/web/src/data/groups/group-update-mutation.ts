import type { Group, GroupUpdate } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { groupKeys } from './keys';

export function useGroupUpdateMutation() {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: ({ group, patch }: { group: Group; patch: GroupUpdate }) =>
      api.patch(`${GRAPH}/groups/${encodeURIComponent(group.id)}`, patch),
    onSuccess: async (_r, { group }) => {
      notify.success(`Saved group ${group.displayName}`);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: groupKeys.detail(group.id) }),
        queryClient.invalidateQueries({ queryKey: groupKeys.lists() }),
      ]);
    },
    onError: (error) => notify.error('Could not save the group', error),
  });
}
