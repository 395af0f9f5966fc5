import { extensionShortName, type ExtensionProperty } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { userKeys } from '../users/keys';
import { extensionPropertyKeys } from './keys';

export function useExtensionPropertyDeleteMutation() {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: (property: ExtensionProperty) =>
      api.delete(`${GRAPH}/directory/extensionProperties/${encodeURIComponent(property.id)}`),
    onSuccess: async (_r, property) => {
      notify.success(`Deleted extension attribute ${extensionShortName(property.name)}`);
      // Users lose their values of it.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: extensionPropertyKeys.all }),
        queryClient.invalidateQueries({ queryKey: userKeys.all }),
      ]);
    },
    onError: (error) => notify.error('Could not delete the extension attribute', error),
  });
}
