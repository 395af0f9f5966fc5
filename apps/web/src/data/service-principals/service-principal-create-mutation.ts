import type { ServicePrincipal, ServicePrincipalCreate } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { servicePrincipalKeys } from './keys';

/** Adds a non-gallery SCIM application. */
export function useServicePrincipalCreateMutation() {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: (body: ServicePrincipalCreate) =>
      api.post<ServicePrincipal>(`${GRAPH}/servicePrincipals`, body),
    onSuccess: async (created) => {
      queryClient.setQueryData(servicePrincipalKeys.detail(created.id), created);
      notify.success(`Added application ${created.displayName}`);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: servicePrincipalKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: servicePrincipalKeys.count() }),
      ]);
    },
    onError: (error) => notify.error('Could not add the application', error),
  });
}
