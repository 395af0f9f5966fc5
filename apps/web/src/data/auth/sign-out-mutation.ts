import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';

export function useSignOutMutation() {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: () => api.post('/api/auth/sign-out'),
    onSuccess: () => queryClient.clear(),
    onError: (error) => notify.error('Could not sign out', error),
  });
}
