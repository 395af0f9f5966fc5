import type { CyclePreview } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { previewKeys } from './keys';
import { previewPaths } from './paths';

/**
 * Preview next cycle: the API answers at once with a `running` preview, which the worker then
 * plans by reading the application. Nothing else changes, so only the new preview is cached.
 */
export function usePreviewCreateMutation(servicePrincipalId: string) {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: (jobId: string) => api.post<CyclePreview>(previewPaths.previews(servicePrincipalId, jobId)),
    onSuccess: (preview, jobId) =>
      queryClient.setQueryData(previewKeys.detail(servicePrincipalId, jobId, preview.id), preview),
    onError: (error) => notify.error('Could not preview the next cycle', error),
  });
}
