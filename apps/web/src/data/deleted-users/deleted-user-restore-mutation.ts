import type { DeletedUser, User } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { userKeys } from '../users/keys';
import { deletedUserKeys } from './keys';

/** Restore: the user is back in Users as it was; the next cycle enables its accounts again. */
export function useDeletedUserRestoreMutation() {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: (user: DeletedUser) =>
      api.post<User>(`${GRAPH}/directory/deletedItems/${encodeURIComponent(user.id)}/restore`),
    onSuccess: (user) => notify.success(`Restored ${user.displayName}`),
    onError: (error) => notify.error('Could not restore the user', error),
    onSettled: (_data, _error, user) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: deletedUserKeys.all }),
        queryClient.invalidateQueries({ queryKey: userKeys.detail(user.id) }),
        queryClient.invalidateQueries({ queryKey: userKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: userKeys.count() }),
      ]),
  });
}
