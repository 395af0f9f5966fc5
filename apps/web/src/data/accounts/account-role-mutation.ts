import type { Account, AccountUpdate } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { ROLE_LABEL } from '../auth/use-can';
import { ACCOUNTS_PATH } from './accounts-query';
import { accountKeys } from './keys';

/** Changes an account's role; the API ends its sessions, so it signs in again with the new role. */
export function useAccountRoleMutation() {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: ({ account, role }: { account: Account } & AccountUpdate) =>
      api.patch<Account>(`${ACCOUNTS_PATH}/${encodeURIComponent(account.id)}`, {
        role,
      } satisfies AccountUpdate),
    onSuccess: async (updated) => {
      notify.success(
        `${updated.userName} is now ${ROLE_LABEL[updated.role]}`,
        'Their sessions have ended: they sign in again with the new role.',
      );
      await queryClient.invalidateQueries({ queryKey: accountKeys.list() });
    },
    onError: (error) => notify.error('Could not change the role', error),
  });
}
