import type { ProvisionOnDemandRequest, ProvisionOnDemandResponse } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { provisioningLogKeys } from '../provisioning-logs/keys';
import { synchronizationKeys } from './keys';
import { synchronizationPaths } from './paths';

/** What to provision: one user, or one group with up to five of its members. */
export type OnDemandPick =
  | { objectTypeName: 'User'; objectId: string; displayName: string }
  | { objectTypeName: 'Group'; objectId: string; displayName: string; memberIds: string[] };

export interface ProvisionOnDemandInput {
  jobId: string;
  ruleId: string;
  pick: OnDemandPick;
}

/**
 * Provision on demand (Graph's provisionOnDemand) of a user, or of a group with some of its
 * members (`links.members`). The answer holds the provisioning events; they also land in the
 * provisioning logs and may change the job's entry counts. Errors are shown by the page, beside
 * the result they replace.
 */
export function useProvisionOnDemandMutation(servicePrincipalId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ jobId, ruleId, pick }: ProvisionOnDemandInput) =>
      api.post<ProvisionOnDemandResponse>(
        `${synchronizationPaths.job(servicePrincipalId, jobId)}/provisionOnDemand`,
        {
          parameters: [
            {
              ruleId,
              subjects: [
                pick.objectTypeName === 'User'
                  ? { objectId: pick.objectId, objectTypeName: 'User' }
                  : {
                      objectId: pick.objectId,
                      objectTypeName: 'Group',
                      links: {
                        members: pick.memberIds.map((objectId) => ({ objectId, objectTypeName: 'User' })),
                      },
                    },
              ],
            },
          ],
        } satisfies ProvisionOnDemandRequest,
      ),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: synchronizationKeys.jobs(servicePrincipalId) }),
        queryClient.invalidateQueries({ queryKey: provisioningLogKeys.lists() }),
      ]),
  });
}
