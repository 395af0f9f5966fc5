import type { ServicePrincipal, ServicePrincipalUpdate } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { servicePrincipalKeys } from './keys';

/**
 * Changes an application's name, notes or app roles (`PATCH /servicePrincipals/{id}`); `success`
 * is the toast to show once saved. The list is refreshed too, since it shows the names.
 */
export function useServicePrincipalUpdateMutation(id: string) {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: ({ body }: { body: ServicePrincipalUpdate; success: string }) =>
      api.patch<ServicePrincipal>(`${GRAPH}/servicePrincipals/${encodeURIComponent(id)}`, body),
    onSuccess: async (updated, { success }) => {
      queryClient.setQueryData(servicePrincipalKeys.detail(id), updated);
      notify.success(success);
      await queryClient.invalidateQueries({ queryKey: servicePrincipalKeys.lists() });
    },
    onError: (error) => notify.error('Could not save the app roles', error),
  });
}
