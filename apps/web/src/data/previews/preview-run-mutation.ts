import type { CyclePreview } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { synchronizationKeys } from '../synchronization/keys';
import { previewKeys } from './keys';
import { previewPaths } from './paths';

/**
 * Run this plan: the cycle starts now (and provisioning is turned On if it was Off). The
 * preview records the run, the job's status moves and a cycle begins, so those three are read
 * again — also after a refusal, which may mean the preview went stale meanwhile.
 */
export function usePreviewRunMutation(servicePrincipalId: string, jobId: string, previewId: string) {
  const queryClient = useQueryClient();
  const notify = useNotify();
  const detail = previewKeys.detail(servicePrincipalId, jobId, previewId);
  return useMutation({
    mutationFn: () =>
      api.post<CyclePreview>(`${previewPaths.preview(servicePrincipalId, jobId, previewId)}/run`),
    onSuccess: (preview) => queryClient.setQueryData(detail, preview),
    onError: (error) => notify.error('The plan was not run', error),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: detail, exact: true }),
        queryClient.invalidateQueries({ queryKey: synchronizationKeys.jobs(servicePrincipalId) }),
        queryClient.invalidateQueries({ queryKey: synchronizationKeys.cycles(servicePrincipalId, jobId) }),
      ]),
  });
}
