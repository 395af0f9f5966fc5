import type { ExtensionProperty, ExtensionPropertyCreate } from '@provisio/contracts';
import { extensionShortName } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { extensionPropertyKeys } from './keys';

export function useExtensionPropertyCreateMutation() {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: (body: ExtensionPropertyCreate) =>
      api.post<ExtensionProperty>(`${GRAPH}/directory/extensionProperties`, body),
    onSuccess: async (property) => {
      notify.success(`Added extension attribute ${extensionShortName(property.name)}`);
      await queryClient.invalidateQueries({ queryKey: extensionPropertyKeys.all });
    },
    onError: (error) => notify.error('Could not add the extension attribute', error),
  });
}
