import type { Collection, SynchronizationJob } from '@provisio/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { synchronizationKeys } from './keys';
import { pollInterval } from './live-poll';
import { synchronizationPaths } from './paths';

export { ACTIVE_POLL_MS, IDLE_POLL_MS } from './live-poll';

export const provisioningJobQueryOptions = (servicePrincipalId: string) =>
  queryOptions({
    queryKey: synchronizationKeys.jobs(servicePrincipalId),
    // An application has at most one provisioning job; null until it is first configured.
    queryFn: async ({ signal }) => {
      const jobs = await api.get<Collection<SynchronizationJob>>(
        synchronizationPaths.jobs(servicePrincipalId),
        undefined,
        signal,
      );
      return jobs.value[0] ?? null;
    },
    refetchInterval: (query) => {
      const job = query.state.data;
      return pollInterval(job ? [job.status] : []);
    },
  });

export const useProvisioningJobQuery = (servicePrincipalId: string) =>
  useQuery(provisioningJobQueryOptions(servicePrincipalId));
