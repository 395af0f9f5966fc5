import type { TargetCheck } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { targetCheckKeys } from './keys';
import { targetCheckPaths } from './paths';

/**
 * Check the target: the API probes the application and answers with the finished report, which
 * becomes the job's latest check. Nothing else changes (the test objects are removed again).
 */
export function useTargetCheckRunMutation(servicePrincipalId: string) {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: (jobId: string) => api.post<TargetCheck>(targetCheckPaths.checks(servicePrincipalId, jobId)),
    onSuccess: (check, jobId) =>
      queryClient.setQueryData(targetCheckKeys.latest(servicePrincipalId, jobId), check),
    onError: (error) => notify.error('Could not check the application', error),
  });
}
