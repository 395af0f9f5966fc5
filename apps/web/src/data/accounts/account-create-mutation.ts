import type { Account, AccountCreate } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { ACCOUNTS_PATH } from './accounts-query';
import { accountKeys } from './keys';

export function useAccountCreateMutation() {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: (body: AccountCreate) => api.post<Account>(ACCOUNTS_PATH, body),
    onSuccess: async (account) => {
      notify.success(`Created the account ${account.userName}`);
      await queryClient.invalidateQueries({ queryKey: accountKeys.list() });
    },
    onError: (error) => notify.error('Could not create the account', error),
  });
}
