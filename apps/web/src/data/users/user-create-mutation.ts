import type { User, UserCreate } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { userKeys } from './keys';

export function useUserCreateMutation() {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: (body: UserCreate) => api.post<User>(`${GRAPH}/users`, body),
    onSuccess: async (user) => {
      notify.success(`Created user ${user.displayName}`);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: userKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: userKeys.count() }),
      ]);
    },
    onError: (error) => notify.error('Could not create the user', error),
  });
}
