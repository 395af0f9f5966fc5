import type { ProvisionOnDemandRequest, ProvisionOnDemandResponse } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { provisioningLogKeys } from '../provisioning-logs/keys';
import { synchronizationKeys } from './keys';
import { synchronizationPaths } from './paths';

export interface ProvisionOnDemandInput {
  jobId: string;
  ruleId: string;
  userId: string;
}

/**
 * Provision on demand of one user (Graph's provisionOnDemand). The answer holds the provisioning
 * event; the event also lands in the provisioning logs and may change the job's entry count.
 * Errors are shown by the page, beside the result they replace.
 */
export function useProvisionOnDemandMutation(servicePrincipalId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ jobId, ruleId, userId }: ProvisionOnDemandInput) =>
      api.post<ProvisionOnDemandResponse>(
        `${synchronizationPaths.job(servicePrincipalId, jobId)}/provisionOnDemand`,
        {
          parameters: [{ ruleId, subjects: [{ objectId: userId, objectTypeName: 'User' }] }],
        } satisfies ProvisionOnDemandRequest,
      ),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: synchronizationKeys.jobs(servicePrincipalId) }),
        queryClient.invalidateQueries({ queryKey: provisioningLogKeys.lists() }),
      ]),
  });
}
