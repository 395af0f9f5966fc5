import type { ApiTokenCreate, ApiTokenCreated } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { tokenKeys } from './keys';
import { TOKENS_PATH } from './tokens-query';

/** Creates an API token; the answer holds the token itself, which is never shown again. */
export function useTokenCreateMutation() {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: (body: ApiTokenCreate) => api.post<ApiTokenCreated>(TOKENS_PATH, body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: tokenKeys.list() });
    },
    onError: (error) => notify.error('Could not create the API token', error),
  });
}
