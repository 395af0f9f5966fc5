import type { User } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { deletedUserKeys } from '../deleted-users/keys';
import { userKeys } from './keys';

/** Delete: the user moves to Deleted users (restorable); the next cycle disables its accounts. */
export function useUserDeleteMutation() {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: async (user: User) => {
      await api.delete(`${GRAPH}/users/${encodeURIComponent(user.id)}`);
      return user;
    },
    onSuccess: (user) => notify.success(`Deleted ${user.displayName}: it can be restored from Deleted users`),
    onError: (error) => notify.error('Could not delete the user', error),
    onSettled: (_data, _error, user) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: userKeys.detail(user.id) }),
        queryClient.invalidateQueries({ queryKey: userKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: userKeys.count() }),
        queryClient.invalidateQueries({ queryKey: deletedUserKeys.all }),
      ]),
  });
}
