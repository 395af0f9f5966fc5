import type { DeletedUser } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { userKeys } from '../users/keys';
import { deletedUserKeys } from './keys';

/** Delete permanently: the user is gone; the next cycle deletes its accounts where the Delete action is on. */
export function useDeletedUserDeleteMutation() {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: async (user: DeletedUser) => {
      await api.delete(`${GRAPH}/directory/deletedItems/${encodeURIComponent(user.id)}`);
      return user;
    },
    onSuccess: (user) => {
      queryClient.removeQueries({ queryKey: userKeys.detail(user.id) });
      notify.success(`Deleted ${user.displayName} permanently`);
    },
    onError: (error) => notify.error('Could not delete the user permanently', error),
    onSettled: () => queryClient.invalidateQueries({ queryKey: deletedUserKeys.all }),
  });
}
