import type { ApiToken } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { tokenKeys } from './keys';
import { TOKENS_PATH } from './tokens-query';

/** Revokes an API token: its next request is refused. */
export function useTokenRevokeMutation() {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: (token: ApiToken) => api.delete(`${TOKENS_PATH}/${encodeURIComponent(token.id)}`),
    onSuccess: async (_result, token) => {
      notify.success(
        `Revoked the API token ${token.displayName}`,
        'Requests made with it are refused from now on.',
      );
      await queryClient.invalidateQueries({ queryKey: tokenKeys.list() });
    },
    onError: (error) => notify.error('Could not revoke the API token', error),
  });
}
