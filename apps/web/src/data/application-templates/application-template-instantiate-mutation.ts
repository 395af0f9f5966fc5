import type { ApplicationServicePrincipal, ApplicationTemplateInstantiate } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { servicePrincipalKeys } from '../service-principals/keys';
import { synchronizationKeys } from '../synchronization/keys';

/** Adds an application from a gallery template (with its app roles and provisioning job). */
export function useApplicationTemplateInstantiateMutation(templateId: string) {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: (body: ApplicationTemplateInstantiate) =>
      api.post<ApplicationServicePrincipal>(
        `${GRAPH}/applicationTemplates/${encodeURIComponent(templateId)}/instantiate`,
        body,
      ),
    onSuccess: async ({ servicePrincipal }) => {
      queryClient.setQueryData(servicePrincipalKeys.detail(servicePrincipal.id), servicePrincipal);
      notify.success(`Added application ${servicePrincipal.displayName}`);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: servicePrincipalKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: servicePrincipalKeys.count() }),
        queryClient.invalidateQueries({ queryKey: synchronizationKeys.jobs(servicePrincipal.id) }),
      ]);
    },
    onError: (error) => notify.error('Could not add the application', error),
  });
}
