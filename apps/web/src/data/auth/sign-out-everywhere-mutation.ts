import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';

/** Ends every session of the signed-in account, this one too; whatever was cached goes with it. */
export function useSignOutEverywhereMutation() {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: () => api.post('/api/auth/sign-out-everywhere'),
    onSuccess: () => queryClient.clear(),
    onError: (error) => notify.error('Could not sign out everywhere', error),
  });
}
