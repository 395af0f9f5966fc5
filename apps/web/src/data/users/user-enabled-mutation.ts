import type { User } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { userKeys } from './keys';

/** Disable or Enable (accountEnabled): the next cycle disables or reactivates the user's accounts. */
export function useUserEnabledMutation() {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: async ({ user, enabled }: { user: User; enabled: boolean }) => {
      await api.patch(`${GRAPH}/users/${encodeURIComponent(user.id)}`, { accountEnabled: enabled });
      return { user, enabled };
    },
    onSuccess: ({ user, enabled }) =>
      notify.success(`${enabled ? 'Enabled' : 'Disabled'} ${user.displayName}`),
    onError: (error, { enabled }) =>
      notify.error(`Could not ${enabled ? 'enable' : 'disable'} the user`, error),
    onSettled: (_data, _error, { user }) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: userKeys.detail(user.id) }),
        queryClient.invalidateQueries({ queryKey: userKeys.lists() }),
      ]),
  });
}
