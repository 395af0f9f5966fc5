import type { Account } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { ACCOUNTS_PATH } from './accounts-query';
import { accountKeys } from './keys';

export function useAccountDeleteMutation() {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: (account: Account) => api.delete(`${ACCOUNTS_PATH}/${encodeURIComponent(account.id)}`),
    onSuccess: async (_result, account) => {
      notify.success(`Deleted the account ${account.userName}`);
      await queryClient.invalidateQueries({ queryKey: accountKeys.list() });
    },
    onError: (error) => notify.error('Could not delete the account', error),
  });
}
