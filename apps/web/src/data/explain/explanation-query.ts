import type { Explanation } from '@provisio/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { synchronizationPaths } from '../synchronization/paths';
import { explainKeys } from './keys';

export const explanationQueryOptions = (servicePrincipalId: string, jobId: string, objectId: string) =>
  queryOptions({
    queryKey: explainKeys.detail(servicePrincipalId, jobId, objectId),
    queryFn: ({ signal }) =>
      api.get<Explanation>(
        `${synchronizationPaths.job(servicePrincipalId, jobId)}/explain`,
        { objectId },
        signal,
      ),
    // The answer depends on the job, the assignments and the object, any of which may change
    // elsewhere: read it afresh each time the page opens.
    staleTime: 0,
  });

/** Whether the next cycle of the job will provision a user or group, why not, and the fix. */
export const useExplanationQuery = (
  servicePrincipalId: string,
  jobId: string | undefined,
  objectId: string,
) =>
  useQuery({
    ...explanationQueryOptions(servicePrincipalId, jobId ?? '', objectId),
    enabled: Boolean(jobId && objectId),
  });
