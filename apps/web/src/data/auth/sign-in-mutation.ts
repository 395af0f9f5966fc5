import type { Me, SignInRequest } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { authKeys } from './keys';

/** Signs in; failures are shown inline on the sign-in form rather than as a toast. */
export function useSignInMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SignInRequest) => api.post<Me>('/api/auth/sign-in', body),
    onSuccess: (me) => {
      // Whatever was cached belonged to the previous session.
      queryClient.clear();
      queryClient.setQueryData(authKeys.me(), me);
    },
  });
}
