import type { User, UserUpdate } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { groupKeys } from '../groups/keys';
import { userKeys } from './keys';

/** Edit user: PATCH only the properties that changed. */
export function useUserUpdateMutation() {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: ({ user, patch }: { user: User; patch: UserUpdate }) =>
      api.patch(`${GRAPH}/users/${encodeURIComponent(user.id)}`, patch),
    onSuccess: async (_r, { user }) => {
      notify.success(`Saved user ${user.displayName}`);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: userKeys.detail(user.id) }),
        queryClient.invalidateQueries({ queryKey: userKeys.lists() }),
        // Member lists show the user's name, department and state.
        queryClient.invalidateQueries({ queryKey: groupKeys.all }),
      ]);
    },
    onError: (error) => notify.error('Could not save the user', error),
  });
}
