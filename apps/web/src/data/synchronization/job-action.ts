import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { provisioningHealthKeys } from '../provisioning-health/keys';
import { synchronizationKeys } from './keys';
import { synchronizationPaths } from './paths';

/**
 * A lifecycle action on the job (`start`, `pause`, `restart`, `runNow`): each changes the
 * job's status and may begin a cycle, so the job, its cycles and the applications' provisioning
 * health are refetched — the job shows Queued at once.
 */
export function useJobActionMutation(
  servicePrincipalId: string,
  action: 'start' | 'pause' | 'restart' | 'runNow',
  messages: { success: string; failure: string },
  body?: unknown,
) {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: (jobId: string) =>
      api.post(`${synchronizationPaths.job(servicePrincipalId, jobId)}/${action}`, body),
    onSuccess: () => notify.success(messages.success),
    onError: (error) => notify.error(messages.failure, error),
    onSettled: (_data, _error, jobId) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: synchronizationKeys.jobs(servicePrincipalId) }),
        queryClient.invalidateQueries({ queryKey: synchronizationKeys.cycles(servicePrincipalId, jobId) }),
        queryClient.invalidateQueries({ queryKey: provisioningHealthKeys.all }),
      ]),
  });
}
